import { createRoute, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { importFile, importKinds, type ImportKindName } from '../../imports/import-file';
import { streamImport, wantsProgress, withDocumentLinks, NDJSON } from './import-progress';
import { formatOf, XLSX_TYPE } from '../../imports/sheet';
import { errorResponse } from '../errors';
import { ctxOf } from '../request-context';
import { createRouter } from '../router';
import { commonErrors, conflict, idempotencyHeader, jsonContent, security } from '../schemas';

/** Far above a 100,000-row item list as CSV; a bigger file is better split than held in memory at once. */
const MAX_FILE_BYTES = 32 * 1024 * 1024;
/** Where the import route is mounted under /api/v1: the app's general body limit leaves it to its own. */
export const IMPORTS_PATH = '/imports';
const kinds = Object.keys(importKinds) as [ImportKindName, ...ImportKindName[]];

const ImportQuery = z.object({
  kind: z.enum(kinds, { error: `kind must be one of ${kinds.join(', ')}` }).openapi({ description: 'what the file holds' }),
  dryRun: z.enum(['true', 'false'], { error: 'dryRun must be true or false' }).optional()
    .openapi({ description: 'true: check every row, report, write nothing' }),
});

const ImportResult = z
  .object({
    rows: z.number().int().openapi({ description: 'data rows in the file (not the header, not blank rows)' }),
    created: z.number().int().openapi({ description: 'rows imported; on a dry run, rows a real run would import' }),
    errors: z.array(z.object({
      row: z.number().int().openapi({ description: 'as a spreadsheet numbers it: the header is row 1' }),
      column: z.string().nullable().openapi({ description: 'the header as the file spells it; null for the whole row' }),
      message: z.string(),
    })),
    documents: z.array(z.object({
      id: z.string(), number: z.string(), warehouse: z.string(),
      url: z.string().openapi({ description: "the document's signed read-only page (relative when PUBLIC_URL is unset)" }),
    })).optional()
      .openapi({ description: 'opening imports: the posted opening document of each warehouse' }),
  })
  .openapi('ImportResult');

const file = z.string().openapi({ format: 'binary' });
const postImport = createRoute({
  method: 'post', path: IMPORTS_PATH, tags: ['import'], security,
  summary: 'Import items, warehouses, opening balances or past daily sales from a CSV or .xlsx file',
  description: 'Every row is checked before anything is written; a file with any bad row writes nothing and answers 422 '
    + 'with every problem. Items: sku,name,unit,category,barcodes,aliases,packUnits,valuationMethod,lotTracked,shelfLifeDays,supplier,leadTimeDays,minOrderQty '
    + '(lists split by |, packUnits as 箱=24|包=6). Warehouses: code,name,type. Opening: warehouse,sku,qty,unitCost,lot,expiresOn,unit. '
    + 'Demand (past daily sales, history for the forecast, never stock): date,warehouse,sku,qty,unit; a day already on file is replaced.',
  request: {
    query: ImportQuery,
    headers: idempotencyHeader,
    body: { required: true, content: { 'text/csv': { schema: file }, [XLSX_TYPE]: { schema: file } } },
  },
  responses: {
    200: {
      description: 'the whole file was imported (or, on a dry run, would be). With `Accept: application/x-ndjson` the answer '
        + 'is always 200 and streams one JSON object a line as the import goes: `{"progress": {"phase": "read"|"check"|"write", '
        + '"done", "total"}}` (rows), then `{"status": 200|422|4xx, "result": ImportResult}` or `{"status", "error"}` last',
      content: { 'application/json': { schema: ImportResult }, [NDJSON]: { schema: z.string() } },
    },
    422: jsonContent(ImportResult, 'nothing was imported: every bad row, with its column and the reason'),
    ...commonErrors,
    ...conflict,
    413: jsonContent(z.object({ error: z.object({ code: z.string(), message: z.string() }) }), 'the file is too large'),
    415: jsonContent(z.object({ error: z.object({ code: z.string(), message: z.string() }) }), 'not text/csv nor .xlsx'),
  },
});

export function importRoutes() {
  const r = createRouter();
  r.use(IMPORTS_PATH, bodyLimit({
    maxSize: MAX_FILE_BYTES,
    onError: (c) => errorResponse(c, 413, 'payload_too_large', `the file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB: split it`),
  }));
  r.openapi(postImport, async (c) => {
    const { kind, dryRun } = c.req.valid('query');
    const format = formatOf(c.req.header('content-type'));
    if (!format) throw new HTTPException(415, { message: `send the file as text/csv or ${XLSX_TYPE}` });
    const data = new Uint8Array(await c.req.arrayBuffer());
    const options = { kind, format, data, dryRun: dryRun === 'true', idempotencyKey: c.req.header('idempotency-key')?.trim() || undefined };
    // A stream, not the typed JSON answer: the OpenAPI document describes it under 200.
    if (wantsProgress(c)) return streamImport(c, (onProgress) => importFile(ctxOf(c), { ...options, onProgress })) as never;
    const result = await withDocumentLinks(c, await importFile(ctxOf(c), options));
    return c.json(result, result.errors.length > 0 ? 422 : 200);
  });
  return r;
}
