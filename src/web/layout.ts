/**
 * The shell every server-rendered page shares: UTF-8, Chinese, laid out for a phone first (pages
 * open in WeCom's and Lark's in-app browsers), inline styles, no external assets. Values are escaped
 * with `escapeHtml` by whoever builds the body.
 */
const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Text made safe for HTML content and attribute values. */
export const escapeHtml = (value: unknown) => String(value ?? '').replace(/[&<>"']/g, (ch) => escapes[ch]!);

/** The base look: a centred column of white boxes on grey, badges, definition lists. */
export const BASE_STYLE = `
*{box-sizing:border-box}body{margin:0;font:15px/1.5 -apple-system,BlinkMacSystemFont,"PingFang SC","Microsoft YaHei",sans-serif;color:#1f2329;background:#f5f6f7}
main{max-width:720px;margin:0 auto;padding:12px}h1{font-size:19px;margin:4px 0 8px}h2{font-size:15px;margin:18px 0 6px;color:#646a73}
.box{background:#fff;border-radius:8px;padding:10px 12px;margin-bottom:8px}.badge{display:inline-block;padding:1px 8px;border-radius:10px;background:#e1eaff;color:#245bdb;font-size:13px}
.danger{background:#fde2e2;color:#d83931}.success{background:#d9f5d6;color:#2ea121}.neutral{background:#eff0f1;color:#646a73}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 12px;margin:0}dt{color:#646a73}dd{margin:0;word-break:break-all}
.line h3{font-size:15px;margin:0 0 4px}.muted{color:#8f959e;font-size:13px}.msg{text-align:center;padding:48px 16px}.msg h1{font-size:20px}
`;

export type PageOptions = {
  title: string;
  /** Already-escaped HTML inside `<main>`. */
  body: string;
  /** More CSS after the base style. */
  style?: string;
  /** Scripts by URL (same origin), loaded deferred; pages carry no inline script. */
  scripts?: string[];
  /** A wider column (dashboards, the sandbox's chat list beside its chat). */
  wide?: boolean;
};

export function htmlPage(options: PageOptions): string {
  const scripts = (options.scripts ?? []).map((src) => `<script defer src="${escapeHtml(src)}"></script>`).join('');
  const width = options.wide ? 'main{max-width:1200px}' : '';
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">`
    + `<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex,nofollow">`
    + `<title>${escapeHtml(options.title)}</title><style>${BASE_STYLE}${width}${options.style ?? ''}</style>${scripts}</head>`
    + `<body><main>${options.body}</main></body></html>`;
}

/** Pages that run their one same-origin script, which calls the API with the key the person typed. */
export const SCRIPT_PAGE_CSP = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; "
  + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
/** Pages with no script at all (the document page a signed link opens). */
export const STATIC_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The headers every page and page script is served with: its CSP, no sniffing, no referrer, not indexed. */
export function pageHeaders(contentType: string, options: { csp: string; cache: string }): Record<string, string> {
  return {
    'content-type': contentType,
    'cache-control': options.cache,
    'referrer-policy': 'no-referrer',
    'x-robots-tag': 'noindex, nofollow',
    'x-content-type-options': 'nosniff',
    'content-security-policy': options.csp,
  };
}
