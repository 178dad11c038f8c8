/** Moves that open a ticket, and the moves of a conversation whose ticket is open (updates, withdrawal, satisfaction). */
import { absorb } from '../absorb.ts';
import { render } from '../language/index.ts';
import { restate } from '../restate.ts';
import { REFERENCE_PLACEHOLDER, type RoutingDecision, type TurnOutput } from '../types.ts';
import * as intent from '../intents.ts';
import { dueIn, finish, freshState, regionsFor, say, type Turn } from './turn.ts';

/** Records the ticket and its follow-ups (no reply); returns the routing every channel's confirmation uses. */
export function fileTicket(t: Turn): {
  routing: RoutingDecision;
  department: string;
  due: string;
  restatement: string;
} {
  const r = t.s.record;
  const routing = t.ctx.router.route([...r.customerWords, r.product ?? ''].join('\n'), t.s.llmCategory);
  if (t.s.handoff) routing.reasons.push('customer handed off to a person');
  const restatement = t.s.llmRestatement ?? restate(r, t.pack, t.lang, t.ctx.now);
  const due = dueIn(t, routing.slaHours);
  t.effects.push(
    { type: 'open_ticket', record: r, routing, restatement: render(t.lang, restatement), handoff: t.s.handoff },
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
  t.s.ticketReference = REFERENCE_PLACEHOLDER;
  t.s.ticketDueAt = due;
  const department = t.ctx.router.config.departments.find((d) => d.id === routing.department)!;
  return { routing, department: department.name[t.lang === 'en' ? 'en' : 'zh-Hans'], due, restatement };
}

/** Files the ticket and tells the customer its reference, department and due date. */
export function openTicket(t: Turn): TurnOutput {
  const { department, due, restatement } = fileTicket(t);
  say(
    t,
    t.s.handoff
      ? t.pack.handoffOpened({ reference: REFERENCE_PLACEHOLDER, due: t.pack.formatDue(due) })
      : t.pack.ticketOpened({
          reference: REFERENCE_PLACEHOLDER,
          department,
          due: t.pack.formatDue(due),
          summary: restatement,
        }),
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

/** Reads a satisfaction score; a low one reopens the ticket, a long message without one is taken as an update. */
export function satisfaction(t: Turn, text: string): TurnOutput {
  const ref = t.s.ticketReference!;
  const score = intent.parseScore(text);
  if (score === undefined) {
    if (text.split(/\s+/).length > 6 || text.length > 20) return ticketed(t, text);
    say(t, t.pack.scoreUnclear);
    return finish(t);
  }
  t.effects.push({ type: 'record_satisfaction', score, comment: text.slice(0, 500) });
  t.s.phase = 'ticketed';
  if (score <= 2) {
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
  } else if (score === 3) say(t, t.pack.satisfactionNeutral(ref));
  else say(t, t.pack.satisfactionThanks(ref));
  return finish(t);
}

/** A message after the ticket opened: added to the ticket, and the customer told it is in hand. */
export function ticketed(t: Turn, text: string): TurnOutput {
  const ref = t.s.ticketReference!;
  const a = absorb(t.s.record, text, {
    now: t.ctx.now,
    regions: regionsFor(t),
    budget: t.ctx.budget,
    describe: 'append',
  });
  t.s.record = a.record;
  t.effects.push({ type: 'ticket_event', kind: 'customer_message', data: { text: text.slice(0, 2000) } });
  if (a.added.length || a.changed.length)
    t.effects.push({ type: 'update_record', record: a.record, changed: [...a.added, ...a.changed] });
  say(t, t.pack.ticketUpdate({ reference: ref, due: t.pack.formatDue(t.s.ticketDueAt ?? dueIn(t, 72)) }));
  if (t.replies.length === 1) say(t, t.pack.newComplaintHint);
  return finish(t);
}
