/**
 * What people type, folded to one form before anything reads it: full-width letters, digits,
 * spaces and punctuation to their ASCII forms (NFKC), @-mention placeholders dropped, runs of
 * white space collapsed.
 */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/@_user_\d+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** `绑定 123456` / `bind 123456`: the six-digit code an admin handed out. */
export function parseBindCommand(text: string): string | undefined {
  return /^(?:绑定|bind)\s*(\d{6})$/i.exec(normalizeText(text))?.[1];
}

/**
 * Text as it may be stored and echoed: Postgres text and jsonb refuse NUL, and a lone surrogate is
 * not valid UTF-8, so both go (with the other C0 controls but tab and newlines) at the door.
 */
export function storableText(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '');
}
