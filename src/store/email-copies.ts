/** The email thread of a conversation's copies sent by email (a web chat or call whose own channel cannot reach). */
import type { Queryable } from './db.ts';

/** How many earlier Message-IDs a copy names in References: enough for any mail client to thread it. */
const REFERENCES = 20;

/** The Message-IDs of the conversation's earlier copies sent `via` a channel, oldest first (at most 20). */
export async function viaThread(tx: Queryable, conversationId: number, via: string): Promise<string[]> {
  const r = await tx.query<{ external_id: string }>(
    `SELECT external_id FROM messages WHERE conversation_id = $1 AND via = $2 AND external_id IS NOT NULL
      ORDER BY id DESC LIMIT $3`,
    [conversationId, via, REFERENCES],
  );
  return r.rows.map((row) => row.external_id).reverse();
}
