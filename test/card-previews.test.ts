import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSandboxMessages } from '../bots/sandbox';
import type { Card } from '../cards/model';
import { renderLarkCard } from '../cards/render-lark';
import { renderMarkdownMessages } from '../cards/render-markdown';
import { sandboxMessages } from '../db/schema';
import { createTestApp, type TestApp } from './harness';
import { approvalOrg, sandboxPeople } from './support/approvals';
import { deliverAt } from './support/jobs';

// GET /sandbox/api/messages/:id/previews: a card the bot sent, as each platform's real renderer makes it.
let h: TestApp;
beforeAll(async () => {
  h = await createTestApp({ config: { PUBLIC_URL: 'https://jxc.example.com' } });
});
afterAll(() => h?.close());

/** An approval card in a sandbox group, and the group's name. */
async function approvalCard() {
  const o = await approvalOrg(h);
  const id = await sandboxPeople(o);
  const group = `${o.slug}-group`;
  await o.inv.ok('POST', '/api/v1/warehouses/WH/chats', { platform: 'sandbox', chatId: group, purposes: ['approvals'] });
  await o.rules([{ name: 'issues', documentTypes: ['issue'], levels: [{ roles: ['supervisor'] }] }]);
  const doc = await o.submit('issue', [{ sku: 'A', qty: 2 }]);
  await deliverAt(h, new Date());
  const [message] = await listSandboxMessages(h.db, o.orgId, group);
  return { o, id, doc, group, message: message! };
}

describe('card previews per platform', () => {
  it('renders the stored card with the Lark, WeCom app, WeCom AI bot and group robot renderers', async () => {
    const { o, doc, message } = await approvalCard();
    const [row] = await h.db.select().from(sandboxMessages).where(eq(sandboxMessages.id, message.id));
    const card = row!.card as unknown as Card;
    const res = await o.api('GET', `/sandbox/api/messages/${message.id}/previews`);
    expect(res.status).toBe(200);
    const p = res.body;
    expect(p.messageId).toBe(message.id);
    // Exactly what delivery would send to Lark, and within its limits.
    expect(p.lark.card).toEqual(renderLarkCard(card));
    expect(p.lark.card.schema).toBe('2.0');
    expect(p.lark.card.header.title.content).toContain(doc.number);
    expect(p.lark).toMatchObject({ ok: true, bytes: expect.any(Number), elements: expect.any(Number) });
    // WeCom app: a button_interaction template card whose button keys are the card's action ids (no typed reject).
    expect(p.wecomApp.msgtype).toBe('template_card');
    expect(p.wecomApp.template_card.card_type).toBe('button_interaction');
    expect(p.wecomApp.template_card.button_list.map((b: { key: string }) => b.key)).toEqual([`approve:${doc.id}`]);
    expect(p.wecomApp.template_card.sub_title_text).toContain(`驳回请发：驳回 ${doc.number}`);
    expect(p.wecomAibot).toEqual(p.wecomApp);
    // The group robot cannot answer: markdown with the link and where to act.
    expect(p.wecomRobot).toEqual(renderMarkdownMessages(card));
    expect(p.wecomRobot.join('\n')).toContain(`(https://jxc.example.com/documents/${doc.id}?exp=`);
  });

  it('refuses a bad id (400 naming the field), an unknown or other organisation\'s message (404), a text message (400), and a chat the key may not read (403)', async () => {
    const { o, id, message } = await approvalCard();
    const bad = await o.api('GET', '/sandbox/api/messages/not-a-uuid/previews');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([{ field: 'messageId', message: expect.stringContaining('UUID') }]);
    expect((await o.api('GET', `/sandbox/api/messages/${crypto.randomUUID()}/previews`)).status).toBe(404);
    const other = await h.createOrg();
    expect((await other.api('GET', `/sandbox/api/messages/${message.id}/previews`)).status).toBe(404);

    // The clerk's own line in their 1:1 chat is text; the supervisor's key may not read the clerk's 1:1.
    await o.inv.ok('POST', '/sandbox/api/messages', { chatId: id('clerk'), userId: id('clerk'), text: '帮助' });
    const [mine] = await listSandboxMessages(h.db, o.orgId, id('clerk'));
    const text = await o.api('GET', `/sandbox/api/messages/${mine!.id}/previews`);
    expect(text.status).toBe(400);
    expect(text.body.error.details[0].field).toBe('messageId');
    expect((await o.as.sup1.api('GET', `/sandbox/api/messages/${mine!.id}/previews`)).status).toBe(403);
    // A group's card is readable by anyone of the organisation.
    expect((await o.as.sup1.api('GET', `/sandbox/api/messages/${message.id}/previews`)).status).toBe(200);
  });
});
