/** Web chat resume tokens: stored as SHA-256 digests, each bound to one conversation, sliding expiry, revocable. */
import type { Queryable } from './db.ts';

/** Why a resume token opened nothing. */
export type ResumeRefusal = 'unknown' | 'expired' | 'revoked';

/** Records a new resume token (its digest) for the web chat conversation `key` of `channel`, valid until `expiresAt`. */
export async function saveResume(
  db: Queryable,
  r: { channel: string; key: string; digest: Buffer; expiresAt: Date },
): Promise<void> {
  await db.query(
    `INSERT INTO web_chat_resumes (token_hash, conversation_id, created_at, expires_at)
     SELECT $3, id, now(), $4 FROM conversations WHERE channel = $1 AND conversation_key = $2`,
    [r.channel, r.key, r.digest, r.expiresAt],
  );
}

/**
 * The conversation key a resume token opens at `now`, its expiry moved to `expiresAt` (a sliding window); or why it
 * opens nothing. A token of another channel's conversation opens nothing either.
 */
export async function useResume(
  db: Queryable,
  r: { channel: string; digest: Buffer; now: Date; expiresAt: Date },
): Promise<{ key: string } | { refused: ResumeRefusal }> {
  const used = await db.query<{ conversation_key: string }>(
    `UPDATE web_chat_resumes w SET used_at = $3, expires_at = $4
       FROM conversations c
      WHERE w.token_hash = $2 AND c.id = w.conversation_id AND c.channel = $1
        AND w.revoked_at IS NULL AND w.expires_at > $3
     RETURNING c.conversation_key`,
    [r.channel, r.digest, r.now, r.expiresAt],
  );
  if (used.rows[0]) return { key: used.rows[0].conversation_key };
  const why = await db.query<{ revoked: boolean }>(
    'SELECT revoked_at IS NOT NULL AS revoked FROM web_chat_resumes WHERE token_hash = $1',
    [r.digest],
  );
  if (!why.rows[0]) return { refused: 'unknown' };
  return { refused: why.rows[0].revoked ? 'revoked' : 'expired' };
}

/** Revokes a resume token for good (the customer's "new chat"); a token already revoked or unknown is left alone. */
export async function revokeResume(db: Queryable, digest: Buffer, now: Date): Promise<void> {
  await db.query('UPDATE web_chat_resumes SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL', [
    digest,
    now,
  ]);
}

/** Revokes every resume token of the given conversations (an erasure): none of those browsers reopens its chat. */
export async function revokeResumesOf(tx: Queryable, conversationIds: number[], now: Date): Promise<number> {
  const r = await tx.query(
    'UPDATE web_chat_resumes SET revoked_at = $2 WHERE conversation_id = ANY($1::bigint[]) AND revoked_at IS NULL',
    [conversationIds, now],
  );
  return r.rowCount ?? 0;
}

/**
 * Notes that the customer's page read the conversation at `now`. Written at most every `everySeconds` per
 * conversation: a page polls every second, and "away" is measured in minutes.
 */
export async function markSeen(
  db: Queryable,
  r: { channel: string; key: string; now: Date; everySeconds: number },
): Promise<void> {
  // SKIP LOCKED: a poll never waits behind a turn holding the conversation; the next poll, a second later, notes it.
  await db.query(
    `UPDATE conversations SET seen_at = $3
      WHERE id = (SELECT id FROM conversations WHERE channel = $1 AND conversation_key = $2
                     AND (seen_at IS NULL OR seen_at < $3::timestamptz - make_interval(secs => $4) OR seen_at > $3)
                     FOR UPDATE SKIP LOCKED)`,
    [r.channel, r.key, r.now, r.everySeconds],
  );
}
