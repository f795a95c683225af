import { describe, expect, it } from 'vitest';
import { DOCUMENT_LINK_VALIDITY_SECONDS, signDocumentLink, signedDocumentUrl, verifyDocumentLink } from '../src/web/document-links';
import { documentLink } from '../cards/format';
import { loadConfig } from '../src/config';

// Signed document links: the signature names the organisation and the document, and expires.
const secret = 'k'.repeat(40);
const orgId = '11111111-1111-4111-8111-111111111111';
const otherOrg = '22222222-2222-4222-8222-222222222222';
const documentId = '0b6f3c2e-4a1d-4c8e-9f7a-2d5e8c1b3a90';
const now = new Date('2026-11-25T06:00:00Z');

const parse = (url: string) => {
  const u = new URL(url);
  return { path: u.pathname, exp: u.searchParams.get('exp') ?? undefined, sig: u.searchParams.get('sig') ?? undefined };
};

describe('document links', () => {
  const url = signedDocumentUrl('https://erp.example.com/', secret, orgId, documentId, now);
  const { path, exp, sig } = parse(url);

  it('are PUBLIC_URL/documents/<id>?exp=<unix seconds>&sig=<hex HMAC-SHA256 of org.document.exp>, valid 90 days', () => {
    expect(path).toBe(`/documents/${documentId}`);
    expect(url.startsWith(`https://erp.example.com/documents/${documentId}?exp=`)).toBe(true);
    expect(Number(exp)).toBe(Math.floor(now.getTime() / 1000) + 90 * 86_400);
    expect(DOCUMENT_LINK_VALIDITY_SECONDS).toBe(90 * 86_400);
    expect(sig).toMatch(/^[0-9a-f]{64}$/);
    expect(sig).toBe(signDocumentLink(secret, { orgId, documentId, exp: Number(exp) }));
    expect(verifyDocumentLink(secret, { orgId, documentId, exp, sig }, now)).toBe('ok');
    // Still good the second before it expires; a link checked later than that says expired, not invalid.
    expect(verifyDocumentLink(secret, { orgId, documentId, exp, sig }, new Date(Number(exp) * 1000 - 1000))).toBe('ok');
    expect(verifyDocumentLink(secret, { orgId, documentId, exp, sig }, new Date(Number(exp) * 1000))).toBe('expired');
    expect(verifyDocumentLink(secret, { orgId, documentId, exp, sig }, new Date(now.getTime() + 91 * 86_400_000))).toBe('expired');
  });

  it('refuse any change to the document, organisation, expiry or signature, and another secret', () => {
    const otherDoc = '0b6f3c2e-4a1d-4c8e-9f7a-2d5e8c1b3a91';
    expect(verifyDocumentLink(secret, { orgId, documentId: otherDoc, exp, sig }, now)).toBe('invalid');
    expect(verifyDocumentLink(secret, { orgId: otherOrg, documentId, exp, sig }, now)).toBe('invalid');
    expect(verifyDocumentLink(secret, { orgId, documentId, exp: String(Number(exp) + 86_400), sig }, now)).toBe('invalid');
    const flipped = `${sig!.slice(0, -1)}${sig!.endsWith('0') ? '1' : '0'}`;
    expect(verifyDocumentLink(secret, { orgId, documentId, exp, sig: flipped }, now)).toBe('invalid');
    expect(verifyDocumentLink('z'.repeat(40), { orgId, documentId, exp, sig }, now)).toBe('invalid');
    // A tampered, expired link is invalid (the expiry is only believed once the signature holds).
    expect(verifyDocumentLink(secret, { orgId, documentId, exp: '1', sig }, now)).toBe('invalid');
  });

  it('refuse a missing or malformed signature or expiry without comparing', () => {
    for (const bad of [
      { exp: undefined, sig }, { exp, sig: undefined }, { exp: '', sig }, { exp, sig: '' }, { exp: 'soon', sig }, { exp: '-5', sig },
      { exp, sig: sig!.slice(2) }, { exp, sig: `${sig}00` }, { exp, sig: 'zz'.repeat(32) }, { exp: '1e12', sig },
    ]) expect(verifyDocumentLink(secret, { orgId, documentId, ...bad }, now)).toBe('invalid');
  });

  it('a card links to the signed URL it is given, and to nothing without one', () => {
    expect(documentLink({ documentUrl: url })).toEqual({ label: '查看单据', url });
    expect(documentLink({})).toBeUndefined();
    expect(documentLink({ documentUrl: undefined })).toBeUndefined();
  });

  it('LINK_SECRET, when set, has at least 32 characters', () => {
    expect(() => loadConfig({ LINK_SECRET: 'short' })).toThrow(/LINK_SECRET: must be at least 32 characters/);
    expect(loadConfig({ LINK_SECRET: secret }).LINK_SECRET).toBe(secret);
    expect(loadConfig({}).LINK_SECRET).toBeUndefined();
  });
});
