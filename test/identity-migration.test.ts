import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import { expect, it } from 'vitest';
import { migrationsFolder, queryRows } from '../db/client';
import { findByIdentity } from '../src/people/identities';
import { openBareTestDatabase } from './harness';

// A database made before identities belonged to an organisation (migrations up to 0009) migrates
// and keeps its people: their identities stay theirs, and the apps their organisation used serve it.
it('migrates identities from before 0010 and keeps every person reachable', async () => {
  const before = mkdtempSync(join(tmpdir(), 'jxc-migrations-'));
  cpSync(migrationsFolder(), before, { recursive: true });
  const journal = JSON.parse(readFileSync(join(before, 'meta/_journal.json'), 'utf8'));
  journal.entries = journal.entries.filter((e: { idx: number }) => e.idx <= 9);
  writeFileSync(join(before, 'meta/_journal.json'), JSON.stringify(journal));
  const database = await openBareTestDatabase();
  const migrate = (folder: string) => database.engine === 'pglite'
    ? migratePglite(database.db as never, { migrationsFolder: folder })
    : migratePostgres(database.db as never, { migrationsFolder: folder });
  try {
    await migrate(before);
    await database.db.execute(sql`
      with o as (insert into organizations (slug, name) values ('old', 'Old Co') returning id),
      u as (insert into users (org_id, name, roles) select id, '老王', '{warehouse_lead}' from o returning id, org_id)
      insert into chat_identities (org_id, user_id, platform, external_id)
      select org_id, id, p, x from u, (values ('lark', 'ou_old'), ('wecom', 'wangwu'), ('sandbox', 'sb-old')) v(p, x)`);
    await migrate(migrationsFolder());
    const rows = await queryRows<{ platform: string; app: string; external_id: string }>(database.db,
      sql`select platform, app, external_id from chat_identities order by platform`);
    expect(rows).toEqual([
      { platform: 'lark', app: 'default', external_id: 'ou_old' },
      { platform: 'sandbox', app: 'default', external_id: 'sb-old' },
      { platform: 'wecom', app: 'default', external_id: 'wangwu' },
    ]);
    const apps = await queryRows<{ platform: string }>(database.db, sql`select platform from chat_apps order by platform`);
    expect(apps.map((a) => a.platform)).toEqual(['lark', 'wecom']);
    const person = await findByIdentity(database.db, { platform: 'wecom', app: 'default', externalId: 'wangwu' });
    expect(person?.name).toBe('老王');
    expect(person?.roles).toEqual(['warehouse_lead']);
  } finally {
    await database.close();
    rmSync(before, { recursive: true, force: true });
  }
});
