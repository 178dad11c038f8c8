/** Moves that open a ticket, and the moves of a conversation whose ticket is open (updates, withdrawal, satisfaction). */
import { render } from '../language/index.ts';
import { restate } from '../restate.ts';
import type { RoutingDecision, TurnOutput } from '../types.ts';
import * as intent from '../intents.ts';
import { detectComplaint } from '../understand/complaint-detector.ts';
import { withHistory } from './repeat-customer.ts';
import { withTier } from '../tier-routing.ts';
import { raiseNewThreats, threatReasons } from './threats.ts';
import { readSurveyReply, type SurveyReading } from '../survey-answers.ts';
import type { SurveyProgress } from '../survey-config.ts';
import { scoreQuestion } from '../survey-text.ts';
import { absorbText, dueIn, finish, freshState, say, ticketNeeded, type Turn } from './turn.ts';

/** A ticket as filed: what every channel's confirmation names. */
export interface Filed {
  /** The ticket's routing, after any repeat-customer raise. */
  routing: RoutingDecision;
  /** The complaint's own severity and reasons, before that raise: the apology answers what happened. */
  assessed: RoutingDecision;
  reference: string;
  department: string;
  due: string;
  restatement: string;
}

/**
 * Records the ticket and its follow-ups (no reply) with the ticket prepared for this turn; undefined when none was
 * (the turn then ends with ticketNeeded).
 */
export function fileTicket(t: Turn): Filed | undefined {
  const prepared = t.ctx.newTicket;
  if (!prepared) return undefined;
  const r = t.s.record;
  const words = [...r.customerWords, r.product ?? ''].join('\n');
  const assessed = t.ctx.router.route(words, t.s.llmCategory, t.s.sentence);
  // The vector served this routing only: 512 numbers are not kept in the conversation once the ticket is open.
  t.s.sentence = undefined;
  // The hand-off's cause, as the Slack card's badge reads it: three insults are an abuse hand-off, not a request for a person.
  if (t.s.handoff) assessed.reasons.push(t.s.abuseStrikes >= 3 ? 'repeated abuse' : 'customer handed off to a person');
  // The customer's tier raises after the repeat-customer raise (the apology still answers what happened).
  const routing = withTier(
    withHistory(assessed, prepared, t.ctx.router.config.sla_hours),
    words,
    prepared.tier,
    t.ctx.router.config,
  );
  // Threats in the complaint itself are on the ticket's routing reasons already: a later repeat is not raised again.
  t.s.threats = threatReasons(routing.reasons, t.ctx.router.config)
    .map((x) => x.slice(0, 300))
    .slice(0, 20);
  const restatement = t.s.llmRestatement ?? restate(r, t.pack, t.lang, t.ctx.now);
  const due = dueIn(t, routing.slaHours);
  const reference = prepared.reference;
  t.effects.push(
    {
      type: 'open_ticket',
      record: r,
      routing,
      restatement: render(t.lang, restatement),
      handoff: t.s.handoff,
      reference,
      dueAt: due,
    },
    {
      type: 'schedule_followup',
      kind: 'acknowledgement',
      audience: 'customer',
      dueAt: dueIn(t, t.ctx.ackDelayMinutes / 60),
    },
    {
      type: 'schedule_followup',
      kind: 'sla_reminder',
      audience: 'staff',
      dueAt: dueIn(t, routing.slaHours * t.ctx.slaReminderFraction),
    },
  );
  t.s.phase = 'ticketed';
  t.s.asking = undefined;
  t.s.ticketReference = reference;
  t.s.ticketDueAt = due;
  const department = t.ctx.router.config.departments.find((d) => d.id === routing.department)!;
  return {
    routing,
    assessed,
    reference,
    department: department.name[t.lang === 'en' ? 'en' : 'zh-Hans'],
    due,
    restatement,
  };
}

/** Files the ticket and tells the customer its reference, department and due date. */
export function openTicket(t: Turn): TurnOutput {
  const filed = fileTicket(t);
  if (!filed) return ticketNeeded(t);
  const { reference, department, due, restatement } = filed;
  say(
    t,
    t.s.handoff
      ? t.pack.handoffOpened({ reference, due: t.pack.formatDue(due) })
      : t.pack.ticketOpened({ reference, department, due: t.pack.formatDue(due), summary: restatement }),
  );
  return finish(t);
}

/** Answers "withdraw the ticket?": yes withdraws it and closes the conversation, anything else keeps it. */
export function confirmWithdraw(t: Turn, text: string): TurnOutput {
  const ref = t.s.ticketReference!;
  if (intent.isYes(text)) {
    t.effects.push(
      { type: 'set_status', status: 'withdrawn', reason: 'customer withdrew the complaint' },
      {
        type: 'cancel_followups',
        kinds: ['acknowledgement', 'sla_reminder', 'sla_breach', 'satisfaction_check', 'second_followup'],
      },
    );
    t.s = { ...freshState(t.s), phase: 'closed' };
    say(t, t.pack.withdrawn(ref));
  } else {
    t.s.phase = 'ticketed';
    say(t, t.pack.keepTicket(ref));
  }
  return finish(t);
}

/**
 * Reads a reply to the satisfaction survey, in any order and form (survey-answers.ts). With a score, the answers are
 * recorded and a low score reopens the ticket. Without one, a long message that answers nothing is an update to the
 * ticket (as it always was); anything else is recorded and the score is asked for, once.
 */
export function satisfaction(t: Turn, text: string): TurnOutput {
  const ref = t.s.ticketReference!;
  const survey = t.ctx.router.config.survey;
  const progress: SurveyProgress = t.s.survey ?? { round: 'satisfaction_check', scoreAsked: false };
  const reply = readSurveyReply(text, survey.questions);
  const score = reply.score;
  if (score === undefined) return withoutScore(t, text, reply, progress);
  const low = score <= survey.low_score;
  const { answers } = reply;
  t.effects.push({
    type: 'record_satisfaction',
    score,
    comment: text.slice(0, 500),
    answers,
    low,
    round: progress.round,
  });
  t.s.phase = 'ticketed';
  t.s.survey = undefined;
  if (low) {
    t.effects.push(
      { type: 'set_status', status: 'reopened', reason: `satisfaction score ${score}` },
      {
        type: 'schedule_followup',
        kind: 'second_followup',
        audience: 'customer',
        dueAt: dueIn(t, t.ctx.secondFollowupDays * 24),
      },
    );
    say(t, t.pack.satisfactionSorry(ref));
  } else if (score <= 3) say(t, t.pack.satisfactionNeutral(ref));
  else say(t, t.pack.satisfactionThanks(ref));
  return finish(t);
}

/** A survey reply with no score: an update, or answers kept and the score asked for once (never twice). */
function withoutScore(t: Turn, text: string, reply: SurveyReading, progress: SurveyProgress): TurnOutput {
  // A yes or no answers the survey; a long message with neither is news for the ticket, not a reply to it.
  const answered = reply.solved !== undefined;
  if (!answered && (text.split(/\s+/).length > 6 || text.length > 20)) return ticketed(t, text);
  if (Object.keys(reply.answers).length)
    t.effects.push({ type: 'record_survey_answers', answers: reply.answers, round: progress.round });
  if (progress.scoreAsked) {
    t.s.phase = 'ticketed';
    t.s.survey = undefined;
    say(t, t.pack.surveyNoted(t.s.ticketReference!));
    return finish(t);
  }
  t.s.survey = { ...progress, scoreAsked: true };
  const question = scoreQuestion(t.ctx.router.config.survey, t.lang);
  say(t, answered ? t.pack.surveyAskScore(question) : t.pack.scoreUnclear(question));
  return finish(t);
}

/** Adds a message that came after the ticket opened to its record, and to the ticket's events (chat and email alike). */
export function addToTicket(t: Turn, text: string): void {
  const a = absorbText(t, text, 'append');
  t.s.record = a.record;
  t.effects.push({ type: 'ticket_event', kind: 'customer_message', data: { text: text.slice(0, 2000) } });
  raiseNewThreats(t, text);
  if (a.added.length || a.changed.length)
    t.effects.push({ type: 'update_record', record: a.record, changed: [...a.added, ...a.changed] });
}

/** A message after the ticket opened: added to the ticket, and the customer told it is in hand. */
export function ticketed(t: Turn, text: string): TurnOutput {
  const ref = t.s.ticketReference!;
  const due = t.pack.formatDue(t.s.ticketDueAt ?? dueIn(t, 72));
  // Thanks, "ok" or "bye", and "what happens next?", are answered, not added to the ticket for staff to read.
  if (detectComplaint(text).closing) {
    say(t, t.pack.ticketStands({ reference: ref, due }));
    return finish(t);
  }
  if (intent.isProcessQuestion(text)) {
    say(t, t.pack.ticketNext({ reference: ref, due }));
    return finish(t);
  }
  addToTicket(t, text);
  say(t, t.pack.ticketUpdate({ reference: ref, due }));
  if (t.replies.length === 1) say(t, t.pack.newComplaintHint);
  return finish(t);
}
