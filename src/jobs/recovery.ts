/**
 * The scheduler's part in recovering unhappy customers (issue #16): a recovery task's reminder and breach, and the
 * customer's second follow-up held until staff record the personal contact or its deadline passes.
 */
import type { RoutingConfig } from '../../dialogs/routing-config.ts';
import type { FollowupKind } from '../domain/followups.ts';
import type { Logger } from '../core/log.ts';
import type { Queryable } from '../store/db.ts';
import { rescheduleFollowup, type FollowupRow, type FollowupTicket } from '../store/followups.ts';
import {
  PENDING_STATES,
  latestRecoveryTask,
  markRecoveryBreached,
  recoveryTaskOfFollowup,
} from '../store/recovery-tasks.ts';
import { addEvent } from '../store/tickets.ts';
import { escalationOf } from '../staff/recovery.ts';

/** Whether a follow-up kind belongs to a recovery task. */
export function isRecoveryKind(kind: FollowupKind): boolean {
  return kind === 'recovery_reminder' || kind === 'recovery_breach';
}

/**
 * Fires a recovery task's reminder or breach, with its ticket locked: an event the Slack thread shows, mentioning the
 * owner (reminder) or the escalation target (breach). A task whose contact was recorded meanwhile cancels it.
 */
export async function fireRecovery(
  tx: Queryable,
  f: FollowupRow,
  ticket: FollowupTicket,
  now: Date,
  deps: { routing: RoutingConfig; log?: Logger },
): Promise<'sent' | 'cancelled'> {
  const task = await recoveryTaskOfFollowup(tx, f.id);
  if (!task || !PENDING_STATES.includes(task.state)) {
    await addEvent(tx, ticket.id, 'followup_cancelled', 'scheduler', {
      kind: f.kind,
      followupId: f.id,
      recoveryState: task?.state ?? null,
    });
    return 'cancelled';
  }
  const about = { followupId: f.id, taskId: task.id, round: task.round, owner: task.owner };
  const dueAt = new Date(task.due_at).toISOString();
  if (f.kind === 'recovery_reminder') {
    await addEvent(tx, ticket.id, 'recovery_reminder', 'scheduler', { ...about, dueAt });
    return 'sent';
  }
  const esc = escalationOf(deps.routing.departments.find((d) => d.id === ticket.department));
  await markRecoveryBreached(tx, task.id, now);
  await addEvent(tx, ticket.id, 'recovery_breached', 'scheduler', { ...about, dueAt, ...esc });
  deps.log?.warn(
    { ticket: ticket.reference, department: ticket.department, escalation: esc.escalation },
    'recovery contact not recorded by its deadline: escalated',
  );
  return 'sent';
}

/**
 * Holds a customer's second follow-up while the ticket's recovery task is pending and within its deadline: it is moved
 * to the deadline (recording the contact moves it to that moment). True when it was held.
 */
export async function holdForRecovery(tx: Queryable, f: FollowupRow, now: Date): Promise<boolean> {
  const task = await latestRecoveryTask(tx, f.ticket_id);
  if (!task || !PENDING_STATES.includes(task.state) || new Date(task.due_at) <= now) return false;
  await rescheduleFollowup(tx, f.id, task.due_at);
  return true;
}
