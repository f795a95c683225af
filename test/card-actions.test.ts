import { describe, expect, it } from 'vitest';
import { decodeAction, encodeAction, MAX_SNOOZE_HOURS, type Action } from '../cards/actions';

const A = '0b6f3c2e-4a1d-4c8e-9f7a-2d5e8c1b3a90';
const B = '7e2a9d41-5b3c-4f6e-8a1d-9c0b2e4f6a13';

const every: Action[] = [
  { verb: 'approve', documentId: A },
  { verb: 'reject', documentId: A },
  { verb: 'ship', documentId: A },
  { verb: 'receive', documentId: A },
  { verb: 'receive_short', documentId: A },
  { verb: 'qc', documentId: A },
  { verb: 'ack_alert', alertId: A },
  { verb: 'snooze_alert', alertId: A, hours: 4 },
  { verb: 'snooze_alert', alertId: A, hours: MAX_SNOOZE_HOURS },
  { verb: 'confirm_return', draftId: A },
  { verb: 'cancel_return', draftId: A },
  { verb: 'confirm_receipt', draftId: A },
  { verb: 'cancel_receipt', draftId: B },
  { verb: 'confirm_doc', draftId: A },
  { verb: 'cancel_doc', draftId: B },
  { verb: 'pick_item', sessionId: A, itemId: B },
  { verb: 'bind_chat', warehouseCode: 'WH-01' },
  { verb: 'bind_chat', warehouseCode: '总仓_1' },
  { verb: 'draft_po', alertId: A },
  { verb: 'draft_rq', alertId: A },
  { verb: 'submit_draft', documentId: A },
  { verb: 'adjust_draft', documentId: A },
  { verb: 'weekly_rq', warehouseId: A, week: '20261207' },
];

describe('action ids', () => {
  it.each(every.map((a) => [encodeAction(a), a] as const))('%s decodes to what was encoded', (id, action) => {
    expect(decodeAction(id)).toEqual(action);
  });

  it('covers every verb', () => {
    expect(new Set(every.map((a) => a.verb)).size).toBe(21);
  });

  it('stays within WeCom key and Lark value sizes', () => {
    for (const a of every) expect(new TextEncoder().encode(encodeAction(a)).length).toBeLessThanOrEqual(1024);
  });

  it.each([
    ['empty', ''],
    ['a verb alone', 'approve'],
    ['an unknown verb', `delete:${A}`],
    ['a verb in capitals', `APPROVE:${A}`],
    ['a bad uuid', 'approve:not-a-uuid'],
    ['a uuid missing a digit', `approve:${A.slice(1)}`],
    ['an empty argument', 'approve:'],
    ['an extra part', `approve:${A}:x`],
    ['an extra part on an alert', `ack_alert:${A}:4`],
    ['a snooze without hours', `snooze_alert:${A}`],
    ['a snooze of zero hours', `snooze_alert:${A}:0`],
    ['a negative snooze', `snooze_alert:${A}:-4`],
    ['a fractional snooze', `snooze_alert:${A}:1.5`],
    ['a huge snooze', `snooze_alert:${A}:${MAX_SNOOZE_HOURS + 1}`],
    ['a far too huge snooze', `snooze_alert:${A}:99999999999`],
    ['a hex snooze', `snooze_alert:${A}:0x10`],
    ['an exponent snooze', `snooze_alert:${A}:1e2`],
    ['a padded snooze', `snooze_alert:${A}: 4`],
    ['a snooze with an extra part', `snooze_alert:${A}:4:4`],
    ['a pick without its item', `pick_item:${A}`],
    ['a pick with a bad item', `pick_item:${A}:cola`],
    ['a warehouse code with a space', 'bind_chat:WH 01'],
    ['an empty warehouse code', 'bind_chat:'],
    ['a weekly card without its week', `weekly_rq:${A}`],
    ['a weekly card with a bad week', `weekly_rq:${A}:2026-12-07`],
    ['a draft from an alert that is not an id', 'draft_po:cola'],
    ['a warehouse code too long', `bind_chat:${'W'.repeat(65)}`],
    ['a return with a bad uuid', 'confirm_return:123'],
  ])('refuses %s', (_, id) => {
    expect(decodeAction(id)).toBeUndefined();
  });
});
