import type { Context } from 'hono';
import type { ImportPhase, ImportResult } from '../../imports/import-file';
import { linkSecretForSigning, signedDocumentUrl } from '../../web/document-links';
import type { AppEnv } from '../env';
import { handleError } from '../errors';

/**
 * An import that reports its progress as it goes, for the import page's progress bar: the same
 * request, answered as a stream of JSON lines (`Accept: application/x-ndjson`). Chosen over a job
 * the page polls: no job table, nothing in one process's memory that another instance would miss,
 * nothing left running when the client goes away, and the import stays one request and one
 * transaction as before.
 */
export const NDJSON = 'application/x-ndjson';

export const wantsProgress = (c: Context<AppEnv>) => (c.req.header('accept') ?? '').includes(NDJSON);

type LinkedImportResult = Omit<ImportResult, 'documents'> & { documents?: { id: string; number: string; warehouse: string; url: string }[] };

type Line = { progress: { phase: ImportPhase; done: number; total: number } } | { status: number; result?: LinkedImportResult; error?: unknown };

/** Streams the import's progress lines, then its outcome as the plain answer would have it (status and body). */
export function streamImport(
  c: Context<AppEnv>,
  run: (onProgress: (phase: ImportPhase, done: number, total: number) => void) => Promise<ImportResult>,
): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (line: Line) => controller.enqueue(encoder.encode(`${JSON.stringify(line)}\n`));
      try {
        const result = await withDocumentLinks(c, await run((phase, done, total) => send({ progress: { phase, done, total } })));
        send({ status: result.errors.length > 0 ? 422 : 200, result });
      } catch (err) {
        // The headers are gone: the error goes in the last line, mapped exactly as the plain answer maps it.
        const answer = handleError(err instanceof Error ? err : new Error(String(err)), c);
        send({ status: answer.status, ...((await answer.json()) as object) });
      } finally {
        controller.close();
      }
    },
  });
  // no-transform and X-Accel-Buffering: proxies (nginx) must pass each line on as it comes.
  return new Response(body, {
    status: 200,
    headers: { 'content-type': `${NDJSON}; charset=utf-8`, 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' },
  });
}

/** The opening documents an import posted, each with its signed page (relative without PUBLIC_URL: the admin page is same-origin). */
export async function withDocumentLinks(c: Context<AppEnv>, result: ImportResult): Promise<LinkedImportResult> {
  const { documents, ...rest } = result;
  if (!documents?.length) return rest;
  const { config, database, now } = c.var.deps;
  const secret = await linkSecretForSigning(config.LINK_SECRET, database.db);
  return { ...rest, documents: documents.map((d) => ({ ...d, url: signedDocumentUrl(config.PUBLIC_URL ?? '', secret, c.var.orgId, d.id, now()) })) };
}
