import { describe, expect, it } from 'vitest';
import { intentSchema, understand } from '../src/chat/conversations/understand';
import * as lexicon from '../src/chat/conversations/understand/lexicon';
import { seededRandom } from './support/random';


const random = seededRandom(20261125);
const int = (n: number) => Math.floor(random() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
const repeat = (n: number, f: () => string) => Array.from({ length: n }, f).join('');
// Mostly chat-sized, sometimes long, now and then up to 10,000 characters.
const length = () => (random() < 0.9 ? int(60) : random() < 0.9 ? int(1_000) : int(10_000));

const ranges: Array<[number, number]> = [
  [0x20, 0x7e], [0x3000, 0x303f], [0x4e00, 0x9fff], [0xff00, 0xffef], [0x0590, 0x06ff], // ASCII, CJK, full width, Hebrew/Arabic
  [0x200b, 0x200f], [0x202a, 0x202e], [0x2060, 0x2069], [0x0300, 0x036f], [0x1f300, 0x1faff], // invisibles, bidi, combining, emoji
  [0xd800, 0xdfff], [0x0, 0x1f], [0xac00, 0xd7a3], [0x10000, 0x10ffff], // lone surrogates, controls, Hangul, astral
];
const codePoint = () => {
  const [lo, hi] = pick(ranges);
  const cp = lo + int(hi - lo + 1);
  return cp >= 0xd800 && cp <= 0xdfff ? String.fromCharCode(cp) : String.fromCodePoint(cp);
};

const sql = [
  "'; drop table items; --", "' OR '1'='1", '1; DELETE FROM stock_balances', "admin'--", 'UNION SELECT * FROM users',
  "库存 '; drop table items; --", "退货 ' or 1=1 -- 5箱", '${jndi:ldap://x}', '<script>alert(1)</script>', '%s%s%n',
];
const words = [
  ...Object.values(lexicon.triggerWords).flat(), ...Object.values(lexicon.reasonWords).flat(), ...lexicon.noteWords,
  ...Object.values(lexicon.decisionWords).flat(), ...lexicon.decisionReasonMarkers,
  ...lexicon.fillerWords, ...lexicon.particles, ...lexicon.countUnits.container, ...lexicon.countUnits.classifier,
  ...lexicon.countUnits.english, ...lexicon.measureUnits, ...lexicon.englishNumbers, ...lexicon.timesMarks,
  ...lexicon.warehouseSuffixes, '@', '在', 'in', '客户', 'customer', '可乐', '红牛', 'cola', '五', '两', '一百零五', '半',
  '十二点五', '6901234567890', 'TR-20261125-0007', '123456', '5', '2.5', '0', '99999999', '一'.repeat(20),
];

const generators: Array<() => string> = [
  () => repeat(length(), codePoint),
  () => pick(sql),
  () => repeat(length(), () => pick([...'!?.,;:\'"()[]{}<>@#$%^&*-_=+/\\|~`，。？！、：；“”《》【】…'])),
  () => repeat(length(), () => String(int(10))),
  () => repeat(1 + int(12), () => pick(words) + pick(['', ' ', '  ', '\u3000', '\u200b', ',', '-'])),
  () => repeat(1 + int(8), () => pick(words) + codePoint()),
  () => pick(words).repeat(1 + int(2_000 / 8)),
];

describe('understand on hostile input', () => {
  it('answers 10,000 random, unicode and SQL-looking messages with a valid intent, never an error', () => {
    const seen = new Set<string>();
    for (let n = 0; n < 10_000; n++) {
      const message = pick(generators)();
      let intent: unknown;
      expect(() => (intent = understand(message)), JSON.stringify(message.slice(0, 200))).not.toThrow();
      const parsed = intentSchema.safeParse(intent);
      if (!parsed.success) expect.fail(`${JSON.stringify(message.slice(0, 200))} → ${JSON.stringify(intent)}`);
      seen.add(parsed.data.intent);
    }
    // The generators reach the grammar, not only its fallback.
    expect(seen.size).toBeGreaterThanOrEqual(8);
  });
});
