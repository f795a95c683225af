import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { asc } from 'drizzle-orm';
import { openDatabase } from '../../db/client';
import { organizations } from '../../db/schema';
import { ConfigError, loadConfig } from '../config';
import type { Ctx } from '../context';
import { DomainError } from '../errors';
import { createLogger } from '../lib/logger';
import { importFile, importKinds, type ImportKindName } from './import-file';
import { progressBar, summary } from './report';
import { formatOfName } from './sheet';

// `npm run import -- <kind> <file> [--dry-run] [--org <slug>] [--force]`: the import the API offers,
// straight on the database the service uses (DATABASE_URL, else the embedded one in DATA_DIR).

const usage = `usage: npm run import -- <${Object.keys(importKinds).join('|')}> <file.csv|file.xlsx> [--dry-run] [--org <slug>]
  --dry-run   check every row and report; write nothing
  --org       the organisation's slug (default: 'default' if it exists, else 'demo')
  --force     open an embedded DATA_DIR even though it looks in use`;

/** A mistake in the command line: the message and the usage, exit code 2. */
class UsageError extends Error {}
/** A problem the user can fix (no file, no organisation, a busy DATA_DIR): the message alone, exit code 1. */
class CliError extends Error {}

async function main(): Promise<number> {
  const { values, positionals } = args();
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const [kind, path] = positionals;
  if (!kind || !path || positionals.length > 2) throw new UsageError('expected a kind and a file');
  if (!(kind in importKinds)) throw new UsageError(`unknown kind '${kind}'`);
  const format = formatOfName(path);
  if (!format) throw new UsageError(`'${path}' is neither a .csv nor an .xlsx file`);
  const data = await readFile(path).catch((err: NodeJS.ErrnoException) => {
    throw new CliError(err.code === 'ENOENT' ? `no such file: ${path}` : `cannot read ${path}: ${err.message}`);
  });

  const config = loadConfig();
  // Embedded Postgres is one process per data directory: writing beside a running service would corrupt it.
  if (!config.DATABASE_URL && !values.force && existsSync(join(config.DATA_DIR, 'postmaster.pid'))) {
    throw new CliError(`${config.DATA_DIR} is in use by a running service: stop it first (if none is running — it crashed — pass --force)`);
  }
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    const ctx: Ctx = {
      db: database.db,
      orgId: await organizationId(database.db, values.org),
      actor: { type: 'job', job: 'import-cli' },
      now: () => new Date(),
      timezone: config.APP_TIMEZONE,
      log: createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, (line) => process.stderr.write(`${line}\n`)),
    };
    const bar = progressBar(process.stderr);
    const dryRun = values['dry-run'] ?? false;
    const result = await importFile(ctx, { kind: kind as ImportKindName, format, data, dryRun, onProgress: bar.update }).finally(bar.clear);
    console.log(summary(result, dryRun));
    return result.errors.length > 0 ? 1 : 0;
  } finally {
    await database.close();
  }
}

function args() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: { 'dry-run': { type: 'boolean' }, org: { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** The organisation by slug; without one, `default` (BOOTSTRAP_API_KEY's) if it exists, else `demo`. */
async function organizationId(db: Ctx['db'], slug: string | undefined): Promise<string> {
  const orgs = await db.select({ id: organizations.id, slug: organizations.slug }).from(organizations).orderBy(asc(organizations.slug));
  const found = slug !== undefined
    ? orgs.find((o) => o.slug === slug)
    : orgs.find((o) => o.slug === 'default') ?? orgs.find((o) => o.slug === 'demo');
  if (found) return found.id;
  const known = orgs.length > 0 ? `the organisations are: ${orgs.map((o) => o.slug).join(', ')}` : 'there is no organisation yet (start the service once to create the demo)';
  throw new CliError(`${slug === undefined ? "no organisation 'default' or 'demo'" : `no organisation '${slug}'`}; ${known}. Choose one with --org <slug>`);
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError) {
      console.error(`${err.message}\n${usage}`);
      process.exit(2);
    }
    // A refused file or a bad setting is told plainly; anything else is a bug and keeps its stack.
    const plain = err instanceof CliError || err instanceof DomainError || err instanceof ConfigError;
    console.error(plain ? `import failed: ${err.message}` : err);
    process.exit(1);
  },
);
