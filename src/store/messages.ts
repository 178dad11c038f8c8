/** Queries on messages: the inbound record that de-duplicates redeliveries, and outbound replies. */
import type { Outbound, PushChannel } from '../core/ports.ts';
import type { Queryable } from './db.ts';

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
  return r.rows[0]?.id;
}

/** An outbound message row joined with what delivery needs. */
export interface OutRow {
  id: number;
  conversation_id: number;
  channel: string;
  conversation_key: string;
  address: Record<string, unknown>;
  text: string;
  created_at: Date;
  followup_id: number | null;
  reply_to: number | null;
  external_id: string | null;
  ticket_reference?: string | null;
}
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
): Promise<Outbound[]> {
  if (!texts.length) return [];
  // One statement for all replies; ids follow the array order, which is the order the customer reads them in.
  // On a push channel they wait in the outbox ('pending') until the channel confirms sending.
  const ids = texts.map(() => push?.newExternalId?.() ?? null);
  const r = await tx.query<{ id: number; created_at: Date; text: string; external_id: string | null }>(
    `INSERT INTO messages (conversation_id, direction, channel, reply_to, followup_id, text, external_id, delivery, next_attempt_at)
     SELECT $1, 'out', $2, $3, $4, t.text, t.external_id, $7, CASE WHEN $7 = 'pending' THEN now() END
       FROM unnest($5::text[], $6::text[]) WITH ORDINALITY AS t(text, external_id, n) ORDER BY t.n
     RETURNING id, created_at, text, external_id`,
    [conv.id, conv.channel, link.replyTo ?? null, link.followupId ?? null, texts, ids, push ? 'pending' : 'none'],
  );
  return r.rows
    .sort((a, b) => a.id - b.id)
    .map((row) =>
      toOutbound({
        ...row,
        conversation_id: conv.id,
        channel: conv.channel,
        conversation_key: conv.conversation_key,
        address: conv.address,
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
export interface TranscriptRow {
  id: number;
  direction: 'in' | 'out';
  text: string;
  message_key: string | null;
  payload: Record<string, unknown>;
  created_at: Date;
}

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
