import { seededRandom } from '../support/random';
import { call, sleep, type Answer } from './service';

export type LoadOptions = {
  base: string; key: string; approverKey: string; skus: string[]; warehouses: string[]; clients: number; seed: number;
};

/** What the clients saw: every status, the documents their creates made (by Idempotency-Key), and anything that went wrong. */
export type LoadStats = {
  statuses: Map<number, number>;
  /** Answers that must never happen: a 5xx other than 503, a 503 without Retry-After. */
  wrong: string[];
  /** Idempotency-Key → the document its create made (a 201, first or replayed). */
  created: Map<string, string>;
  /** Creates that never got a definite answer (still refused or unanswered when the run ended). */
  unsettled: Set<string>;
};

/**
 * Clients posting issues, receipts and transfers (small ones shipped at once, large ones approved
 * first, then received) as fast as the service answers. A create carries an Idempotency-Key and is
 * retried with it while there is no answer or a 503, as a real client would, so every create ends
 * in one document or a refusal. `stop` lets each client finish what it is doing (at most 30 s).
 */
export function startLoad(options: LoadOptions) {
  const stats: LoadStats = { statuses: new Map(), wrong: [], created: new Map(), unsettled: new Set() };
  let stopped = false;
  let giveUpAt = Infinity;

  async function persist(key: string, method: string, path: string, body?: unknown, idempotencyKey?: string): Promise<Answer> {
    for (;;) {
      const a = await call(options.base, key, method, path, body, idempotencyKey ? { 'idempotency-key': idempotencyKey } : {});
      stats.statuses.set(a.status, (stats.statuses.get(a.status) ?? 0) + 1);
      if (a.status >= 500 && a.status !== 503) stats.wrong.push(`${method} ${path} → ${a.status} ${JSON.stringify(a.body).slice(0, 300)}`);
      if (a.status === 503 && a.retryAfter === null) stats.wrong.push(`${method} ${path} → 503 without Retry-After`);
      if ((a.status !== 0 && a.status !== 503) || Date.now() > giveUpAt) return a;
      await sleep(150);
    }
  }

  async function create(n: string, body: Record<string, unknown>): Promise<Answer> {
    const a = await persist(options.key, 'POST', '/api/v1/documents', { ...body, submit: true }, n);
    if (a.status === 201) stats.created.set(n, a.body.id);
    else if (a.status === 0 || a.status === 503) stats.unsettled.add(n);
    return a;
  }

  async function client(c: number) {
    const random = seededRandom(options.seed + c);
    const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
    const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
    for (let i = 0; !stopped; i++) {
      const n = `chaos-${options.seed}-${c}-${i}`;
      const sku = pick(options.skus);
      const [from, to] = [...options.warehouses].sort(() => random() - 0.5) as [string, string];
      const r = random();
      if (r < 0.4) await create(n, { type: 'issue', warehouse: from, lines: [{ sku, qty: int(1, 5) }] });
      else if (r < 0.65) await create(n, { type: 'receipt', warehouse: from, lines: [{ sku, qty: int(5, 30), unitCost: (int(100, 999) / 100).toFixed(2) }] });
      else {
        // Large transfers wait for the supervisor (the approval rule); small ones ship at once.
        const doc = await create(n, { type: 'transfer', warehouse: from, toWarehouse: to, lines: [{ sku, qty: r < 0.9 ? int(1, 10) : int(40, 60) }] });
        if (doc.status !== 201) continue;
        const shipped = doc.body.status === 'awaiting_approval'
          ? (await persist(options.approverKey, 'POST', `/api/v1/documents/${doc.body.id}/approve`, {})).status === 200
          : doc.body.status === 'shipped';
        if (shipped) await persist(options.key, 'POST', `/api/v1/documents/${doc.body.id}/receive`, {});
      }
    }
  }

  const running = Promise.all(Array.from({ length: options.clients }, (_, c) => client(c)));
  return {
    stats,
    async stop() {
      stopped = true;
      giveUpAt = Date.now() + 30_000;
      await running;
    },
  };
}
