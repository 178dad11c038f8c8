/** Queries on recovery tasks: the personal contact a low satisfaction score owes the customer (migration 0020). */
import { z } from 'zod';
import { recoveryOutcomeSchema, type RecoveryOutcome } from '../staff/recovery-input.ts';
import { ERASED } from '../domain/erased.ts';
import type { Queryable } from './db.ts';

/** Where a recovery task stands: open (or escalated) until staff record the contact, breached past its deadline. */
export const recoveryStateSchema = z.enum(['open', 'contacted', 'breached', 'escalated']);
/** A recovery task's state. */
export type RecoveryState = z.infer<typeof recoveryStateSchema>;

/** Every column of the recovery_tasks table, as `SELECT *` returns it. */
export const recoveryTaskRowSchema = z.object({
  id: z.number(),
  ticket_id: z.number(),
  round: z.number(),
  owner: z.string().nullable(),
  state: recoveryStateSchema,
  score: z.number().nullable(),
  due_at: z.date(),
  outcome: recoveryOutcomeSchema.nullable(),
  note: z.string().nullable(),
  recorded_by: z.string().nullable(),
  recorded_at: z.date().nullable(),
  breached_at: z.date().nullable(),
  reminder_followup_id: z.number().nullable(),
  breach_followup_id: z.number().nullable(),
  created_at: z.date(),
});
/** A recovery task row. */
export type RecoveryTaskRow = z.infer<typeof recoveryTaskRowSchema>;

/** States in which the contact is still owed and its deadline still counts. */
export const PENDING_STATES: readonly RecoveryState[] = ['open', 'escalated'];

/** Opens a recovery task; round numbers are unique per ticket. */
export async function insertRecoveryTask(
  tx: Queryable,
  t: { ticketId: number; round: number; owner: string | null; state: RecoveryState; score: number; dueAt: Date },
): Promise<RecoveryTaskRow> {
  return (
    await tx.query<RecoveryTaskRow>(
      `INSERT INTO recovery_tasks (ticket_id, round, owner, state, score, due_at) VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING *`,
      [t.ticketId, t.round, t.owner, t.state, t.score, t.dueAt],
    )
  ).rows[0];
}

/** Links a task to its reminder and breach follow-ups. */
export async function linkRecoveryFollowups(
  tx: Queryable,
  id: number,
  reminderId: number | null,
  breachId: number,
): Promise<void> {
  await tx.query('UPDATE recovery_tasks SET reminder_followup_id = $2, breach_followup_id = $3 WHERE id = $1', [
    id,
    reminderId,
    breachId,
  ]);
}

/** How many recovery rounds a ticket has had. */
export async function recoveryRounds(tx: Queryable, ticketId: number): Promise<number> {
  const r = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM recovery_tasks WHERE ticket_id = $1', [
    ticketId,
  ]);
  return Number(r.rows[0].n);
}

/** A ticket's latest recovery task, optionally locked for update. */
export async function latestRecoveryTask(
  tx: Queryable,
  ticketId: number,
  lock = false,
): Promise<RecoveryTaskRow | undefined> {
  return (
    await tx.query<RecoveryTaskRow>(
      `SELECT * FROM recovery_tasks WHERE ticket_id = $1 ORDER BY round DESC LIMIT 1${lock ? ' FOR UPDATE' : ''}`,
      [ticketId],
    )
  ).rows[0];
}

/** The task a reminder or breach follow-up belongs to, locked for update. */
export async function recoveryTaskOfFollowup(tx: Queryable, followupId: number): Promise<RecoveryTaskRow | undefined> {
  return (
    await tx.query<RecoveryTaskRow>(
      'SELECT * FROM recovery_tasks WHERE reminder_followup_id = $1 OR breach_followup_id = $1 FOR UPDATE',
      [followupId],
    )
  ).rows[0];
}

/** Marks a task breached: its deadline passed with no contact recorded. */
export async function markRecoveryBreached(tx: Queryable, id: number, at: Date): Promise<void> {
  await tx.query("UPDATE recovery_tasks SET state = 'breached', breached_at = $2 WHERE id = $1", [id, at]);
}

/** Records the contact staff made: the task is done. */
export async function recordRecoveryContact(
  tx: Queryable,
  id: number,
  c: { outcome: RecoveryOutcome; note: string | null; by: string; at: Date },
): Promise<RecoveryTaskRow> {
  return (
    await tx.query<RecoveryTaskRow>(
      `UPDATE recovery_tasks SET state = 'contacted', outcome = $2, note = $3, recorded_by = $4, recorded_at = $5
        WHERE id = $1 RETURNING *`,
      [id, c.outcome, c.note, c.by, c.at],
    )
  ).rows[0];
}

/** A ticket's recovery tasks, oldest round first. */
export async function recoveryTasksOf(db: Queryable, ticketId: number): Promise<RecoveryTaskRow[]> {
  return (
    await db.query<RecoveryTaskRow>('SELECT * FROM recovery_tasks WHERE ticket_id = $1 ORDER BY round', [ticketId])
  ).rows;
}

/** Erases the notes of `tickets`' recovery tasks (staff's words about an erased customer); outcomes and times stay. */
export async function eraseRecoveryNotes(tx: Queryable, tickets: number[]): Promise<void> {
  await tx.query('UPDATE recovery_tasks SET note = $2 WHERE ticket_id = ANY($1::bigint[]) AND note IS NOT NULL', [
    tickets,
    ERASED,
  ]);
}
