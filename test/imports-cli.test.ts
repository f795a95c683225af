import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../db/client';
import { auditLog, items } from '../db/schema';
import { ensureOrganization } from '../src/people/key-store';
import { errorTable, progressBar } from '../src/imports/report';
import { itemRows, toCsv } from './support/imports';

// The CLI opens the embedded database of DATA_DIR, as `npm run import` does beside a stopped service.
const dir = mkdtempSync(join(tmpdir(), 'jxc-import-cli-'));
const dataDir = join(dir, 'data');
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent', DATABASE_URL: '' };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/imports/cli.ts', ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function withDatabase<T>(fn: (db: Awaited<ReturnType<typeof openPglite>>['db']) => Promise<T>): Promise<T> {
  const database = await openPglite(dataDir);
  try {
    return await fn(database.db);
  } finally {
    await database.close();
  }
}

let orgId: string;
beforeAll(async () => {
  orgId = await withDatabase((db) => ensureOrganization(db, 'default', 'Default'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run import', () => {
  it('prints every bad row as a table and exits 1, writing nothing; then imports the fixed file', async () => {
    const rows = itemRows(60);
    rows[3]![2] = null;
    rows[40]![9] = 'x';
    const bad = await cli('items', file('bad.csv', toCsv(rows)));
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain([
      'row | column        | message',
      '----+---------------+--------',
      '4   | unit          | unit is required',
      "41  | shelfLifeDays | 'x' is not a whole number",
    ].join('\n'));
    expect(bad.stdout).toContain('2 problem(s) on 2 row(s) of 60; nothing was imported.');
    // Not a terminal: no progress bar in the way.
    expect(bad.stderr).toBe('');

    const dry = await cli('items', file('good.csv', toCsv(itemRows(60))), '--dry-run');
    expect(dry).toMatchObject({ code: 0, stdout: 'dry run: all 60 rows are fine; nothing was written.\n' });
    const good = await cli('items', join(dir, 'good.csv'));
    expect(good).toMatchObject({ code: 0, stdout: 'imported 60 rows\n' });

    await withDatabase(async (db) => {
      expect(await db.$count(items, eq(items.orgId, orgId))).toBe(60);
      const audit = await db.select().from(auditLog).where(eq(auditLog.orgId, orgId));
      expect(audit.map((a) => [a.entity, a.channel, a.actorRef])).toEqual([['import', 'job', 'job:import-cli']]);
    });
  });

  it('names the organisations there are when the one asked for is not, and refuses a DATA_DIR in use', async () => {
    const wrong = await cli('warehouses', file('wh.csv', 'code,name,type\nW1,One,store\n'), '--org', 'nope');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("import failed: no organisation 'nope'; the organisations are: default");

    const usage = await cli('stock', join(dir, 'wh.csv'));
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("unknown kind 'stock'");

    await withDatabase(async () => {
      const busy = await cli('warehouses', join(dir, 'wh.csv'));
      expect(busy.code).toBe(1);
      expect(busy.stderr).toContain('is in use by a running service: stop it first');
    });
  });
});

describe('the CLI report', () => {
  it('aligns the table, counting CJK characters as two columns, and lists the first 50', () => {
    const errors = Array.from({ length: 53 }, (_, i) => ({ row: i + 2, column: i === 0 ? '单位' : 'sku', message: `m${i}` }));
    const lines = errorTable(errors).split('\n');
    expect(lines.slice(0, 4)).toEqual(['row | column | message', '----+--------+--------', '2   | 单位   | m0', '3   | sku    | m1']);
    expect(lines).toHaveLength(2 + 50 + 1);
    expect(lines.at(-1)).toBe('… and 3 more');
  });

  it('draws the bar on a terminal only', () => {
    const written: string[] = [];
    const stream = (isTTY: boolean) => ({ isTTY, write: (s: string) => written.push(s) }) as unknown as NodeJS.WriteStream;
    progressBar(stream(false)).update('check', 5, 10);
    expect(written).toEqual([]);
    const bar = progressBar(stream(true), 10);
    bar.update('check', 5, 10);
    bar.update('check', 5, 10);
    bar.clear();
    expect(written).toEqual(['\rchecking [█████░░░░░] 5/10\x1b[K', '\r\x1b[K']);
  });
});
