/** Queries on messages: the inbound record that de-duplicates redeliveries, and outbound replies. */
import { z } from 'zod';
import type { Outbound, PushChannel } from '../core/ports.ts';
import type { Queryable } from './db.ts';
import { queueMessageWebhooks } from './webhook-events.ts';
import { notifyConversation } from './live-messages.ts';

/** Records an inbound message; returns its id, or undefined when this channel message was recorded before. */
export async function recordInbound(
  tx: Queryable,
  m: {
    conversationId: number;
    channel: string;
    messageKey: string;
    text: string;
    originalChars?: number;
    payload: unknown;
    externalId?: string;
  },
): Promise<number | undefined> {
  const r = await tx.query<{ id: number }>(
    `INSERT INTO messages (conversation_id, direction, channel, message_key, text, payload, external_id, original_chars)
     VALUES ($1, 'in', $2, $3, $4, $5, $6, $7) ON CONFLICT (channel, message_key) WHERE message_key IS NOT NULL DO NOTHING RETURNING id`,
    [
      m.conversationId,
      m.channel,
      m.messageKey,
      m.text,
      JSON.stringify(m.payload),
      m.externalId ?? null,
      m.originalChars ?? m.text.length,
    ],
  );
  const id = r.rows[0]?.id;
  if (id !== undefined) {
    await queueMessageWebhooks(tx, m.conversationId, 'message.received', [id]);
    // A chat stream held by any process shows the customer's own message back (src/store/live-messages.ts).
    await notifyConversation(tx, m.conversationId);
  }
  return id;
}

/** An outbound message row joined with what delivery needs. */
export const outRowSchema = z.object({
  id: z.number(),
  conversation_id: z.number(),
  channel: z.string(),
  conversation_key: z.string(),
  address: z.record(z.string(), z.unknown()),
  text: z.string(),
  created_at: z.date(),
  followup_id: z.number().nullable(),
  reply_to: z.number().nullable(),
  external_id: z.string().nullable(),
  ticket_reference: z.string().nullable().optional(),
});
/** An outbound message row joined with what delivery needs. */
export type OutRow = z.infer<typeof outRowSchema>;
/** An outbound row as the port type. */
export const toOutbound = (r: OutRow): Outbound => ({
  id: r.id,
  conversationId: r.conversation_id,
  channel: r.channel,
  conversationKey: r.conversation_key,
  address: r.address,
  text: r.text,
  createdAt: new Date(r.created_at).toISOString(),
  followupId: r.followup_id,
  replyTo: r.reply_to,
  externalId: r.external_id,
  ticketReference: r.ticket_reference ?? null,
});

/** Stores the bot's replies to one inbound message (or to a follow-up) in order. */
export async function recordOutbound(
  tx: Queryable,
  conv: { id: number; channel: string; conversation_key: string; address: Record<string, unknown> },
  texts: string[],
  link: { replyTo?: number; followupId?: number },
  push?: PushChannel,
  /** Another channel that delivers these (email, for a customer the conversation's own channel cannot reach). */
  via?: { channel: string; address: Record<string, unknown> },
): Promise<Outbound[]> {
  if (!texts.length) return [];
  // One statement for all replies; ids follow the array order, which is the order the customer reads them in.
  // On a push channel they wait in the outbox ('pending') until the channel confirms sending.
  const ids = texts.map(() => push?.newExternalId?.() ?? null);
  const r = await tx.query<{ id: number; created_at: Date; text: string; external_id: string | null }>(
    `INSERT INTO messages (conversation_id, direction, channel, reply_to, followup_id, text, external_id, delivery, next_attempt_at, via, via_address)
     SELECT $1, 'out', $2, $3, $4, t.text, t.external_id, $7, CASE WHEN $7 = 'pending' THEN now() END, $8, $9
       FROM unnest($5::text[], $6::text[]) WITH ORDINALITY AS t(text, external_id, n) ORDER BY t.n
     RETURNING id, created_at, text, external_id`,
    [
      conv.id,
      conv.channel,
      link.replyTo ?? null,
      link.followupId ?? null,
      texts,
      ids,
      push ? 'pending' : 'none',
      via?.channel ?? null,
      via ? JSON.stringify(via.address) : null,
    ],
  );
  await queueMessageWebhooks(
    tx,
    conv.id,
    'message.sent',
    r.rows.map((row) => row.id),
  );
  // Every outbound message is written here (turns, follow-ups, staff replies): a chat stream held by any process
  // hears of it at COMMIT (src/store/live-messages.ts).
  await notifyConversation(tx, conv.id);
  return r.rows
    .sort((a, b) => a.id - b.id)
    .map((row) =>
      toOutbound({
        ...row,
        conversation_id: conv.id,
        channel: via?.channel ?? conv.channel,
        conversation_key: conv.conversation_key,
        address: via?.address ?? conv.address,
        followup_id: link.followupId ?? null,
        reply_to: link.replyTo ?? null,
      }),
    );
}

/** The replies already recorded for a channel message (what a redelivery gets back instead of a second answer). */
export async function repliesTo(db: Queryable, channel: string, messageKey: string): Promise<Outbound[]> {
  const r = await db.query<OutRow>(
    `SELECT o.id, o.conversation_id, o.channel, c.conversation_key, c.address, o.text, o.created_at, o.followup_id, o.reply_to, o.external_id
       FROM messages i JOIN messages o ON o.reply_to = i.id JOIN conversations c ON c.id = o.conversation_id
      WHERE i.channel = $1 AND i.message_key = $2 ORDER BY o.id`,
    [channel, messageKey],
  );
  return r.rows.map(toOutbound);
}

/** A message of a conversation, in order, as transcripts and Direct Line read them. */
export const transcriptRowSchema = z.object({
  id: z.number(),
  direction: z.enum(['in', 'out']),
  text: z.string(),
  message_key: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
  created_at: z.date(),
});
/** A message row of a transcript. */
export type TranscriptRow = z.infer<typeof transcriptRowSchema>;

/** What {@link messagesAfter} returns: a page of messages and whether the conversation holds more after it. */
export interface MessagePage {
  rows: TranscriptRow[];
  /** True when the page stopped at `limit` or `maxBytes` with messages left after it. */
  more: boolean;
}

/**
 * Messages with id greater than `after` of the conversation (channel, key), at most `limit` of them and, counted by
 * the bytes of their text, only as many as start within `maxBytes` (the first always: a page is never empty while
 * messages wait); undefined when there is no such conversation. The payload carries only what a page shows (the
 * sender's id and name, the client's activity id): a sender object or an attachment list may be large.
 */
export async function messagesAfter(
  db: Queryable,
  channel: string,
  key: string,
  after: number,
  o: { limit?: number; maxBytes?: number } = {},
): Promise<MessagePage | undefined> {
  // One round trip answers both "does the conversation exist" and "what is new in it". octet_length reads the stored
  // size without fetching the text, so rows past the byte budget are never read from disk or sent.
  const r = await db.query<TranscriptRow & { id: number | null; available: number | null }>(
    `SELECT m.id, m.direction, m.text, m.message_key, m.payload, m.created_at, m.available
       FROM conversations c LEFT JOIN LATERAL (
         SELECT w.id, w.direction, w.text, w.message_key, w.created_at, w.available,
                jsonb_strip_nulls(jsonb_build_object(
                  'from', jsonb_strip_nulls(jsonb_build_object('id', w.payload->'from'->'id', 'name', w.payload->'from'->'name')),
                  'clientActivityID', w.payload->'clientActivityID')) AS payload
           FROM (SELECT x.*, sum(octet_length(x.text)) OVER (ORDER BY x.id) AS running, count(*) OVER () AS available
                   FROM (SELECT * FROM messages WHERE conversation_id = c.id AND id > $3 ORDER BY id LIMIT $4 + 1) x) w
          WHERE w.running - octet_length(w.text) < $5
          ORDER BY w.id LIMIT $4) m ON true
      WHERE c.channel = $1 AND c.conversation_key = $2 ORDER BY m.id`,
    [channel, key, after, o.limit ?? 500, o.maxBytes ?? 2 ** 31 - 1],
  );
  if (!r.rows.length) return undefined;
  const rows = r.rows.filter((row) => row.id !== null) as Array<TranscriptRow & { available: number }>;
  const more = rows.length > 0 && Number(rows[0].available) > rows.length;
  return { rows: rows.map(({ available: _a, ...row }) => row), more };
}

/** A pending outbound message claimed by the outbox: what delivery needs, its tries so far and its ticket, if any. */
export const outboxRowSchema = outRowSchema.extend({ attempts: z.number(), ticket_id: z.number().nullable() });
/** A row of {@link claimDueOutbound}. */
export type OutboxRow = z.infer<typeof outboxRowSchema>;

/**
 * Claims the pending messages due by `now` for `leaseSeconds` (a try counted, the next try pushed past the lease) and
 * returns them in id order with their conversation's address and latest ticket. Whole conversations (at most 50 per
 * call), in order within each; rows another transaction holds are skipped.
 */
export async function claimDueOutbound(tx: Queryable, now: Date, leaseSeconds: number): Promise<OutboxRow[]> {
  const ids = await tx.query<{ id: number }>(
    `UPDATE messages SET attempts = attempts + 1, next_attempt_at = $1::timestamptz + make_interval(secs => $2)
      WHERE id IN (SELECT id FROM messages m WHERE delivery = 'pending' AND next_attempt_at <= $1
                      -- Whole conversations per batch: a reply group cut by a batch boundary would go out as two emails.
                      AND conversation_id IN (SELECT conversation_id FROM messages WHERE delivery = 'pending' AND next_attempt_at <= $1
                                               GROUP BY conversation_id ORDER BY min(id) LIMIT 50)
                      -- In order per conversation: nothing overtakes an earlier message still waiting or in flight.
                      AND NOT EXISTS (SELECT 1 FROM messages e WHERE e.conversation_id = m.conversation_id AND e.id < m.id
                                         AND e.delivery = 'pending' AND e.next_attempt_at > $1)
                    ORDER BY id FOR UPDATE SKIP LOCKED)
      RETURNING id`,
    [now, leaseSeconds],
  );
  if (!ids.rows.length) return [];
  return (
    await tx.query<OutboxRow>(
      `SELECT m.id, m.conversation_id, COALESCE(m.via, m.channel) AS channel, c.conversation_key,
              COALESCE(m.via_address, c.address) AS address, m.text, m.created_at, m.followup_id, m.reply_to,
              m.external_id, m.attempts, t.reference AS ticket_reference, t.id AS ticket_id
         FROM messages m JOIN conversations c ON c.id = m.conversation_id
         LEFT JOIN LATERAL (SELECT id, reference FROM tickets WHERE conversation_id = c.id ORDER BY id DESC LIMIT 1) t ON true
        WHERE m.id = ANY($1::bigint[]) ORDER BY m.id`,
      [ids.rows.map((r) => r.id)],
    )
  ).rows;
}

/** Marks outbound messages sent at `at`. */
export async function markOutboundSent(db: Queryable, ids: number[], at: Date): Promise<void> {
  await db.query(
    "UPDATE messages SET delivery = 'sent', delivered_at = $2, last_error = NULL WHERE id = ANY($1::bigint[])",
    [ids, at],
  );
}

/** Records a failed send of outbound messages: still pending with the next try at `nextAttemptAt`, or failed for good. */
export async function markOutboundFailed(
  tx: Queryable,
  ids: number[],
  f: { delivery: 'pending' | 'failed'; nextAttemptAt: Date | null; error: string },
): Promise<void> {
  await tx.query(
    `UPDATE messages SET delivery = $2, next_attempt_at = $3, last_error = $4 WHERE id = ANY($1::bigint[])`,
    [ids, f.delivery, f.nextAttemptAt, f.error],
  );
}

/** Puts claimed outbound messages back to wait until `at`, their claim not counted as a try. */
export async function postponeOutbound(db: Queryable, ids: number[], at: Date): Promise<void> {
  await db.query('UPDATE messages SET next_attempt_at = $2, attempts = attempts - 1 WHERE id = ANY($1::bigint[])', [
    ids,
    at,
  ]);
}

/** The call (fields with their evidence, and the transcript) a phone conversation's first inbound message carried. */
export async function callOfConversation(db: Queryable, conversationId: number): Promise<unknown> {
  return (
    (
      await db.query<{ call: unknown }>(
        "SELECT payload->'call' AS call FROM messages WHERE conversation_id = $1 AND direction = 'in' ORDER BY id LIMIT 1",
        [conversationId],
      )
    ).rows[0]?.call ?? null
  );
}

/** The stored id of the message `messageKey` of `channel` (a redelivery finds the first delivery's row). */
export async function messageIdByKey(db: Queryable, channel: string, messageKey: string): Promise<number | undefined> {
  const r = await db.query<{ id: number }>('SELECT id FROM messages WHERE channel = $1 AND message_key = $2', [
    channel,
    messageKey,
  ]);
  return r.rows[0]?.id;
}
