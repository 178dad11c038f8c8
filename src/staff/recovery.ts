/**
 * Recovering unhappy customers (issue #16): a low satisfaction score opens a recovery task, a personal contact owed by
 * the ticket's claimer (else the department's lead) before a deadline, with a reminder and a breach; staff record the
 * contact and its outcome, which releases the customer's second follow-up.
 */
import type { RoutingConfig } from '../../dialogs/routing-config.ts';
import { RedressError } from '../core/errors.ts';
import { scheduleFollowup, scheduleFollowups, type FollowupQueue } from '../core/schedule-followups.ts';
import type { Queryable } from '../store/db.ts';
import { cancelFollowups, rescheduleOfKind } from '../store/followups.ts';
import {
  PENDING_STATES,
  insertRecoveryTask,
  latestRecoveryTask,
  linkRecoveryFollowups,
  recordRecoveryContact,
  recoveryRounds,
  type RecoveryTaskRow,
} from '../store/recovery-tasks.ts';
import { addEvent, ticketByReference, updateTicket, type TicketRow } from '../store/tickets.ts';
import type { RecoveryInput } from './recovery-input.ts';

const HOUR = 3_600_000;

/** Who a department's escalation goes to: its Slack target when set (mentioned), else its name. */
export function escalationOf(dept: RoutingConfig['departments'][number] | undefined) {
  return { escalation: dept?.escalation ?? null, escalationSlack: dept?.escalation_slack ?? null };
}

/**
 * Opens the next recovery round of ticket `t` after a low score. Its owner is the claimer, else the department's lead,
 * else its on-call group (no one named: the thread line mentions nobody, and the breach still escalates). Past
 * `recovery.max_rounds` the round opens escalated, owned by the department's escalation target.
 */
export async function openRecoveryTask(
  tx: Queryable,
  queue: FollowupQueue | undefined,
  o: { ticket: TicketRow; routing: RoutingConfig; score: number; now: Date },
): Promise<RecoveryTaskRow> {
  const { ticket: t, routing, now } = o;
  const cfg = routing.recovery;
  const dept = routing.departments.find((d) => d.id === t.department);
  const round = (await recoveryRounds(tx, t.id)) + 1;
  const escalated = round > cfg.max_rounds;
  const esc = escalationOf(dept);
  const [owner, ownerRole] = escalated
    ? [esc.escalationSlack ?? esc.escalation, 'escalation']
    : t.claimed_by
      ? [t.claimed_by, 'claimer']
      : dept?.lead
        ? [dept.lead, 'lead']
        : [dept?.oncall ?? null, dept?.oncall ? 'oncall' : null];
  const dueAt = new Date(now.getTime() + cfg.deadline_hours * HOUR);
  const task = await insertRecoveryTask(tx, {
    ticketId: t.id,
    round,
    owner,
    state: escalated ? 'escalated' : 'open',
    score: o.score,
    dueAt,
  });
  const remindAt = new Date(dueAt.getTime() - cfg.reminder_hours * HOUR);
  const base = { ticketId: t.id, conversationId: t.conversation_id, audience: 'staff' as const };
  // A reminder that would fall at or before the task opens is no reminder: none is scheduled.
  const [reminderId, breachId] =
    cfg.reminder_hours > 0 && remindAt > now
      ? await scheduleFollowups(tx, queue, [
          { ...base, kind: 'recovery_reminder', dueAt: remindAt },
          { ...base, kind: 'recovery_breach', dueAt },
        ])
      : [null, await scheduleFollowup(tx, queue, { ...base, kind: 'recovery_breach', dueAt })];
  await linkRecoveryFollowups(tx, task.id, reminderId, breachId);
  await addEvent(tx, t.id, escalated ? 'recovery_escalated' : 'recovery_opened', 'bot', {
    taskId: task.id,
    round,
    maxRounds: cfg.max_rounds,
    owner,
    ownerRole,
    dueAt: dueAt.toISOString(),
    score: o.score,
    ...esc,
  });
  return task;
}

/**
 * Gives a reopened ticket a new SLA: due its severity's SLA hours from `now`, with its breach follow-up moved there
 * (a breach already fired stays in the trail; a new one is scheduled).
 */
export async function renewSla(
  tx: Queryable,
  queue: FollowupQueue | undefined,
  o: { ticket: TicketRow; routing: RoutingConfig; now: Date; actor: string },
): Promise<void> {
  const { ticket: t } = o;
  const due = new Date(o.now.getTime() + o.routing.sla_hours[t.severity] * HOUR);
  await updateTicket(tx, t.id, { sla_due_at: due });
  await cancelFollowups(tx, t.id, ['sla_breach']);
  await scheduleFollowup(tx, queue, {
    ticketId: t.id,
    conversationId: t.conversation_id,
    kind: 'sla_breach',
    audience: 'staff',
    dueAt: due,
  });
  await addEvent(tx, t.id, 'sla_renewed', o.actor, {
    from: new Date(t.sla_due_at).toISOString(),
    slaDueAt: due.toISOString(),
    severity: t.severity,
  });
}

/**
 * Records, as `actor`, the personal contact of ticket `reference`'s latest recovery task and its outcome. The task's
 * reminder and breach are cancelled and the customer's second follow-up, held for the contact, is due at once.
 */
export async function recordRecoveryIn(
  tx: Queryable,
  o: { reference: string; input: RecoveryInput; actor: string; now: Date; queue?: FollowupQueue },
): Promise<RecoveryTaskRow> {
  const t = await ticketByReference(tx, o.reference, true);
  if (!t) throw new RedressError('NOT_FOUND', `no ticket ${o.reference}`);
  const task = await latestRecoveryTask(tx, t.id, true);
  if (!task) throw new RedressError('CONFLICT', `${o.reference} has no recovery task: no low score was given`);
  // A breached task may still be recorded: the contact made late is worth knowing, and releases the follow-up.
  if (task.state === 'contacted')
    throw new RedressError('CONFLICT', `the contact of recovery round ${task.round} was already recorded`);
  const done = await recordRecoveryContact(tx, task.id, {
    outcome: o.input.outcome,
    note: o.input.note || null,
    by: o.actor,
    at: o.now,
  });
  await cancelFollowups(tx, t.id, ['recovery_reminder', 'recovery_breach']);
  const released = await rescheduleOfKind(tx, t.id, 'second_followup', o.now);
  if (o.queue && released.length)
    await o.queue.enqueue(
      tx,
      released.map((followupId) => ({ followupId, dueAt: o.now })),
    );
  await addEvent(tx, t.id, 'recovery_recorded', o.actor, {
    taskId: task.id,
    round: task.round,
    outcome: done.outcome,
    note: done.note,
    wasState: task.state,
    late: !PENDING_STATES.includes(task.state) || new Date(task.due_at) < o.now,
    secondFollowups: released,
  });
  return done;
}

/** A recovery task as staff see it (the staff API). */
export function recoveryView(r: RecoveryTaskRow) {
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return {
    round: r.round,
    state: r.state,
    owner: r.owner,
    score: r.score,
    dueAt: iso(r.due_at),
    outcome: r.outcome,
    note: r.note,
    recordedBy: r.recorded_by,
    recordedAt: iso(r.recorded_at),
    breachedAt: iso(r.breached_at),
    createdAt: iso(r.created_at),
  };
}
