/** Queries on follow-ups: the scheduled work of a ticket, each fired at most once. */
import type { FollowupKind } from '../../dialogs/types.ts';
import type { Queryable } from './db.ts';

/** A follow-up row. */
export interface FollowupRow {
  id: number;
  ticket_id: number;
  conversation_id: number;
  kind: FollowupKind;
  audience: 'customer' | 'staff';
  due_at: Date;
  state: 'scheduled' | 'sent' | 'cancelled';
  fired_at: Date | null;
}

/** Schedules a follow-up; returns its id. */
export async function insertFollowup(tx: Queryable, f: { ticketId: number; conversationId: number; kind: FollowupKind; audience: string; dueAt: Date }): Promise<number> {
  const r = await tx.query<{ id: number }>('INSERT INTO followups (ticket_id, conversation_id, kind, audience, due_at) VALUES ($1, $2, $3, $4, $5) RETURNING id', [
    f.ticketId,
    f.conversationId,
    f.kind,
    f.audience,
    f.dueAt,
  ]);
  return r.rows[0].id;
}

/** Cancels a ticket's still-scheduled follow-ups of the given kinds. */
export async function cancelFollowups(tx: Queryable, ticketId: number, kinds: FollowupKind[]): Promise<number> {
  return (await tx.query("UPDATE followups SET state = 'cancelled' WHERE ticket_id = $1 AND state = 'scheduled' AND kind = ANY($2::text[])", [ticketId, kinds])).rowCount;
}

/** Ids of follow-ups due by `now`, oldest first. */
export async function dueFollowups(db: Queryable, now: Date, limit: number): Promise<number[]> {
  return (await db.query<{ id: number }>("SELECT id FROM followups WHERE state = 'scheduled' AND due_at <= $1 ORDER BY due_at, id LIMIT $2", [now, limit])).rows.map((r) => r.id);
}

/**
 * Locks one follow-up for firing; `busy` when another process is firing it right now (it is skipped, not waited
 * for: two sweepers walking the same list then share it instead of queueing behind each other's locks).
 */
export async function lockFollowup(tx: Queryable, id: number): Promise<FollowupRow | 'busy' | undefined> {
  const row = (await tx.query<FollowupRow>('SELECT * FROM followups WHERE id = $1 FOR UPDATE SKIP LOCKED', [id])).rows[0];
  if (row) return row;
  return (await tx.query('SELECT 1 FROM followups WHERE id = $1', [id])).rowCount ? 'busy' : undefined;
}

/** Marks a follow-up sent or cancelled. */
export async function finishFollowup(tx: Queryable, id: number, state: 'sent' | 'cancelled', at: Date): Promise<void> {
  await tx.query('UPDATE followups SET state = $2, fired_at = $3 WHERE id = $1', [id, state, at]);
}

/** A ticket's follow-ups, for the staff API. */
export async function followupsOf(db: Queryable, ticketId: number): Promise<FollowupRow[]> {
  return (await db.query<FollowupRow>('SELECT * FROM followups WHERE ticket_id = $1 ORDER BY due_at, id', [ticketId])).rows;
}
