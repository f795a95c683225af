import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Queryable } from '../../db/client';
import { serviceSecrets } from '../../db/schema';

/**
 * Signed links to a document's page, for cards opened in WeCom's or Lark's in-app browser (which
 * carry no API key): `PUBLIC_URL/documents/<documentId>?exp=<unix seconds>&sig=<hex HMAC-SHA256>`
 * over `<orgId>.<documentId>.<exp>`, so a link names one organisation's document and stops working
 * when it expires. The secret is LINK_SECRET, or one the service makes once and keeps in the database.
 */

/** How long a link in a card opens the page: long enough for a card to stay useful in a chat's history. */
export const DOCUMENT_LINK_VALIDITY_SECONDS = 90 * 24 * 60 * 60;

/** The `service_secrets` row holding the generated secret. */
const SECRET_NAME = 'document_links';

export type DocumentLinkClaim = { orgId: string; documentId: string; exp: number };

export function signDocumentLink(secret: string, claim: DocumentLinkClaim): string {
  return createHmac('sha256', secret).update(`${claim.orgId}.${claim.documentId}.${claim.exp}`).digest('hex');
}

/** The page's address with its signature, valid for DOCUMENT_LINK_VALIDITY_SECONDS from `now`. */
export function signedDocumentUrl(publicUrl: string, secret: string, orgId: string, documentId: string, now: Date): string {
  const exp = Math.floor(now.getTime() / 1000) + DOCUMENT_LINK_VALIDITY_SECONDS;
  return documentPageUrl(publicUrl, { documentId, exp, sig: signDocumentLink(secret, { orgId, documentId, exp }) });
}

/** The page's address for a link already signed: what a card carries and what the page's QR code encodes. */
export function documentPageUrl(base: string, link: { documentId: string; exp: number | string; sig: string }): string {
  return `${base.replace(/\/+$/, '')}/documents/${encodeURIComponent(link.documentId)}?exp=${link.exp}&sig=${link.sig}`;
}

export type LinkCheck = 'ok' | 'invalid' | 'expired';

/**
 * Whether a link's `exp` and `sig` (as they came in the query) sign this organisation's document:
 * compared in constant time; a link signed correctly but past its `exp` is `expired`.
 */
export function verifyDocumentLink(secret: string, link: { orgId: string; documentId: string; exp: string | undefined; sig: string | undefined }, now: Date): LinkCheck {
  if (!link.exp || !/^\d{1,12}$/.test(link.exp) || !link.sig || !/^[0-9a-f]{64}$/i.test(link.sig)) return 'invalid';
  const exp = Number(link.exp);
  const expected = Buffer.from(signDocumentLink(secret, { orgId: link.orgId, documentId: link.documentId, exp }), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(link.sig, 'hex'))) return 'invalid';
  return exp * 1000 <= now.getTime() ? 'expired' : 'ok';
}

/** Generated secrets already read from a database (committed), per database. */
const remembered = new WeakMap<object, string>();

/**
 * The secret to sign with: LINK_SECRET when configured; else the database's, made once. Race-free:
 * every instance inserts its candidate with `on conflict do nothing` and then uses the row that won.
 * `via` is the transaction to read it in when the caller is inside one on `db` (the value is then not
 * remembered, since that transaction may yet roll back).
 */
export async function linkSecretForSigning(configured: string | undefined, db: Queryable, via: Queryable = db): Promise<string> {
  if (configured) return configured;
  const cached = remembered.get(db);
  if (cached) return cached;
  let value = await readSecret(via);
  if (!value) {
    await via.insert(serviceSecrets).values({ name: SECRET_NAME, value: randomBytes(32).toString('hex') }).onConflictDoNothing();
    value = await readSecret(via);
  }
  if (!value) throw new Error('document link secret missing right after it was made');
  if (via === db) remembered.set(db, value);
  return value;
}

/** The secret to verify with, writing nothing: undefined when none was ever made (so no link can be valid). */
export async function linkSecretForVerifying(configured: string | undefined, db: Queryable): Promise<string | undefined> {
  if (configured) return configured;
  const value = remembered.get(db) ?? (await readSecret(db));
  if (value) remembered.set(db, value);
  return value;
}

async function readSecret(db: Queryable): Promise<string | undefined> {
  const [row] = await db.select({ value: serviceSecrets.value }).from(serviceSecrets).where(eq(serviceSecrets.name, SECRET_NAME));
  return row?.value;
}

/**
 * What a service context's `documentUrl` is set to: signs links to `orgId`'s documents when
 * PUBLIC_URL is set; none otherwise (cards then carry no link).
 */
export function documentUrls(options: { publicUrl: string | undefined; linkSecret: string | undefined; db: Queryable; via?: Queryable; orgId: string; now: () => Date }):
  ((documentId: string) => Promise<string | undefined>) | undefined {
  const { publicUrl } = options;
  if (!publicUrl) return undefined;
  return async (documentId) => signedDocumentUrl(publicUrl, await linkSecretForSigning(options.linkSecret, options.db, options.via), options.orgId, documentId, options.now());
}
