/** Queries on channel checkpoints: how far an inbound stream (an IMAP mailbox) has been read. */
import type { Queryable } from './db.ts';

/** The stored position of `stream`, if any. */
export async function getCheckpoint(db: Queryable, stream: string): Promise<string | undefined> {
  return (await db.query<{ position: string }>('SELECT position FROM channel_checkpoints WHERE stream = $1', [stream]))
    .rows[0]?.position;
}

/** Stores the position of `stream` (inside the transaction that recorded the message at that position). */
export async function setCheckpoint(tx: Queryable, stream: string, position: string): Promise<void> {
  await tx.query(
    `INSERT INTO channel_checkpoints (stream, position) VALUES ($1, $2)
     ON CONFLICT (stream) DO UPDATE SET position = EXCLUDED.position, updated_at = now()`,
    [stream, position],
  );
}
