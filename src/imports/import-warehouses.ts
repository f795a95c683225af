import { and, eq, inArray } from 'drizzle-orm';
import { warehouses } from '../../db/schema';
import { CreateWarehouseBody } from '../master/inputs';
import type { CreateWarehouseInput } from '../master/warehouses';
import { inChunks, reportRepeats, type ImportKind } from './kind';

/** Warehouses: code, name, type, as POST /warehouses takes them. */
export const warehousesImport: ImportKind = {
  columns: ['code', 'name', 'type'],
  required: ['code', 'name', 'type'],
  async check(ctx, rows, tick) {
    const inputs = rows.map((r): CreateWarehouseInput | undefined => {
      tick();
      const parsed = CreateWarehouseBody.safeParse({ code: r.text('code'), name: r.text('name'), type: r.text('type') });
      if (parsed.success) return parsed.data;
      for (const issue of parsed.error.issues) r.fail(String(issue.path[0]), issue.message);
      return undefined;
    });
    reportRepeats(rows, (r) => [r.text('code')], (r, code, first) => r.fail('code', `code '${code}' is already on row ${first}`));
    const codes = [...new Set(rows.map((r) => r.text('code')).filter((c) => c !== undefined))];
    const taken = new Set(await inChunks(codes, 5000, async (part) => {
      const found = await ctx.db.select({ code: warehouses.code }).from(warehouses)
        .where(and(eq(warehouses.orgId, ctx.orgId), inArray(warehouses.code, part)));
      return found.map((w) => w.code);
    }));
    for (const r of rows) {
      const code = r.text('code');
      if (code !== undefined && taken.has(code)) r.fail('code', `warehouse with code '${code}' already exists`);
    }
    return async (tx, progress) => {
      const ready = inputs as CreateWarehouseInput[];
      await inChunks(ready, 1000, async (part) => {
        await tx.db.insert(warehouses).values(part.map((w) => ({ orgId: tx.orgId, ...w, createdAt: tx.now() })));
      });
      progress(ready.length, ready.length);
      return {};
    };
  },
};
