import type { TestApp } from '../harness';

type Api = Awaited<ReturnType<TestApp['createOrg']>>['api'];

/** Small helpers over the public API, so ledger tests read as the sequence of documents they post. */
export function inventory(api: Api) {
  const ok = async (method: string, path: string, body?: unknown, status = [200, 201]) => {
    const res = await api(method, path, body);
    if (!status.includes(res.status)) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  return {
    ok,
    item: (sku: string, extra: Record<string, unknown> = {}) => ok('POST', '/api/v1/items', { sku, name: sku, unit: 'pcs', ...extra }),
    warehouse: (code: string, type = 'central') => ok('POST', '/api/v1/warehouses', { code, name: code, type }),
    /** Creates and submits: posted at once (a transfer: shipped; a customer return: waiting for QC). */
    post: (type: string, warehouse: string, lines: Record<string, unknown>[], extra: Record<string, unknown> = {}) =>
      ok('POST', '/api/v1/documents', { type, warehouse, lines, submit: true, ...extra }),
    receipt: (warehouse: string, sku: string, qty: string | number, unitCost: string | number, extra: Record<string, unknown> = {}) =>
      ok('POST', '/api/v1/documents', { type: 'receipt', warehouse, lines: [{ sku, qty, unitCost, ...extra }], submit: true }),
    issue: (warehouse: string, sku: string, qty: string | number, extra: Record<string, unknown> = {}) =>
      ok('POST', '/api/v1/documents', { type: 'issue', warehouse, lines: [{ sku, qty, ...extra }], submit: true }),
    valuation: (sku: string, warehouse: string) => ok('GET', `/api/v1/stock/valuation?sku=${sku}&warehouse=${warehouse}`),
    layers: async (sku: string, warehouse: string) => (await ok('GET', `/api/v1/stock/layers?sku=${sku}&warehouse=${warehouse}`)).layers,
    ledger: async (sku: string, warehouse: string) => (await ok('GET', `/api/v1/ledger?sku=${sku}&warehouse=${warehouse}`)).entries,
  };
}
