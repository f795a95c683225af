import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { testDatabaseUrl } from './harness';

// `npm run db:migrate` as a deployment runs it before a Workers deploy.
const root = fileURLToPath(new URL('..', import.meta.url));
const run = (env: Record<string, string>) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', 'db/migrate.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    timeout: 60_000,
  });

describe('db:migrate', () => {
  it('refuses to run without DATABASE_URL, naming it', { timeout: 60_000 }, async () => {
    const error = await run({}).then(() => undefined, (err: { code: number; stderr: string }) => err);
    expect(error?.code).toBe(1);
    expect(error?.stderr).toContain('DATABASE_URL');
  });

  it.skipIf(!testDatabaseUrl)('migrates an empty database, and again harmlessly (skipped without TEST_DATABASE_URL: the CLI migrates a server, never PGlite)', { timeout: 60_000 }, async () => {
    const name = `jxc_migrate_${randomBytes(4).toString('hex')}`;
    const admin = postgres(testDatabaseUrl!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    try {
      const url = new URL(testDatabaseUrl!);
      url.pathname = `/${name}`;
      for (let i = 0; i < 2; i++) expect((await run({ DATABASE_URL: url.toString() })).stdout).toContain('migrations applied');
      const db = postgres(url.toString(), { max: 1, onnotice: () => {} });
      const [row] = await db`select count(*)::int as n from information_schema.tables where table_name = 'stock_balances'`;
      await db.end();
      expect(row!.n).toBe(1);
    } finally {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
