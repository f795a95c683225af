import type { Outbound } from '../../../../bots/platform';
import { documentStatusName } from '../../../../cards/format';
import { decideApproval, type Decision } from '../../../inventory/documents/decide';
import { chatErrorText } from '../../error-text';
import { cardForSubject } from '../../cards/subjects';
import type { Ctx } from '../../../context';
import { DomainError } from '../../../errors';
import { getDocument } from '../../../inventory/documents/view';
import type { DecideIntent } from '../understand';

const verbs = { approve: '批准', reject: '驳回' } as const;
const EXAMPLE_NUMBER = 'PO-20261125-0012';
const example = (intent: DecideIntent, number: string) => (intent.decision === 'approve' ? `批准 ${number}` : `驳回 ${number} 价格太高`);

/**
 * `批准 PO-…` / `驳回 PO-… 原因`: the same decision a card tap makes (decideApproval as the chat
 * user, so the same level and role checks), in a savepoint of its own, so a refusal writes nothing.
 * The answer is a short text and the approval card as it now stands; a refusal is said plainly.
 */
export async function answerDecision(ctx: Ctx, intent: DecideIntent): Promise<Outbound[]> {
  const verb = verbs[intent.decision];
  const [number, ...more] = intent.numbers;
  if (!number) {
    return [{ text: `${verb}哪张单？请带上单号，例如：${example(intent, EXAMPLE_NUMBER)}。发「待审批」看等你审批的单据。` }];
  }
  if (more.length) {
    return [{ text: `一次只能${verb}一张单，这条消息里有 ${intent.numbers.length} 个单号（${intent.numbers.join('、')}）。请一张一张发，例如：${example(intent, number)}` }];
  }
  if (intent.decision === 'reject' && !intent.reason) {
    return [{ text: `驳回要写原因，请这样发：驳回 ${number} <原因>，例如：驳回 ${number} 价格太高` }];
  }
  const decision: Decision = intent.decision === 'approve'
    ? { decision: 'approve', ...(intent.reason && { comment: intent.reason }) }
    : { decision: 'reject', reason: intent.reason! };
  let id: string;
  try {
    // A savepoint when ctx is in a transaction: its audit rows are written in it (no `audit` buffer), so a refusal undoes them too.
    ({ id } = await ctx.db.transaction((tx) => decideApproval({ ...ctx, db: tx, inTransaction: true, audit: undefined }, number, decision)));
  } catch (err) {
    if (err instanceof DomainError) return refusal(ctx, verb, number, err);
    throw err;
  }
  return [{ text: await doneText(ctx, id, intent) }, { card: await cardForSubject(ctx, `approval:${id}`) }];
}

async function doneText(ctx: Ctx, id: string, intent: DecideIntent): Promise<string> {
  const doc = await getDocument(ctx, id);
  if (intent.decision === 'reject') return `已驳回 ${doc.number}，原因：${intent.reason}。`;
  const next = doc.approvals.find((a) => a.status === 'pending');
  return next
    ? `已批准 ${doc.number}，还要等第 ${next.level}/${doc.approvals.length} 级审批。`
    : `已批准 ${doc.number}，单据现在是「${documentStatusName(doc.status)}」。`;
}

type Decided = { by?: string; at?: string };

/**
 * Why nothing happened, in the words a person needs: no such document, decided already (by whom,
 * with the card as it stands), or not theirs to decide; the wording is `chatErrorText`'s.
 */
async function refusal(ctx: Ctx, verb: string, number: string, err: DomainError): Promise<Outbound[]> {
  if (err.code === 'not_found') return [{ text: `找不到单据 ${number}。请核对单号，或发「待审批」看等你审批的单据。` }];
  const text = chatErrorText(err, ctx.timezone);
  const d = (err.code === 'conflict' ? err.details : undefined) as Decided | undefined;
  if (d?.by && d.at) return [{ text: `${text}。` }, { card: await cardForSubject(ctx, `approval:${number}`) }];
  // A refusal that does not name the document (a shortage when the approval posts it) says which one.
  return [{ text: text.toUpperCase().includes(number.toUpperCase()) ? `${text}。` : `没有${verb} ${number}。${text}。` }];
}
