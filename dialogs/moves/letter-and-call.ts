/** Messages complete in themselves, an email or a transcribed phone call: the ticket opens on the first one. */
import { allMissing } from '../absorb.ts';
import { applyHint, hintRestatement } from '../understand/apply-hint.ts';
import { detectComplaint } from '../understand/complaint-detector.ts';
import { CONFIDENT } from '../understand/field-evidence.ts';
import type { LlmHint } from '../understand/llm-hint-schema.ts';
import type { ComplaintRecord, Field, TurnOutput } from '../types.ts';
import { addToTicket, fileTicket } from './ticket.ts';
import { absorbText, apologise, dueIn, finish, freshState, regionsFor, say, ticketNeeded, type Turn } from './turn.ts';

/** Email: every message is complete in itself. The first opens the ticket at once and asks for all that is missing. */
export function letter(t: Turn, text: string, knownEmail?: string, hint?: LlmHint, sentence?: number[]): TurnOutput {
  if (t.s.ticketReference && t.s.phase !== 'closed') {
    const ref = t.s.ticketReference;
    addToTicket(t, text);
    say(t, t.pack.letterUpdated({ reference: ref, due: t.pack.formatDue(t.s.ticketDueAt ?? dueIn(t, 72)) }));
    const missing = allMissing(t.s.record);
    say(t, missing.length ? t.pack.letterMissing(missing.map((f) => t.pack.detailNames[f])) : t.pack.letterComplete);
    return finish(t);
  }
  if (t.s.phase === 'closed') t.s = freshState(t.s);
  const a = absorbText(t, text, 'set');
  const record = unsureLeftOut(applyHint(a.record, hint, { regions: regionsFor(t), now: t.ctx.now }));
  t.s.record = knownEmail && !record.email ? { ...record, email: knownEmail } : record;
  t.s.llmRestatement = t.s.record.description ? hintRestatement(hint, t.lang) : undefined;
  t.s.llmCategory = hint?.category;
  t.s.sentence = sentence;
  if (!t.s.record.description) {
    say(t, t.pack.greeting);
    return finish(t);
  }
  // An email with no complaint in it (a question, thanks) opens no ticket: it gets a polite answer.
  if (!detectComplaint(text).complaint && hint?.isComplaint !== true) {
    t.s = { ...freshState(t.s), phase: 'closed' };
    t.effects.push({ type: 'no_complaint', reason: 'no complaint found in the email' });
    say(t, t.pack.offTopic);
    say(t, t.pack.askWhatWrong);
    return finish(t);
  }
  // One routing decides the apology, the ticket and the department named to the customer.
  const filed = fileTicket(t);
  if (!filed) return ticketNeeded(t);
  apologise(t, filed.assessed.severity, filed.assessed.reasons);
  say(t, t.pack.letterUnderstood(filed.restatement));
  say(
    t,
    t.pack.letterOpened({ reference: filed.reference, department: filed.department, due: t.pack.formatDue(filed.due) }),
  );
  const missing = allMissing(t.s.record);
  if (missing.length) say(t, t.pack.letterMissing(missing.map((f) => t.pack.detailNames[f])));
  say(t, t.pack.letterCorrections);
  return finish(t);
}

/**
 * A letter is not answered turn by turn, so nothing in it can be confirmed before the ticket opens: a reading below
 * CONFIDENT (a product guessed by the tagger) is left out and asked for in the reply instead of assumed.
 */
function unsureLeftOut(record: ComplaintRecord): ComplaintRecord {
  const evidence = record.evidence ?? {};
  const unsure = (Object.keys(evidence) as Array<keyof ComplaintRecord>).filter(
    (f) => (evidence[f]?.confidence ?? 1) < CONFIDENT && f !== 'description',
  );
  if (!unsure.length) return record;
  const out: ComplaintRecord = { ...record, evidence: { ...evidence } };
  for (const f of unsure) {
    delete (out as Record<string, unknown>)[f];
    delete out.evidence![f];
  }
  return out;
}

/**
 * A phone call, already transcribed and extracted by the channel: the ticket opens at once. The customer gets the
 * restatement and a list of what is missing or uncertain when there is an email to write to; with no contact point
 * at all, staff are asked to call back.
 */
export function call(t: Turn, record: ComplaintRecord | undefined, unsure: Field[]): TurnOutput {
  if (t.s.ticketReference) {
    say(
      t,
      t.pack.ticketUpdate({ reference: t.s.ticketReference, due: t.pack.formatDue(t.s.ticketDueAt ?? dueIn(t, 72)) }),
    );
    return finish(t);
  }
  // A call that is only a question ("when does my promo code expire?") opens no ticket.
  if (!record?.description || !detectComplaint(record.customerWords.join('\n') || record.description).complaint) {
    t.s.phase = 'closed';
    t.effects.push({ type: 'no_complaint', reason: 'no complaint found in the call' });
    return finish(t);
  }
  t.s.record = { ...record, declined: [] };
  const filed = fileTicket(t);
  if (!filed) return ticketNeeded(t);
  if (!record.email && !record.phone)
    t.effects.push({ type: 'handoff', reason: 'no contact point in the call: call-back needed' });
  if (!record.email) return finish(t);
  apologise(t, filed.assessed.severity, filed.assessed.reasons);
  say(t, t.pack.callUnderstood(filed.restatement));
  say(
    t,
    t.pack.letterOpened({ reference: filed.reference, department: filed.department, due: t.pack.formatDue(filed.due) }),
  );
  const missing = [...new Set([...allMissing(t.s.record), ...unsure])].filter(
    (f) => f !== 'contact' && f !== 'description',
  );
  if (missing.length) say(t, t.pack.letterMissing(missing.map((f) => t.pack.detailNames[f])));
  say(t, t.pack.letterCorrections);
  return finish(t);
}
