/** Follow-ups are recorded with their audit events and, when a queue is attached, a job that wakes a worker on time. */
import type { Queryable } from '../store/db.ts';
import { insertFollowups, type NewFollowup } from '../store/followups.ts';
import { addEvents } from '../store/tickets.ts';

/** Wakes a process when a follow-up is due (pg-boss); enqueued inside the turn's transaction. */
export interface FollowupQueue {
  /** Adds one job per follow-up, in the caller's transaction. */
  enqueue(tx: Queryable, followups: Array<{ followupId: number; dueAt: Date }>): Promise<void>;
}

/** Records a follow-up and, when a queue is attached, a job that wakes a worker at its due time (same transaction). */
export async function scheduleFollowup(
  tx: Queryable,
  queue: FollowupQueue | undefined,
  f: NewFollowup,
): Promise<number> {
  return (await scheduleFollowups(tx, queue, [f]))[0];
}

/** {@link scheduleFollowup} for several at once: three statements whatever their number (a ticket opens with three). */
export async function scheduleFollowups(
  tx: Queryable,
  queue: FollowupQueue | undefined,
  list: NewFollowup[],
): Promise<number[]> {
  const ids = await insertFollowups(tx, list);
  await addEvents(
    tx,
    list.map((f, i) => ({
      ticketId: f.ticketId,
      kind: 'followup_scheduled',
      actor: 'bot',
      data: { kind: f.kind, dueAt: f.dueAt.toISOString(), followupId: ids[i] },
    })),
  );
  if (queue && ids.length)
    await queue.enqueue(
      tx,
      list.map((f, i) => ({ followupId: ids[i], dueAt: f.dueAt })),
    );
  return ids;
}
