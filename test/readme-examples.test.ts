import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOutboxDelivery } from '../src/chat/delivery';
import { seedDemo } from '../src/demo/seed';
import { createTestApp, type TestApp } from './harness';

// Every chat example in the README's "What people can type" table (each `code span` in its first
// column) is sent through the sandbox as 张主管 in 徐汇店群, on the demo organisation as `npm start` makes it, and must get
// a useful answer: a card, or text that is not the fallback help, a not-found or a refusal. The README
// is read now, so examples added later are checked too.

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The code spans in the first column of the section's table. */
export function readmeExamples(readme: string): string[] {
  const start = readme.indexOf('\n## What people can type');
  const end = readme.indexOf('\n## ', start + 1);
  const rows = readme.slice(start, end === -1 ? undefined : end).split('\n')
    .filter((line) => line.startsWith('|') && !/^\|\s*-/.test(line) && !line.startsWith('| they type'));
  return rows.flatMap((row) => [...(row.split(' | ')[0] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
}

/** A document number (`TR-20261125-0007`, `tr-…`, `MO-…`) in an example. */
const NUMBER = /\b([A-Za-z]{2})-(?:\d{8}-\d{4}|…)/g;
/**
 * What no useful answer says: the fallback help, a thing not found, a refusal, nothing to show where
 * the demo has something (its low-stock 可乐 at 徐汇店), an operation or a cost it could not find.
 */
const USELESS = /^(没看懂|试试：|没找到|找不到|出错|没有权限|服务)|没有工序|算不出|只有管理员|没有低于安全库存|没有等你审批/;

/** Who sends it: binding a group is an admin's (赵管理员); everything else 张主管, the supervisor the README's "Try it" plays. */
const speakerFor = (text: string) => (/绑定本群|bind this group/i.test(text) ? 'demo-zhao' : 'demo-zhang');

let h: TestApp;
let key: string;
beforeAll(async () => {
  h = await createTestApp();
  const demo = (await seedDemo(h.db))!;
  key = demo.apiKey;
  await runOutboxDelivery({ db: h.db, platforms: h.deps.platforms, log: h.deps.log, timezone: 'Asia/Shanghai' }, new Date());
}, 90_000);
afterAll(() => h?.close());

describe('the README\'s chat examples, on the demo data', () => {
  const examples = readmeExamples(README);

  it('are found in the README', () => {
    expect(examples.length).toBeGreaterThanOrEqual(15);
    expect(examples).toContain('库存 红牛');
  });

  /**
   * A number in an example stands for the demo's document of that type: a transfer is a fresh one
   * waiting for a supervisor (so approving and rejecting both have something to decide), anything
   * else the demo's own (its issue, its production order in progress).
   */
  async function withDemoNumbers(text: string): Promise<string> {
    const api = h.client(key);
    let out = text;
    for (const match of text.matchAll(NUMBER)) {
      const prefix = match[1]!.toUpperCase();
      let number: string | undefined;
      if (prefix === 'TR') {
        const res = await api('POST', '/api/v1/documents', {
          type: 'transfer', warehouse: 'CENTRAL', toWarehouse: 'STORE-XH', submit: true, lines: [{ sku: 'COKE-330', qty: 240 }, { sku: 'RB-250', qty: 24 }],
        });
        expect(res.body.status).toBe('awaiting_approval');
        number = res.body.number;
      } else {
        const { documents } = (await api('GET', '/api/v1/documents?limit=200')).body as { documents: { number: string }[] };
        number = documents.find((d) => d.number.startsWith(`${prefix}-`))?.number;
      }
      if (number) out = out.replace(match[0], match[1] === prefix ? number : number.toLowerCase());
    }
    return out;
  }

  it.each(examples.filter((e) => !/[<>]/.test(e)))('「%s」 gets a useful answer', async (example) => {
    const text = await withDemoNumbers(example);
    if (text.includes('…')) return expect.fail(`"${example}" has a placeholder that stands for no demo document: write a full example`);
    // In 徐汇店群, where the demo's low-stock 可乐 is.
    const res = await h.client(key)('POST', '/sandbox/api/messages', { chatId: '徐汇店群', userId: speakerFor(text), text });
    expect(res.status).toBe(200);
    const replies = res.body.replies as { text?: string; card?: { title: string } }[];
    // SHOW_ANSWERS=1 prints every answer, for whoever writes the next example.
    if (process.env.SHOW_ANSWERS) console.log(text, "→", JSON.stringify(replies.map((r) => r.text ?? r.card?.title)));
    expect(replies.length, text).toBeGreaterThan(0);
    for (const r of replies) {
      if (r.text !== undefined) expect(r.text, `${text} → ${r.text}`).not.toMatch(USELESS);
      else expect(r.card?.title, text).toBeTruthy();
    }
  });
});
