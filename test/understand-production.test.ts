import { describe, expect, it } from 'vitest';
import { intentSchema, understand, type Intent, type WorkReportIntent } from '../src/chat/conversations/understand';
import * as lexicon from '../src/chat/conversations/understand/lexicon';

const MO = 'MO-20261206-0003';
const work = (r: Omit<WorkReportIntent, 'intent'>): Intent => ({ intent: 'work_report', ...r });
const cost = (item: string): Intent => ({ intent: 'unit_cost', item });

// Each row: what a worker or a manager typed → what the bot should take from it.
const table: Array<[string, Intent]> = [
  [`报工 ${MO} 包装 2小时 合格200 报废3`, work({ number: MO, operation: '包装', laborHours: '2', goodQty: '200', scrapQty: '3' })],
  [`报工 ${MO} 包装 机时1.5`, work({ number: MO, operation: '包装', machineHours: '1.5' })],
  [`报工${MO} 熬制 两小时 良品50`, work({ number: MO, operation: '熬制', laborHours: '2', goodQty: '50' })],
  [`报工 ${MO} 包装 半小时`, work({ number: MO, operation: '包装', laborHours: '0.5' })],
  [`报工 ${MO} 包装 1.5 小时 合格 120`, work({ number: MO, operation: '包装', laborHours: '1.5', goodQty: '120' })],
  [`报工 ${MO} 包装 @PACK 1.5小时 200合格 3报废`, work({ number: MO, operation: '包装', workCenter: 'PACK', laborHours: '1.5', goodQty: '200', scrapQty: '3' })],
  [`报工 ${MO} 包装 工时2 机时1 合格200`, work({ number: MO, operation: '包装', laborHours: '2', machineHours: '1', goodQty: '200' })],
  [`报工：${MO}，包装，2小时，合格200`, work({ number: MO, operation: '包装', laborHours: '2', goodQty: '200' })],
  [`报工 mo20261206-0003 包装 2小时`, work({ number: MO, operation: '包装', laborHours: '2' })],
  [`report work ${MO} packing 2h good 200 scrap 3`, work({ number: MO, operation: 'packing', laborHours: '2', goodQty: '200', scrapQty: '3' })],
  [`report ${MO} mix 1.5 hours machine 2`, work({ number: MO, operation: 'mix', laborHours: '1.5', machineHours: '2' })],
  [`报工 ${MO} 包装好的 1小时`, work({ number: MO, operation: '包装好的', laborHours: '1' })],
  // Typos of the command word, and parts missing or unclear: read as far as they go, for the bot to ask.
  [`报功 ${MO} 包装 2小时`, work({ number: MO, operation: '包装', laborHours: '2' })],
  [`抱工 ${MO} 包装 2小时`, work({ number: MO, operation: '包装', laborHours: '2' })],
  ['报工 包装 2小时', work({ operation: '包装', laborHours: '2' })],
  [`报工 ${MO}`, work({ number: MO })],
  ['报工', work({})],
  [`报工 ${MO} 包装 2 合格200`, work({ number: MO, operation: '包装', goodQty: '200', unclear: ['2'] })],
  [`报工 ${MO} 包装 合格`, work({ number: MO, operation: '包装', unclear: ['合格'] })],
  [`报工 ${MO} 包装 2小时 张三`, work({ number: MO, operation: '包装', laborHours: '2', unclear: ['张三'] })],
  // Only first: anywhere else 报工 is a plain word, and a number alone is a document question.
  [`${MO} 报工`, { intent: 'document', number: MO }],
  // Unit cost
  ['成本 杯面', cost('杯面')],
  ['杯面成本', cost('杯面')],
  ['杯面的成本多少', cost('杯面')],
  ['单位成本 杯面', cost('杯面')],
  ['cost cup noodles', cost('cup noodles')],
  ['unit cost JAM-01', cost('JAM-01')],
  ['成本', cost('')],
];

describe('understand: production and costing', () => {
  it.each(table)('%j', (text, expected) => {
    const intent = understand(text);
    expect(intent).toEqual(expected);
    expect(intentSchema.safeParse(intent).success).toBe(true);
  });
});

describe('every production word does its job', () => {
  it.each((lexicon.openingWords.work_report ?? []).map((w) => [w]))('opening: %s MO-… 包装 2小时', (w) => {
    expect(understand(`${w} ${MO} 包装 2小时`)).toEqual(work({ number: MO, operation: '包装', laborHours: '2' }));
  });
  it.each(Object.entries(lexicon.workReportMarkers).flatMap(([slot, words]) => words.map((w) => [w, slot])))('marker: %s → %s', (w, slot) => {
    // After the number, spaced; before it, spaced: both say what the number is.
    expect(understand(`报工 ${MO} 包装 3 ${w}`)).toEqual(work({ number: MO, operation: '包装', [slot]: '3' }));
    expect(understand(`报工 ${MO} 包装 ${w} 3`)).toEqual(work({ number: MO, operation: '包装', [slot]: '3' }));
  });
  it.each(lexicon.triggerWords.unit_cost.map((w) => [w]))('unit cost: %s 杯面', (w) => {
    expect(understand(`${w} 杯面`)).toEqual(cost('杯面'));
  });
});
