import { parseBindCommand } from '../normalize';
import * as g from './grammar';
import type { Intent } from './intent';
import type { Token } from './lexer';
import { isWordToken, itemParts, read, spell, splitWhere, storeNameEnd, trimParticles, wordRuns, type Reading, type Run } from './reading';
import { readMovement, readWork } from './ledger-questions';
import { readReturn } from './return-report';
import { readShortReceipt } from './short-receipt';
import { readCancelLatest, readDocumentRequest } from './document-request';
import { readWorkReport } from './work-report';
import { readRequisition } from './requisition';

type Rule = (r: Reading) => Intent | undefined;

/**
 * Which reading wins when a message says several things. A decision word opening the message
 * (`批准 PO-…`) makes it a decision, whatever the reason says; a document number otherwise is the
 * most specific thing anyone types; a return outranks the stock words a report may hold (`还有`);
 * a ledger question (`卖了多少`) or a lead's list (`待收货`) outranks the stock words it holds; help
 * only counts when nothing else was said (`红牛还有多少?` is a stock question).
 */
const rules: ReadonlyArray<Rule> = [
  bind, decide, workReport, requisition, adjustOrder, readDocumentRequest, readCancelLatest,
  (r) => (r.triggers.has('bind_group') ? { intent: 'bind_group' } : undefined),
  readShortReceipt, document, (r) => (r.triggers.has('return') ? readReturn(r) : undefined), unitCost, readMovement, readWork,
  (r) => (r.triggers.has('pending_approvals') ? { intent: 'pending_approvals' } : undefined),
  lowStock, stock, help,
];

/** What a chat message asks for. Pure and total: any string gives an intent, never an error. */
export function understand(message: string): Intent {
  const code = parseBindCommand(message);
  if (code) return { intent: 'bind', code };
  const r = read(message);
  for (const rule of rules) {
    const intent = rule(r);
    if (intent) return intent;
  }
  return { intent: 'unknown', text: r.text };
}

/** `绑定码：123456`, `bind code 123456` (parseBindCommand takes the plain `绑定 123456`). */
function bind(r: Reading): Intent | undefined {
  if (!r.triggers.has('bind')) return undefined;
  const codes = r.atoms.filter((a) => a.kind === 'num' && /^\d{6}$/.test(a.text));
  return codes.length === 1 ? { intent: 'bind', code: codes[0]!.text } : undefined;
}

/**
 * `批准 PO-20261125-0012`, `驳回 PO-20261125-0012 价格太高`, `reject PO-20261125-0012 reason: too
 * expensive`: only when the decision word opens the message (the lexer sees to that). The reason is
 * everything else as typed, less the numbers, a document word naming one (`单号`), a leading
 * `原因：` and the marks around it.
 */
function decide(r: Reading): Intent | undefined {
  const verb = r.tokens[0];
  if (verb?.t !== 'kw' || verb.sense.kind !== 'decision') return undefined;
  const numbers = [...new Set(r.tokens.flatMap((t) => (t.t === 'doc' ? [t.number] : [])))];
  const namesDoc = (k: number) => {
    const tok = r.tokens[k]!;
    return tok.t === 'doc' || (tok.t === 'kw' && tok.sense.kind === 'trigger' && tok.sense.intent === 'document' && r.tokens[k + 1]?.t === 'doc');
  };
  let rest = r.tokens.map((_, k) => k).filter((k) => k > 0 && !namesDoc(k));
  const isMark = (k: number | undefined) => k !== undefined && r.tokens[k]!.t === 'mark';
  while (isMark(rest[0])) rest.shift();
  const marker = rest.length ? g.matchAt(g.reasonMarkers, r.atoms, r.tokens[rest[0]!]!.from) : undefined;
  if (marker) rest = rest.filter((k) => r.tokens[k]!.from >= r.tokens[rest[0]!]!.from + marker.length);
  while (isMark(rest[0])) rest.shift();
  while (isMark(rest.at(-1))) rest.pop();
  const reason = rest.length ? spell(r, rest) : '';
  return { intent: 'decide', decision: verb.sense.decision, numbers, ...(reason && { reason }) };
}

/** `报工 MO-… 包装 2小时 合格200`: only when the report word opens the message (the lexer sees to that). */
function workReport(r: Reading): Intent | undefined {
  const first = r.tokens[0];
  return first?.t === 'kw' && first.sense.kind === 'trigger' && first.sense.intent === 'work_report' ? readWorkReport(r, first.to) : undefined;
}

/** `改 可乐 3箱`: only when the word opens the message; the rest, less a document number, as typed. */
function adjustOrder(r: Reading): Intent | undefined {
  const first = r.tokens[0];
  if (first?.t !== 'kw' || first.sense.kind !== 'trigger' || first.sense.intent !== 'adjust_order') return undefined;
  const doc = r.tokens.find((t) => t.t === 'doc');
  const rest = r.tokens.map((_, k) => k).filter((k) => k > 0 && r.tokens[k]!.t !== 'doc');
  return { intent: 'adjust_order', lines: rest.length ? spell(r, rest).trim() : '', ...(doc?.t === 'doc' ? { number: doc.number } : {}) };
}

/**
 * `要货 可乐 10箱 红牛 5箱`: only when the requisition word opens the message (the lexer sees to that)
 * and no document number follows (`要货单 RQ-…` asks about that one).
 */
function requisition(r: Reading): Intent | undefined {
  const first = r.tokens[0];
  if (r.tokens.some((t) => t.t === 'doc')) return undefined;
  return first?.t === 'kw' && first.sense.kind === 'trigger' && first.sense.intent === 'requisition' ? readRequisition(r) : undefined;
}

/** `成本 杯面`, `杯面成本`, `cost cup noodles`: whatever else was named is the item. */
function unitCost(r: Reading): Intent | undefined {
  if (!r.triggers.has('unit_cost')) return undefined;
  return { intent: 'unit_cost', item: wordRuns(r, isStockWord).map((run) => spell(r, run)).join(' ') };
}

function document(r: Reading): Intent | undefined {
  const doc = r.tokens.find((t) => t.t === 'doc');
  return doc?.t === 'doc' ? { intent: 'document', number: doc.number } : undefined;
}

/** `低库存`, `低库存 @浦东店`, `浦东店低库存`, `low stock in central`: whatever else was named is the warehouse. */
function lowStock(r: Reading): Intent | undefined {
  if (!r.triggers.has('low_stock')) return undefined;
  const rest = wordRuns(r, isWordToken);
  const warehouse = r.warehouse ?? (rest.length ? rest.map((run) => spell(r, run)).join(' ') : undefined);
  return warehouse ? { intent: 'low_stock', warehouse } : { intent: 'low_stock' };
}

// In a stock question a bare number is part of the name (`可乐 330`); a counted one (`还有5箱吗`) is not.
const isStockWord = (tok: Token) => tok.t === 'word' || (tok.t === 'qty' && tok.unit === undefined);

/**
 * `库存 红牛`, `红牛还有多少 @浦东店`, `查 6900000001011`, a bare barcode, item words with a marked
 * warehouse (`可乐 在浦东店`), or item words alone (`可乐`, `kele?`, `RB-250`, `徐汇店 可乐`): a
 * reference is the commonest stock question in a group. Without a marker a leading store name is
 * found by how store names end (`徐汇店的可乐还有多少`). Several items: `可乐和红牛`, `可乐、红牛`.
 */
function stock(r: Reading): Intent | undefined {
  let runs = wordRuns(r, isStockWord);
  let warehouse = r.warehouse;
  const barcode = runs.length === 1 ? barcodeOf(r, runs[0]!) : undefined;
  const asked = r.triggers.has('stock') || !!barcode || !!(warehouse && runs.length);
  const bare = !asked && isBareReference(r, runs);
  if (!asked && !bare) return undefined;
  if (barcode) return { intent: 'stock_barcode', barcode, ...(warehouse && { warehouse }) };
  if (!warehouse) {
    const found = storeInRuns(r, runs);
    if (found) ({ warehouse, runs } = found);
  }
  const item = runs.map((run) => spell(r, run)).join(' ');
  const parts = itemParts(r, runs);
  return { intent: 'stock', item, ...(parts.length > 1 && { items: parts }), ...(warehouse && { warehouse }), ...(bare && { bare: true as const }) };
}

/**
 * Nothing but item words (and fillers, marks): `可乐`, `红牛?`, `帮忙 康师傅`. Not when a count was
 * given (`可乐 5箱` asks for something else), nor small talk or a price (`好的`, `可乐多少钱`), nor
 * digits alone (a code too long for a barcode).
 */
function isBareReference(r: Reading, runs: Run[]): boolean {
  if (runs.length === 0) return false;
  const marksOnly = (tok: Token) => r.atoms.slice(tok.from, tok.to).every((a) => a.kind === 'mark'); // `?` is a help word alone
  const ok = r.tokens.every((tok) => tok.t === 'word' || tok.t === 'mark' || (tok.t === 'qty' && tok.unit === undefined)
    || (tok.t === 'kw' && (tok.sense.kind === 'filler' || tok.sense.kind === 'period' || marksOnly(tok))));
  const named = runs.some((run) => run.some((k) => r.atoms.slice(r.tokens[k]!.from, r.tokens[k]!.to).some((a) => a.kind === 'han' || a.kind === 'word')));
  return ok && named;
}

function barcodeOf(r: Reading, run: Run): string | undefined {
  const tok = run.length === 1 ? r.tokens[run[0]!] : undefined;
  const atom = tok && tok.to - tok.from === 1 ? r.atoms[tok.from] : undefined;
  return atom?.kind === 'num' && /^\d{8,14}$/.test(atom.text) ? atom.text : undefined;
}

/**
 * A store named without a marker: the first space-separated part of the item words that
 * starts with a store name (`浦东店`, `总仓`), as long as an item is left over.
 */
function storeInRuns(r: Reading, runs: Run[]): { warehouse: string; runs: Run[] } | undefined {
  for (const part of runs.flatMap((run) => splitWhere(run, (k) => r.atoms[r.tokens[k]!.from]!.gapBefore))) {
    const end = storeNameEnd(r, part);
    if (end === undefined) continue;
    const store = new Set(part.slice(0, end));
    const rest = runs.flatMap((run) => splitWhere(run, (k) => store.has(k)).map((x) => x.filter((k) => !store.has(k))));
    const items = rest.map((x) => trimParticles(r, x)).filter((x) => x.length > 0);
    return items.length ? { warehouse: spell(r, [...store]), runs: items } : undefined;
  }
  return undefined;
}

/** Help words alone (`帮助`, `help`, `?`, `你好`); with anything more the message was about that. */
function help(r: Reading): Intent | undefined {
  return r.triggers.has('help') && wordRuns(r, isStockWord).length === 0 ? { intent: 'help' } : undefined;
}
