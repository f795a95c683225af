import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { migrationsFolder, openPglite, openPostgres } from '../../db/client';

/**
 * Migrated copies for the test suite: every test file needs a migrated database, and running all
 * migrations costs seconds per file (most of a small file's time). One copy is made per set of
 * migrations — keyed by a hash of their files, so a new migration makes a new copy — and every
 * file starts from it: PGlite loads a dump of a migrated data directory, Postgres creates its
 * database from a migrated template.
 */
function migrationsHash(): string {
  const folder = migrationsFolder();
  const hash = createHash('sha256');
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.sql')).sort()) hash.update(file).update(readFileSync(join(folder, file)));
  hash.update(readFileSync(join(folder, 'meta', '_journal.json')));
  return hash.digest('hex').slice(0, 16);
}

const cacheDir = fileURLToPath(new URL('../../node_modules/.cache/jxc-test', import.meta.url));

let dump: Promise<Blob> | undefined;

/** A tarball of a freshly migrated PGlite data directory, made once (and kept on disk for later runs). */
export function migratedPgliteDump(): Promise<Blob> {
  dump ??= (async () => {
    const file = join(cacheDir, `pglite-${migrationsHash()}.tar`);
    if (!existsSync(file)) {
      const database = await openPglite(undefined);
      const client = (database.db as unknown as { $client: { dumpDataDir: (c: 'none') => Promise<Blob> } }).$client;
      const tar = Buffer.from(await (await client.dumpDataDir('none')).arrayBuffer());
      await database.close();
      mkdirSync(cacheDir, { recursive: true });
      // Written aside and renamed: parallel test files never read half a file.
      const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
      writeFileSync(partial, tar);
      renameSync(partial, file);
    }
    return new Blob([readFileSync(file)]);
  })();
  return dump;
}

/**
 * The name of a migrated template database on the server, made once per set of migrations under
 * an advisory lock (test files start in parallel). Templates of older migrations are dropped.
 */
export async function migratedTemplate(serverUrl: string): Promise<string> {
  const name = `jxc_template_${migrationsHash()}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    const exists = async () => (await admin`select 1 from pg_database where datname = ${name}`).length > 0;
    if (await exists()) return name;
    await admin`select pg_advisory_lock(7262077)`;
    try {
      if (await exists()) return name;
      const building = `${name}_building`;
      await admin.unsafe(`drop database if exists ${building} with (force)`);
      await admin.unsafe(`create database ${building}`);
      const url = new URL(serverUrl);
      url.pathname = `/${building}`;
      const database = await openPostgres(url.toString(), { max: 1 });
      await database.close();
      // Renamed only when whole, so a template that exists is always fully migrated.
      await admin.unsafe(`alter database ${building} rename to ${name}`);
      for (const old of await admin`select datname from pg_database where datname like 'jxc_template_%' and datname <> ${name}`) {
        await admin.unsafe(`drop database if exists ${old.datname as string} with (force)`).catch(() => undefined);
      }
      return name;
    } finally {
      await admin`select pg_advisory_unlock(7262077)`;
    }
  } finally {
    await admin.end();
  }
}
