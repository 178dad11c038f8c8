/** Improvement actions (migration 0025): the actions, the tickets linked to them, their history and their effect. */
import { z } from 'zod';
import type { Queryable } from './db.ts';

/** Where an action stands. */
export const actionStateSchema = z.enum(['open', 'in_progress', 'done', 'cancelled']);
/** An action's state. */
export type ActionState = z.infer<typeof actionStateSchema>;

/** An action as the store returns it (due as a date YYYY-MM-DD). */
export const actionRowSchema = z.object({
  id: z.number(),
  title: z.string(),
  owner: z.string(),
  due: z.string(),
  department: z.string().nullable(),
  cause: z.string().nullable(),
  state: actionStateSchema,
  created_by: z.string(),
  created_at: z.date(),
  updated_at: z.date(),
});
/** An action row. */
export type ActionRow = z.infer<typeof actionRowSchema>;

/** A line of an action's history: who changed what, when. */
export const actionHistoryRowSchema = z.object({
  at: z.date(),
  actor: z.string(),
  change: z.record(z.string(), z.unknown()),
});
/** A history row. */
export type ActionHistoryRow = z.infer<typeof actionHistoryRowSchema>;

const COLUMNS = `id, title, owner, due_on::text AS due, department, cause, state, created_by, created_at, updated_at`;

/** Inserts an action created by `createdBy` at `now`; returns it. */
export async function insertAction(
  tx: Queryable,
  a: { title: string; owner: string; due: string; department: string | null; cause: string | null },
  createdBy: string,
  now: Date,
): Promise<ActionRow> {
  const r = await tx.query<ActionRow>(
    `INSERT INTO improvement_actions (title, owner, due_on, department, cause, created_by, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING ${COLUMNS}`,
    [a.title, a.owner, a.due, a.department, a.cause, createdBy, now],
  );
  return r.rows[0];
}

/** The action `id`, locked for an update when `forUpdate`. */
export async function actionById(tx: Queryable, id: number, forUpdate = false): Promise<ActionRow | undefined> {
  const r = await tx.query<ActionRow>(
    `SELECT ${COLUMNS} FROM improvement_actions WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return r.rows[0];
}

/** What a list of actions shows: states, departments (null: all; an empty list: none), a cause. */
export interface ActionFilter {
  states: readonly ActionState[];
  departments: readonly string[] | null;
  /** With `departments`, also the actions of no department (the company's). */
  orNoDepartment?: boolean;
  cause?: string;
}

/**
 * Actions of `f`, the most urgent first: open ones by due date (overdue first, as they are due earliest), then the
 * finished ones, most recent first; at most `limit`.
 */
export async function listActions(tx: Queryable, f: ActionFilter, limit = 500): Promise<ActionRow[]> {
  const r = await tx.query<ActionRow>(
    `SELECT ${COLUMNS} FROM improvement_actions
      WHERE state = ANY($1::text[]) AND ($3::text IS NULL OR cause = $3)
        AND ($2::text[] IS NULL OR department = ANY($2::text[]) OR ($5 AND department IS NULL))
      ORDER BY (state IN ('done', 'cancelled')), CASE WHEN state IN ('open', 'in_progress') THEN due_on END,
               updated_at DESC, id DESC
      LIMIT $4`,
    [f.states, f.departments, f.cause ?? null, limit, f.orNoDepartment ?? false],
  );
  return r.rows;
}

/** Sets the fields of `changes` on action `id` at `now`. */
export async function updateAction(
  tx: Queryable,
  id: number,
  changes: Partial<{ title: string; owner: string; due: string; state: ActionState }>,
  now: Date,
): Promise<void> {
  await tx.query(
    `UPDATE improvement_actions SET title = coalesce($2, title), owner = coalesce($3, owner),
            due_on = coalesce($4::date, due_on), state = coalesce($5, state), updated_at = $6 WHERE id = $1`,
    [id, changes.title ?? null, changes.owner ?? null, changes.due ?? null, changes.state ?? null, now],
  );
}

/** Appends a line to action `id`'s history. */
export async function addActionHistory(
  tx: Queryable,
  id: number,
  h: { at: Date; actor: string; change: Record<string, unknown> },
): Promise<void> {
  await tx.query('INSERT INTO improvement_action_history (action_id, at, actor, change) VALUES ($1, $2, $3, $4)', [
    id,
    h.at,
    h.actor,
    JSON.stringify(h.change),
  ]);
}

/** Action `id`'s history, oldest first. */
export async function actionHistory(tx: Queryable, id: number): Promise<ActionHistoryRow[]> {
  return (
    await tx.query<ActionHistoryRow>(
      'SELECT at, actor, change FROM improvement_action_history WHERE action_id = $1 ORDER BY id',
      [id],
    )
  ).rows;
}

/** A ticket as an action links it. */
export interface LinkedTicket {
  id: number;
  reference: string;
  department: string;
  category: string;
  status: string;
  created_at: Date;
}

/** The tickets of `references` that exist (any order); those missing are left out. */
export async function ticketsByReferences(tx: Queryable, references: readonly string[]): Promise<LinkedTicket[]> {
  if (!references.length) return [];
  return (
    await tx.query<LinkedTicket>(
      'SELECT id, reference, department, category, status, created_at FROM tickets WHERE reference = ANY($1::text[])',
      [references],
    )
  ).rows;
}

/** Links tickets `ticketIds` to action `id` (a link already there stays as it was). */
export async function linkTickets(tx: Queryable, id: number, ticketIds: readonly number[], now: Date): Promise<void> {
  if (!ticketIds.length) return;
  await tx.query(
    `INSERT INTO improvement_action_tickets (action_id, ticket_id, linked_at)
     SELECT $1, unnest($2::bigint[]), $3 ON CONFLICT DO NOTHING`,
    [id, ticketIds, now],
  );
}

/** Unlinks tickets `ticketIds` from action `id`. */
export async function unlinkTickets(tx: Queryable, id: number, ticketIds: readonly number[]): Promise<void> {
  if (!ticketIds.length) return;
  await tx.query('DELETE FROM improvement_action_tickets WHERE action_id = $1 AND ticket_id = ANY($2::bigint[])', [
    id,
    ticketIds,
  ]);
}

/** The tickets linked to each of actions `ids`, by reference. */
export async function linkedTickets(tx: Queryable, ids: readonly number[]): Promise<Map<number, LinkedTicket[]>> {
  const out = new Map<number, LinkedTicket[]>(ids.map((id) => [id, []]));
  if (!ids.length) return out;
  const r = await tx.query<LinkedTicket & { action_id: number }>(
    `SELECT l.action_id, t.id, t.reference, t.department, t.category, t.status, t.created_at
       FROM improvement_action_tickets l JOIN tickets t ON t.id = l.ticket_id
      WHERE l.action_id = ANY($1::bigint[]) ORDER BY t.reference`,
    [ids],
  );
  for (const { action_id, ...t } of r.rows) out.get(action_id)?.push(t);
  return out;
}

/**
 * Tickets created in [from, to) with a resolution of root cause `cause` (of `department` when given), counted per
 * bucket of `bucketDays` days from `origin`: bucket 0 starts at `origin`, bucket -1 ends there. Each ticket counts once.
 */
export async function causeTicketsByBucket(
  tx: Queryable,
  q: { cause: string; department: string | null; from: Date; to: Date; origin: Date; bucketDays: number },
): Promise<Array<{ bucket: number; n: number }>> {
  return (
    await tx.query<{ bucket: number; n: number }>(
      `SELECT floor(extract(epoch FROM t.created_at - $5::timestamptz) / ($6::int * 86400))::int AS bucket,
              count(*)::int AS n
         FROM tickets t
        WHERE t.created_at >= $3 AND t.created_at < $4 AND ($2::text IS NULL OR t.department = $2)
          AND EXISTS (SELECT 1 FROM resolutions r WHERE r.ticket_id = t.id AND r.cause = $1)
        GROUP BY 1 ORDER BY 1`,
      [q.cause, q.department, q.from, q.to, q.origin, q.bucketDays],
    )
  ).rows;
}
