/** What retention (src/jobs/retention.ts) purges: conversations finished and quiet, and the customers they leave bare. */
import type { Queryable } from './db.ts';

// Not erased, no activity since the cutoff (turns and follow-ups touch updated_at; staff replies add messages), and
// every ticket finished before it. A conversation that never became a ticket is purged too: nothing waits on it.
const CANDIDATES = `SELECT c.id FROM conversations c
  WHERE c.erased_at IS NULL AND c.updated_at < $1
    AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.conversation_id = c.id
                     AND (t.status <> ALL($2::text[]) OR t.updated_at >= $1 OR t.resolved_at >= $1))
    AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.created_at >= $1)
  ORDER BY c.id`;

/** Ids of conversations quiet since `before` whose tickets all have one of the `finished` statuses, in id order. */
export async function quietFinishedConversations(
  db: Queryable,
  before: Date,
  finished: readonly string[],
): Promise<number[]> {
  return (await db.query<{ id: number }>(CANDIDATES, [before, finished])).rows.map((r) => r.id);
}

/**
 * Up to `limit` of {@link quietFinishedConversations}, locked for this transaction. Rows another sweeper (or a live
 * turn) holds are skipped, not waited for: they are its work, or not quiet.
 */
export async function claimQuietFinishedConversations(
  tx: Queryable,
  before: Date,
  finished: readonly string[],
  limit: number,
): Promise<number[]> {
  return (
    await tx.query<{ id: number }>(`${CANDIDATES} LIMIT $3 FOR UPDATE OF c SKIP LOCKED`, [before, finished, limit])
  ).rows.map((r) => r.id);
}

/** Customers of `conversations` none of whose conversations keeps any data (all erased). */
export async function customersWithoutData(tx: Queryable, conversations: number[]): Promise<number[]> {
  const r = await tx.query<{ id: number }>(
    `SELECT DISTINCT c.customer_id AS id FROM conversations c WHERE c.id = ANY($1::bigint[])
        AND NOT EXISTS (SELECT 1 FROM conversations o WHERE o.customer_id = c.customer_id AND o.erased_at IS NULL)`,
    [conversations],
  );
  return r.rows.map((x) => x.id);
}
