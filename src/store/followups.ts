/** Queries on follow-ups: the scheduled work of a ticket, each fired at most once. */
import { z } from 'zod';
import {
  followupAudienceSchema,
  followupKindSchema,
  followupStateSchema,
  type FollowupAudience,
  type FollowupKind,
} from '../domain/followups.ts';
import type { Queryable } from './db.ts';
import type { ConversationRow } from './conversations.ts';
import type { TicketRow } from './tickets.ts';

/** Every column of the followups table, as `SELECT *` returns it. */
export const followupRowSchema = z.object({
  id: z.number(),
  ticket_id: z.number(),
  conversation_id: z.number(),
  kind: followupKindSchema,
  audience: followupAudienceSchema,
  due_at: z.date(),
  state: followupStateSchema,
  fired_at: z.date().nullable(),
  created_at: z.date(),
});
/** A follow-up row. */
export type FollowupRow = z.infer<typeof followupRowSchema>;

/** A follow-up to schedule. */
export interface NewFollowup {
  ticketId: number;
  conversationId: number;
  kind: FollowupKind;
  audience: FollowupAudience;
  dueAt: Date;
}

/** Schedules a follow-up; returns its id. */
export async function insertFollowup(tx: Queryable, f: NewFollowup): Promise<number> {
  return (await insertFollowups(tx, [f]))[0];
}

/** Schedules follow-ups in one statement; returns their ids in the order given. */
export async function insertFollowups(tx: Queryable, list: NewFollowup[]): Promise<number[]> {
  if (!list.length) return [];
  const r = await tx.query<{ id: number }>(
    `INSERT INTO followups (ticket_id, conversation_id, kind, audience, due_at)
     SELECT t.ticket_id, t.conversation_id, t.kind, t.audience, t.due_at
       FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::timestamptz[]) WITH ORDINALITY
            AS t(ticket_id, conversation_id, kind, audience, due_at, n)
      ORDER BY t.n
     RETURNING id`,
    [
      list.map((f) => f.ticketId),
      list.map((f) => f.conversationId),
      list.map((f) => f.kind),
      list.map((f) => f.audience),
      list.map((f) => f.dueAt),
    ],
  );
  // Ids come from one sequence in insertion order, which is the order given.
  return r.rows.map((row) => Number(row.id)).sort((a, b) => a - b);
}

/** Cancels a ticket's still-scheduled follow-ups of the given kinds. */
export async function cancelFollowups(
  tx: Queryable,
  ticketId: number,
  kinds: readonly FollowupKind[],
): Promise<number> {
  return (
    await tx.query(
      "UPDATE followups SET state = 'cancelled' WHERE ticket_id = $1 AND state = 'scheduled' AND kind = ANY($2::text[])",
      [ticketId, kinds],
    )
  ).rowCount;
}

/** Ids of follow-ups due by `now`, oldest first. */
export async function dueFollowups(db: Queryable, now: Date, limit: number): Promise<number[]> {
  return (
    await db.query<{ id: number }>(
      "SELECT id FROM followups WHERE state = 'scheduled' AND due_at <= $1 ORDER BY due_at, id LIMIT $2",
      [now, limit],
    )
  ).rows.map((r) => r.id);
}

/**
 * Locks one follow-up for firing; `busy` when another process is firing it right now (it is skipped, not waited
 * for: two sweepers walking the same list then share it instead of queueing behind each other's locks).
 */
export async function lockFollowup(tx: Queryable, id: number): Promise<FollowupRow | 'busy' | undefined> {
  const row = (await tx.query<FollowupRow>('SELECT * FROM followups WHERE id = $1 FOR UPDATE SKIP LOCKED', [id]))
    .rows[0];
  if (row) return row;
  return (await tx.query('SELECT 1 FROM followups WHERE id = $1', [id])).rowCount ? 'busy' : undefined;
}

/** Marks follow-ups sent or cancelled (one statement for a batch; none for an empty list). */
export async function finishFollowups(
  tx: Queryable,
  ids: number[],
  state: 'sent' | 'cancelled',
  at: Date,
): Promise<void> {
  if (!ids.length) return;
  await tx.query('UPDATE followups SET state = $2, fired_at = $3 WHERE id = ANY($1::bigint[])', [ids, state, at]);
}

/**
 * Claims up to `limit` follow-ups due by `now`, oldest first, locked for this transaction. Rows another transaction
 * holds are skipped, so sweepers in several processes take disjoint batches instead of queueing on each other.
 */
export async function claimDueFollowups(tx: Queryable, now: Date, limit: number): Promise<FollowupRow[]> {
  const r = await tx.query<FollowupRow>(
    "SELECT * FROM followups WHERE state = 'scheduled' AND due_at <= $1 ORDER BY due_at, id LIMIT $2 FOR UPDATE SKIP LOCKED",
    [now, limit],
  );
  return r.rows;
}

/** What firing needs of a follow-up's ticket. */
export type FollowupTicket = Pick<TicketRow, 'id' | 'reference' | 'status' | 'department' | 'sla_due_at'>;

/** The tickets and conversations of a batch of follow-ups that could be locked for update (the free ones), by id. */
export interface LockedTargets {
  tickets: Map<number, FollowupTicket>;
  conversations: Map<number, ConversationRow>;
}

/**
 * Locks the free conversations, then the free tickets, of `followups`, each table in one statement and in id order.
 * Rows another transaction holds are left out instead of waited for: the caller already holds follow-up rows, and
 * paths that lock a ticket or conversation and then follow-ups (a turn cancelling them, a ticket resolved, an
 * erasure) would otherwise deadlock with it. The caller fires only the follow-ups whose targets it got.
 */
export async function lockTargets(
  tx: Queryable,
  followups: Array<Pick<FollowupRow, 'ticket_id' | 'conversation_id' | 'audience'>>,
): Promise<LockedTargets> {
  // NO KEY UPDATE: firing changes no keys, and a plain UPDATE lock would also skip every ticket some transaction is
  // merely adding an event or a follow-up to (that foreign-key check holds KEY SHARE).
  const lock = 'FOR NO KEY UPDATE SKIP LOCKED';
  const ticketIds = [...new Set(followups.map((f) => f.ticket_id))];
  const convIds = [...new Set(followups.filter((f) => f.audience !== 'staff').map((f) => f.conversation_id))];
  const conversations = convIds.length
    ? (
        await tx.query<ConversationRow>(
          `SELECT * FROM conversations WHERE id = ANY($1::bigint[]) ORDER BY id ${lock}`,
          [convIds],
        )
      ).rows
    : [];
  const tickets = ticketIds.length
    ? (
        await tx.query<FollowupTicket>(
          `SELECT id, reference, status, department, sla_due_at FROM tickets WHERE id = ANY($1::bigint[]) ORDER BY id ${lock}`,
          [ticketIds],
        )
      ).rows
    : [];
  return {
    tickets: new Map(tickets.map((t) => [Number(t.id), t])),
    conversations: new Map(conversations.map((c) => [Number(c.id), c])),
  };
}

/** A ticket's follow-ups, for the staff API. */
export async function followupsOf(db: Queryable, ticketId: number): Promise<FollowupRow[]> {
  return (await db.query<FollowupRow>('SELECT * FROM followups WHERE ticket_id = $1 ORDER BY due_at, id', [ticketId]))
    .rows;
}

/** Moves a follow-up's due time to `dueAt` (an SLA breach follows the ticket's SLA as staff changed it). */
export async function rescheduleFollowup(tx: Queryable, id: number, dueAt: Date): Promise<void> {
  await tx.query('UPDATE followups SET due_at = $2 WHERE id = $1', [id, dueAt]);
}

/** Moves a ticket's still-scheduled follow-ups of `kind` to `dueAt` (a second follow-up held for a recovery task). */
export async function rescheduleOfKind(
  tx: Queryable,
  ticketId: number,
  kind: FollowupKind,
  dueAt: Date,
): Promise<number[]> {
  const r = await tx.query<{ id: number }>(
    "UPDATE followups SET due_at = $3 WHERE ticket_id = $1 AND kind = $2 AND state = 'scheduled' RETURNING id",
    [ticketId, kind, dueAt],
  );
  return r.rows.map((x) => Number(x.id));
}
