/**
 * How the document page prints (no script: the browser's own print command): `a4`, the default, a
 * sheet with the company, the lines as a table, signature boxes and the QR code; `receipt`, a strip
 * for 80 mm thermal receipt printers (72 mm printable), which is also what the page looks like on
 * screen with `?layout=receipt`. Screen-only parts (the layout switch, the link's expiry) never print;
 * print-only parts (signature boxes, the print time) never show on the phone.
 */
export const printLayoutNames = ['a4', 'receipt'] as const;
export type PrintLayout = (typeof printLayoutNames)[number];

const labels: Record<PrintLayout, string> = { a4: 'A4 打印版', receipt: '80mm 小票版' };

/** The layout a query asks for: a4 when absent; undefined for anything else (the route answers 400). */
export function parsePrintLayout(value: string | undefined): PrintLayout | undefined {
  if (value === undefined || value === '') return 'a4';
  return (printLayoutNames as readonly string[]).includes(value) ? (value as PrintLayout) : undefined;
}

/** Links between the layouts, keeping the signed link's own query (`exp`, `sig`). */
export function printLayouts(current: PrintLayout, signedLink: string) {
  const query = signedLink.slice(signedLink.indexOf('?'));
  return printLayoutNames.map((key) => ({
    key, label: labels[key], current: key === current, query: key === 'a4' ? query : `${query}&layout=${key}`,
  }));
}

const COMMON = `
.head{display:flex;justify-content:space-between;align-items:flex-start;gap:12px}.head h1{margin:0 0 2px}
.company{margin:0;color:#646a73;font-size:13px}.number{margin:0 0 8px;font-weight:600}
.qr{margin:0;text-align:center;flex:none}.qr svg{width:112px;height:112px;display:block;margin:0 auto}.qr figcaption{font-size:12px;color:#8f959e}
table.lines{border-collapse:collapse;width:100%;font-size:14px}.lines th{color:#646a73;font-weight:400}
.lines th,.lines td{padding:5px 4px;border-bottom:1px solid #eff0f1;text-align:left;vertical-align:top}
.lines .n{text-align:right;white-space:nowrap}.lines td.qty{white-space:normal;min-width:64px}.lines .name{font-weight:600}
.lines tfoot td{font-weight:600;border-bottom:none}
.history{margin:0;padding-left:20px}.history li{margin:3px 0}.history .when{color:#646a73;font-size:13px}
.signatures,.printed{display:none}
`;

const PRINT_COMMON = `
body{background:#fff;color:#000}main{padding:0}.box{padding:0;border-radius:0;margin-bottom:6px}
.screen-only{display:none}.printed{display:block}.badge{border:1px solid #000;background:none;color:#000}
h2{color:#000;break-after:avoid}tr,li,.sign{break-inside:avoid}.muted,dt,.lines th,.history .when{color:#333}
.sign{display:grid;grid-template-columns:auto 1fr;gap:14px 6px;align-items:end}.sign i{border-bottom:1px solid #000;height:1em}
`;

/** The page's extra CSS, per layout. */
export const PRINT_STYLE: Record<PrintLayout, string> = {
  a4: `${COMMON}
@page{size:A4;margin:14mm 12mm}
@media print{${PRINT_COMMON}
main{max-width:none}body{font-size:12px}.qr svg{width:30mm;height:30mm}.lines th,.lines td{border-bottom:1px solid #999}
table.lines{font-size:12px}.muted,.history .when{font-size:11px}
.signatures{display:grid;grid-template-columns:repeat(4,1fr);gap:8px;margin-top:16px}.sign{border:1px solid #000;padding:8px 6px;min-height:22mm}}
`,
  receipt: `${COMMON}
main{max-width:302px}.head{display:block;text-align:center}.qr{margin:8px 0}
table.lines{font-size:13px}.lines th:first-child,.lines td:first-child{display:none}
@page{size:80mm auto;margin:3mm 4mm}
@media print{${PRINT_COMMON}
main{max-width:none}body{font-size:11px}h1{font-size:15px}h2{font-size:12px;margin:8px 0 2px;border-top:1px dashed #000;padding-top:4px}
.qr svg{width:36mm;height:36mm}table.lines{font-size:11px}.lines th,.lines td{padding:2px 1px;border-bottom:1px dashed #999}
.muted,.history,.history .when{font-size:10px}
dl{gap:1px 8px}.signatures{display:block;margin-top:10px}.sign{padding:8px 0 2px}}
`,
};
