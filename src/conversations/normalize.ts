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
