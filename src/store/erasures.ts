/** Erasures: finding a person's customers and conversations, scrubbing them, and the `erasures` record. */
import { revokeResumesOf } from './web-chat-resumes.ts';
import type { Queryable } from './db.ts';
import { queueMailboxErasures } from './mailbox-erasures.ts';
import { ERASED, scrubEventData } from '../domain/erased.ts';
import { eraseRecoveryNotes } from './recovery-tasks.ts';
import { eraseTiers, type TierPoint } from './customer-tiers.ts';
import { dropWebhookEventsOf } from './webhook-events.ts';

/** What scrubbing a set of conversations removed or cancelled. */
export interface ScrubCounts {
  conversations: number;
  messages: number;
  tickets: number;
  attachments: number;
  /** Pending outbound messages (outbox) cancelled. */
  outboxCancelled: number;
  /** Scheduled follow-ups cancelled. */
  followupsCancelled: number;
}

/** A normalised identifier: lower-case email, or a phone number in E.164 (as contact points store them). */
export type Subject = { kind: 'email' | 'phone'; value: string };

/** Customers reachable through `s`: a contact point, or the address of a conversation not yet erased. */
export async function findCustomers(q: Queryable, s: Subject): Promise<number[]> {
  // Literal keys, so the partial expression indexes of 0006_privacy.sql apply.
  const address =
    s.kind === 'email' ? "address ? 'email' AND lower(address->>'email')" : "address ? 'phone' AND (address->>'phone')";
  const r = await q.query<{ id: number }>(
    `SELECT customer_id AS id FROM contact_points WHERE kind = $1 AND lower(value) = $2
     UNION SELECT customer_id FROM conversations WHERE ${address} = $2 AND erased_at IS NULL ORDER BY 1`,
    [s.kind, s.value],
  );
  return r.rows.map((x) => x.id);
}

/** Conversations of `customers` not erased yet, optionally locked. */
export async function conversationsOf(q: Queryable, customers: number[], lock: boolean): Promise<number[]> {
  const r = await q.query<{ id: number }>(
    `SELECT id FROM conversations WHERE customer_id = ANY($1::bigint[]) AND erased_at IS NULL ORDER BY id${lock ? ' FOR UPDATE' : ''}`,
    [customers],
  );
  return r.rows.map((x) => x.id);
}

/** What scrubbing `conversations` would remove, without changing anything (dry runs). */
export async function countConversations(q: Queryable, conversations: number[]): Promise<ScrubCounts> {
  const r = await q.query<Omit<ScrubCounts, 'conversations'>>(
    `SELECT (SELECT count(*)::int FROM messages WHERE conversation_id = ANY($1::bigint[])) AS messages,
            (SELECT count(*)::int FROM tickets WHERE conversation_id = ANY($1::bigint[])) AS tickets,
            (SELECT count(*)::int FROM attachments a JOIN messages m ON m.id = a.message_id WHERE m.conversation_id = ANY($1::bigint[])) AS attachments,
            (SELECT count(*)::int FROM messages WHERE conversation_id = ANY($1::bigint[]) AND delivery = 'pending') AS "outboxCancelled",
            (SELECT count(*)::int FROM followups WHERE conversation_id = ANY($1::bigint[]) AND state = 'scheduled') AS "followupsCancelled"`,
    [conversations],
  );
  return { conversations: conversations.length, ...r.rows[0] };
}

/**
 * Removes the personal data of `conversations` inside `tx`: message texts and payloads, attachments, addresses,
 * dialog state, ticket records and restatements, the words in ticket events; cancels their outbox and follow-ups,
 * and queues their mails for deletion from the IMAP mailbox (the mailbox reader does that).
 * Ticket rows keep department, category, severity, status, times, SLA and score. Adds an `erased` event per ticket.
 */
export async function scrubConversations(
  tx: Queryable,
  conversations: number[],
  o: { actor: string; now: Date; event: Record<string, unknown> },
): Promise<ScrubCounts> {
  const ids = [conversations];
  const attachments = (
    await tx.query(
      'DELETE FROM attachments WHERE message_id IN (SELECT id FROM messages WHERE conversation_id = ANY($1::bigint[]))',
      ids,
    )
  ).rowCount;
  // Cancelled before the texts go, so the outbox never picks up a message to an erased customer.
  const outboxCancelled = (
    await tx.query(
      "UPDATE messages SET delivery = 'cancelled', next_attempt_at = NULL WHERE conversation_id = ANY($1::bigint[]) AND delivery = 'pending'",
      ids,
    )
  ).rowCount;
  await queueMailboxErasures(tx, conversations);
  // Nor does a webhook carry anything more about them (docs/webhooks.md).
  await dropWebhookEventsOf(tx, conversations);
  // No browser reopens an erased customer's chat.
  await revokeResumesOf(tx, conversations, o.now);
  // Channel ids (Message-IDs, Slack ts) can name the sender; a redelivery after erasure is simply a new message.
  const messages = (
    await tx.query(
      `UPDATE messages SET text = $2, payload = '{}'::jsonb, last_error = NULL, external_id = NULL, via_address = NULL,
              message_key = CASE WHEN message_key IS NULL THEN NULL ELSE 'erased:' || id END
        WHERE conversation_id = ANY($1::bigint[])`,
      [conversations, ERASED],
    )
  ).rowCount;
  const followupsCancelled = (
    await tx.query(
      "UPDATE followups SET state = 'cancelled', fired_at = $2 WHERE conversation_id = ANY($1::bigint[]) AND state = 'scheduled'",
      [conversations, o.now],
    )
  ).rowCount;
  const tickets = (
    await tx.query<{ id: number }>(
      `UPDATE tickets SET record = '{"customerWords": [], "declined": []}'::jsonb, restatement = $2, routing = jsonb_set(routing, '{reasons}', '[]'::jsonb)
        WHERE conversation_id = ANY($1::bigint[]) RETURNING id`,
      [conversations, ERASED],
    )
  ).rows.map((t) => t.id);
  if (tickets.length) {
    // The one sanctioned rewrite of the append-only trail (see 0006_privacy.sql); set_config(..., true) ends with the transaction.
    await tx.query("SELECT set_config('redress.erasing', 'on', true)");
    const events = (
      await tx.query<{ id: number; data: unknown }>(
        'SELECT id, data FROM ticket_events WHERE ticket_id = ANY($1::bigint[]) ORDER BY id',
        [tickets],
      )
    ).rows;
    const changed = events
      .map((e) => ({ id: e.id, data: JSON.stringify(scrubEventData(e.data)) }))
      .filter((e, i) => e.data !== JSON.stringify(events[i].data));
    if (changed.length) {
      await tx.query(
        'UPDATE ticket_events e SET data = x.data FROM unnest($1::bigint[], $2::jsonb[]) AS x(id, data) WHERE e.id = x.id',
        [changed.map((e) => e.id), changed.map((e) => e.data)],
      );
    }
    await tx.query("SELECT set_config('redress.erasing', 'off', true)");
    // A recovery contact's note is staff's words about the customer (issue #16).
    await eraseRecoveryNotes(tx, tickets);
    await tx.query(
      "INSERT INTO ticket_events (ticket_id, kind, actor, data) SELECT t, 'erased', $2, $3 FROM unnest($1::bigint[]) AS t",
      [tickets, o.actor, JSON.stringify(o.event)],
    );
  }
  // A new key means the channel's next message starts a fresh conversation; the version bump makes any turn that
  // read the old row fail its save and retry.
  await tx.query(
    `UPDATE conversations SET address = '{}'::jsonb, conversation_key = 'erased:' || id, erased_at = $2, version = version + 1,
            state = jsonb_strip_nulls(jsonb_build_object('phase', 'closed', 'language', state->'language', 'ticketReference', state->'ticketReference', 'turns', state->'turns'))
      WHERE id = ANY($1::bigint[])`,
    [conversations, o.now],
  );
  return {
    conversations: conversations.length,
    messages,
    tickets: tickets.length,
    attachments,
    outboxCancelled,
    followupsCancelled,
  };
}

/** Removes the names and contact points of `customers` (the rows stay: tickets and repeat figures refer to them). */
export async function scrubCustomers(tx: Queryable, customers: number[], now: Date): Promise<number> {
  if (!customers.length) return 0;
  // A tier kept on an identity (customer_tiers) names the email address or account: it goes with the contact point.
  const points = await tx.query<TierPoint>(
    `SELECT DISTINCT kind, CASE WHEN kind = 'email' THEN lower(value) ELSE value END AS value FROM contact_points
      WHERE customer_id = ANY($1::bigint[]) AND kind IN ('email', 'channel')`,
    [customers],
  );
  await eraseTiers(tx, points.rows);
  await tx.query('DELETE FROM contact_points WHERE customer_id = ANY($1::bigint[])', [customers]);
  return (
    await tx.query('UPDATE customers SET name = NULL, updated_at = $2 WHERE id = ANY($1::bigint[])', [customers, now])
  ).rowCount;
}

/** Records an erasure (counts filled in later by `finishErasure`); returns its id. */
export async function startErasure(
  tx: Queryable,
  e: { reason: 'request' | 'retention'; actor: string; now: Date; subjectHash?: string },
): Promise<number> {
  const r = await tx.query<{ id: number }>(
    'INSERT INTO erasures (reason, requested_by, at, subject_hash) VALUES ($1, $2, $3, $4) RETURNING id',
    [e.reason, e.actor, e.now, e.subjectHash ?? null],
  );
  return r.rows[0].id;
}

/** Stores what an erasure removed. */
export async function finishErasure(tx: Queryable, id: number, counts: object): Promise<void> {
  await tx.query('UPDATE erasures SET counts = $2 WHERE id = $1', [id, JSON.stringify(counts)]);
}

/** Earlier erasures on request of the identifier whose keyed hash is `hash`. */
export async function previousErasures(q: Queryable, hash: string): Promise<Array<{ erasureId: number; at: string }>> {
  const r = await q.query<{ id: number; at: Date }>(
    "SELECT id, at FROM erasures WHERE subject_hash = $1 AND reason = 'request' ORDER BY id",
    [hash],
  );
  return r.rows.map((x) => ({ erasureId: x.id, at: new Date(x.at).toISOString() }));
}

/** Locks `customers` (in id order) for the rest of the transaction. */
export async function lockCustomers(tx: Queryable, customers: number[]): Promise<void> {
  await tx.query('SELECT id FROM customers WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE', [customers]);
}
