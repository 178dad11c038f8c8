/** Queries on conversations (and the customer each belongs to). */
import { z } from 'zod';
import type { Queryable } from './db.ts';

/** The columns of a conversation row the engine uses. */
export const conversationRowSchema = z.object({
  id: z.number(),
  channel: z.string(),
  conversation_key: z.string(),
  customer_id: z.number(),
  language: z.string(),
  state: z.unknown(),
  version: z.number(),
  address: z.record(z.string(), z.unknown()),
  /** When a pull channel's page last read it (web chat); null for push channels and pages never seen. */
  seen_at: z.date().nullable().optional(),
});
/** A conversation row as the engine uses it. */
export type ConversationRow = z.infer<typeof conversationRowSchema>;

/**
 * Creates the conversation (and its customer) if new; returns it locked FOR UPDATE for this transaction. An existing
 * conversation's address is not touched here: see {@link updateAddress}.
 */
export async function lockConversation(
  tx: Queryable,
  channel: string,
  key: string,
  address?: Record<string, unknown>,
): Promise<ConversationRow> {
  const found = await tx.query<ConversationRow>(
    'SELECT * FROM conversations WHERE channel = $1 AND conversation_key = $2 FOR UPDATE',
    [channel, key],
  );
  if (found.rows[0]) return found.rows[0];
  const created = await tx.query<ConversationRow>(
    `WITH c AS (INSERT INTO customers DEFAULT VALUES RETURNING id)
     INSERT INTO conversations (channel, conversation_key, customer_id, address)
     SELECT $1, $2, c.id, $3 FROM c
     ON CONFLICT (channel, conversation_key) DO NOTHING RETURNING *`,
    [channel, key, JSON.stringify(address ?? {})],
  );
  if (created.rows[0]) return created.rows[0];
  // Another process created it between our SELECT and INSERT: take theirs (our customer row stays unused).
  const again = await tx.query<ConversationRow>(
    'SELECT * FROM conversations WHERE channel = $1 AND conversation_key = $2 FOR UPDATE',
    [channel, key],
  );
  return again.rows[0];
}

/**
 * Moves a conversation's reply address to the one its newest message came from. Called only once that message is
 * recorded as new: a redelivered or forged duplicate (someone reusing another's Message-ID) must not redirect the
 * conversation's replies to its sender.
 */
export async function updateAddress(
  tx: Queryable,
  c: ConversationRow,
  address: Record<string, unknown> | undefined,
): Promise<void> {
  if (!address || !Object.keys(address).length) return;
  await tx.query('UPDATE conversations SET address = $2 WHERE id = $1', [c.id, JSON.stringify(address)]);
  c.address = address;
}

/** Saves the dialog state; the version check makes a lost update impossible even without the row lock. */
export async function saveState(tx: Queryable, c: ConversationRow, state: unknown, language: string): Promise<void> {
  const r = await tx.query(
    'UPDATE conversations SET state = $2, language = $3, version = version + 1, updated_at = now() WHERE id = $1 AND version = $4',
    [c.id, JSON.stringify(state), language, c.version],
  );
  if (r.rowCount !== 1) throw Object.assign(new Error(`conversation ${c.id} changed concurrently`), { code: '40001' });
}

/** Looks a conversation up by channel and key without locking. */
export async function findConversation(
  db: Queryable,
  channel: string,
  key: string,
): Promise<ConversationRow | undefined> {
  return (
    await db.query<ConversationRow>('SELECT * FROM conversations WHERE channel = $1 AND conversation_key = $2', [
      channel,
      key,
    ])
  ).rows[0];
}

/** Whether message `messageKey` was recorded already, and the state of its conversation (undefined when new). */
export async function seenAndState(
  db: Queryable,
  m: { channel: string; messageKey: string; conversationKey: string },
): Promise<{ seen: boolean; state: unknown }> {
  const r = await db.query<{ seen: boolean; state: unknown }>(
    `SELECT EXISTS (SELECT 1 FROM messages WHERE channel = $1 AND message_key = $2) AS seen,
            (SELECT state FROM conversations WHERE channel = $1 AND conversation_key = $3) AS state`,
    [m.channel, m.messageKey, m.conversationKey],
  );
  return r.rows[0];
}
