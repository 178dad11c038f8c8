/** Storage side of the email channel: thread lookup (sender-checked) and the per-sender message count. */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { getCheckpoint } from './checkpoints.ts';
import type { Db } from './db.ts';
import { releaseLease, takeLease } from './leases.ts';

/** Finds conversations for mail: by Message-IDs in In-Reply-To/References, then by ticket reference, same sender only. */
export function emailThreads(db: Db, channel: string) {
  return {
    async find(m: { from: string; messageIds: string[]; subjectReference?: string }): Promise<string | undefined> {
      if (m.messageIds.length) {
        const r = await db.query<{ conversation_key: string }>(
          `SELECT c.conversation_key FROM messages x JOIN conversations c ON c.id = x.conversation_id
            WHERE x.channel = $1 AND x.external_id = ANY($2::text[]) AND lower(c.address->>'email') = $3
            ORDER BY x.id DESC LIMIT 1`,
          [channel, m.messageIds, m.from],
        );
        if (r.rows[0]) return r.rows[0].conversation_key;
      }
      if (m.subjectReference) {
        const r = await db.query<{ conversation_key: string }>(
          `SELECT c.conversation_key FROM tickets t JOIN conversations c ON c.id = t.conversation_id
            WHERE t.reference = $1 AND c.channel = $2 AND lower(c.address->>'email') = $3`,
          [m.subjectReference, channel, m.from],
        );
        if (r.rows[0]) return r.rows[0].conversation_key;
      }
      return undefined;
    },
    async recentFrom(from: string, since: Date): Promise<number> {
      const r = await db.query<{ n: number }>(
        `SELECT count(*) AS n FROM messages m JOIN conversations c ON c.id = m.conversation_id
          WHERE m.channel = $1 AND m.direction = 'in' AND lower(c.address->>'email') = $2 AND m.created_at >= $3`,
        [channel, from, since],
      );
      return Number(r.rows[0].n);
    },
  };
}

/**
 * Where the mailbox reader stopped on `stream`: the IMAP UIDVALIDITY and the last UID read, as the engine stored them
 * ("uidValidity:uid") with the last message it recorded; undefined before the first.
 */
export async function mailboxPosition(
  db: Db,
  stream: string,
): Promise<{ uidValidity: string; uid: number } | undefined> {
  const p = await getCheckpoint(db, stream);
  if (!p) return undefined;
  const [uidValidity, uid] = p.split(':');
  return { uidValidity, uid: Number(uid) };
}

/**
 * The mailbox lease of this reader: one process reads a mailbox at a time, the holder being this process, told apart
 * from its siblings on the same host.
 */
export function mailboxLease(db: Db, holder = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`) {
  return {
    take: (stream: string, seconds: number) => takeLease(db, `mailbox:${stream}`, holder, seconds),
    release: (stream: string) => releaseLease(db, `mailbox:${stream}`, holder),
  };
}
