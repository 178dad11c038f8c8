/** Queries on the webhook outbox (migration 0023): destinations, queued events, claims and their outcome. */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { WEBHOOK_PAYLOAD_VERSION, type WebhookEventType } from '../webhooks/event-types.ts';
import type { Queryable } from './db.ts';

/** Makes webhook_destinations the configured list (ids and events): every process writes the same at start. */
export async function syncWebhookDestinations(
  q: Queryable,
  list: ReadonlyArray<{ id: string; events: readonly string[] }>,
): Promise<void> {
  await q.query(
    `WITH d AS (SELECT * FROM unnest($1::text[], $2::text[]) AS x(id, events)),
          gone AS (DELETE FROM webhook_destinations WHERE id <> ALL($1::text[]))
     INSERT INTO webhook_destinations (id, events) SELECT id, string_to_array(events, ',') FROM d
     ON CONFLICT (id) DO UPDATE SET events = excluded.events, updated_at = now()
       WHERE webhook_destinations.events IS DISTINCT FROM excluded.events`,
    [list.map((d) => d.id), list.map((d) => d.events.join(','))],
  );
}

/** How many webhook destinations the database holds. */
export async function webhookDestinationCount(q: Queryable): Promise<number> {
  return (await q.query<{ n: number }>('SELECT count(*)::int AS n FROM webhook_destinations')).rows[0].n;
}

// The ticket as every payload shows it: codes, ids and times, never the customer's words or contact points.
const TICKET_JSON = `jsonb_build_object('reference', t.reference, 'status', t.status, 'department', t.department,
  'category', t.category, 'severity', t.severity, 'claimedBy', t.claimed_by, 'channel', t.channel,
  'language', t.language, 'createdAt', t.created_at, 'updatedAt', t.updated_at, 'resolvedAt', t.resolved_at,
  'slaDueAt', t.sla_due_at, 'satisfaction', t.satisfaction)`;

/**
 * Appends a ticket event and, when a destination subscribes to `hook.type`, queues its webhook event in the same
 * statement (so in the caller's transaction), the payload built from the ticket row as it now stands.
 */
export async function insertTicketEventWithWebhook(
  tx: Queryable,
  e: { ticketId: number; kind: string; actor: string; data: unknown },
  hook: { type: WebhookEventType; data: unknown },
): Promise<void> {
  await tx.query(
    `WITH e AS (INSERT INTO ticket_events (ticket_id, kind, actor, data) VALUES ($1, $2, $3, $4) RETURNING ticket_id, created_at)
     INSERT INTO webhook_events (event_id, destination, conversation_id, ticket_id, kind, payload)
     SELECT $5::uuid, d.id, t.conversation_id, t.id, $6,
            jsonb_build_object('version', $8::int, 'id', $5::text, 'type', $6::text, 'occurredAt', e.created_at,
                               'ticket', ${TICKET_JSON}, 'data', $7::jsonb)
       FROM e JOIN tickets t ON t.id = e.ticket_id JOIN webhook_destinations d ON $6 = ANY(d.events) ORDER BY d.id`,
    [
      e.ticketId,
      e.kind,
      e.actor,
      JSON.stringify(e.data),
      randomUUID(),
      hook.type,
      JSON.stringify(hook.data),
      WEBHOOK_PAYLOAD_VERSION,
    ],
  );
}

/**
 * Queues message.received or message.sent for messages `ids` of a conversation (one event per message, in id order),
 * with the conversation's latest ticket (null before one opens). The text is not carried: see docs/webhooks.md.
 */
export async function queueMessageWebhooks(
  tx: Queryable,
  conversationId: number,
  type: 'message.received' | 'message.sent',
  ids: number[],
): Promise<void> {
  if (!ids.length) return;
  await tx.query(
    `INSERT INTO webhook_events (event_id, destination, conversation_id, ticket_id, kind, payload)
     SELECT x.event_id, d.id, m.conversation_id, t.id, $3,
            jsonb_build_object('version', $4::int, 'id', x.event_id::text, 'type', $3::text, 'occurredAt', m.created_at,
                               'ticket', CASE WHEN t.id IS NULL THEN NULL ELSE ${TICKET_JSON} END,
                               'data', jsonb_build_object('message', jsonb_build_object('id', m.id,
                                 'direction', m.direction, 'channel', COALESCE(m.via, m.channel),
                                 'chars', char_length(m.text), 'createdAt', m.created_at)))
       FROM unnest($2::bigint[], $5::uuid[]) AS x(id, event_id) JOIN messages m ON m.id = x.id
       JOIN webhook_destinations d ON $3 = ANY(d.events)
       LEFT JOIN LATERAL (SELECT * FROM tickets WHERE conversation_id = $1 ORDER BY id DESC LIMIT 1) t ON true
      ORDER BY m.id, d.id`,
    [conversationId, ids, type, WEBHOOK_PAYLOAD_VERSION, ids.map(() => randomUUID())],
  );
}

/** A claimed webhook event. */
export const webhookRowSchema = z.object({
  id: z.number(),
  event_id: z.string(),
  destination: z.string(),
  ticket_id: z.number().nullable(),
  kind: z.string(),
  payload: z.record(z.string(), z.unknown()),
  attempts: z.number(),
  created_at: z.date(),
});
/** A row of {@link claimDueWebhooks}. */
export type WebhookRow = z.infer<typeof webhookRowSchema>;

/**
 * Claims up to `limit` due events of `destinations` for `leaseSeconds` (a try counted, the next try pushed past the
 * lease), only the first pending event of each conversation per destination: a later one waits while an earlier one
 * is pending, in flight or waiting to retry. Rows another transaction holds are skipped.
 */
export async function claimDueWebhooks(
  tx: Queryable,
  o: { now: Date; leaseSeconds: number; destinations: string[]; limit: number },
): Promise<WebhookRow[]> {
  const r = await tx.query<WebhookRow>(
    `UPDATE webhook_events SET attempts = attempts + 1, next_attempt_at = $1::timestamptz + make_interval(secs => $2)
      WHERE id IN (SELECT id FROM webhook_events w
                    WHERE delivery = 'pending' AND next_attempt_at <= $1 AND destination = ANY($3::text[])
                      AND NOT EXISTS (SELECT 1 FROM webhook_events e WHERE e.destination = w.destination
                                         AND e.conversation_id = w.conversation_id AND e.id < w.id AND e.delivery = 'pending')
                    ORDER BY id LIMIT $4 FOR UPDATE SKIP LOCKED)
      RETURNING id, event_id::text, destination, ticket_id, kind, payload, attempts, created_at`,
    [o.now, o.leaseSeconds, o.destinations, o.limit],
  );
  return r.rows.sort((a, b) => Number(a.id) - Number(b.id)).map((x) => ({ ...x, id: Number(x.id) }));
}

/** Removes a delivered event (the receiver has it; nothing more to do). */
export async function deleteWebhookEvent(q: Queryable, id: number): Promise<void> {
  await q.query('DELETE FROM webhook_events WHERE id = $1', [id]);
}

/** Records a failed try: pending again at `nextAttemptAt`, or failed for good when it is null. */
export async function markWebhookFailed(
  q: Queryable,
  id: number,
  f: { nextAttemptAt: Date | null; error: string },
): Promise<void> {
  await q.query(
    `UPDATE webhook_events SET delivery = CASE WHEN $2::timestamptz IS NULL THEN 'failed' ELSE 'pending' END,
            next_attempt_at = COALESCE($2, next_attempt_at), last_error = $3 WHERE id = $1`,
    [id, f.nextAttemptAt, f.error],
  );
}

/** Drops the queued webhook events of erased conversations (pending or given up: none is sent any more). */
export async function dropWebhookEventsOf(tx: Queryable, conversations: number[]): Promise<number> {
  return (await tx.query('DELETE FROM webhook_events WHERE conversation_id = ANY($1::bigint[])', [conversations]))
    .rowCount;
}

/** Queued events by destination and state (pending, retrying after a failure, failed for good), for /metrics. */
export async function webhookEventCounts(
  q: Queryable,
): Promise<Array<{ destination: string; state: string; n: number }>> {
  const r = await q.query<{ destination: string; state: string; n: number }>(
    `SELECT destination, CASE WHEN delivery = 'failed' THEN 'failed' WHEN last_error IS NOT NULL THEN 'retrying' ELSE 'pending' END AS state,
            count(*)::int AS n FROM webhook_events GROUP BY 1, 2`,
  );
  return r.rows;
}
