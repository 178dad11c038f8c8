/** Mails of erased customers that the mailbox reader still has to delete from the IMAP mailbox. */
import type { Queryable } from './db.ts';

/** Queues the Message-IDs of the inbound mails of `conversations` (before erasure renames their keys). */
export async function queueMailboxErasures(tx: Queryable, conversations: number[]): Promise<number> {
  const r = await tx.query(
    `INSERT INTO mailbox_erasures (message_id)
     SELECT message_key FROM messages
      WHERE conversation_id = ANY($1::bigint[]) AND channel = 'email' AND direction = 'in'
        AND message_key IS NOT NULL AND message_key NOT LIKE 'erased:%'
        -- Made up by the bot for mail without a Message-ID: no header to find it by.
        AND message_key NOT LIKE '<sha256-%@redress.invalid>'`,
    [conversations],
  );
  return r.rowCount;
}

/** The oldest queued Message-IDs. */
export async function pendingMailboxErasures(
  db: Queryable,
  limit: number,
): Promise<Array<{ id: number; messageId: string }>> {
  const r = await db.query<{ id: number; message_id: string }>(
    'SELECT id, message_id FROM mailbox_erasures ORDER BY id LIMIT $1',
    [limit],
  );
  return r.rows.map((row) => ({ id: Number(row.id), messageId: row.message_id }));
}

/** Forgets queued Message-IDs once their mails are deleted (or were not there). */
export async function finishMailboxErasures(db: Queryable, ids: number[]): Promise<void> {
  if (ids.length) await db.query('DELETE FROM mailbox_erasures WHERE id = ANY($1::bigint[])', [ids]);
}
