/**
 * Text as it may be stored and echoed: Postgres text and jsonb refuse NUL, and a lone surrogate is
 * not valid UTF-8, so both go (with the other C0 controls but tab and newlines) at the door.
 */
export function storableText(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '');
}

/**
 * Postgres stores no NUL (U+0000) in text or jsonb: a string holding one fails there, as a 500.
 * Every string from outside is checked against this first, where its field can still be named.
 */
export const hasNul = (s: string) => s.includes('\u0000');
export const NUL_MESSAGE = 'must not contain the NUL character (U+0000)';
