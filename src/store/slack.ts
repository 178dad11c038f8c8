/** Slack's per-ticket state (slack_threads), the console's reads of tickets, and de-duplication of Slack retries. */
import { z } from 'zod';
import { MOST_URGENT_FIRST } from '../domain/severity.ts';
import { waitingStatusSchema } from '../domain/ticket-status.ts';
import type { ConversationRow } from './conversations.ts';
import type { Db, Queryable } from './db.ts';
import { customerContact, ticketByReference, type TicketRow } from './tickets.ts';
import { customerHistory } from './customer-history.ts';
import { attachmentsOfConversation } from './attachments.ts';

/** How many earlier tickets of the customer a card lists (the card counts the rest). */
const CARD_HISTORY = 5;

/** A console post of a ticket outside its current card: a card it moved away from, or a notice. */
export const slackPostSchema = z.object({ channel: z.string(), ts: z.string(), card: z.boolean() });
/** A Slack post of a ticket. */
export type SlackPost = z.infer<typeof slackPostSchema>;

/** Every column of slack_threads (migration 0015): one row per ticket, made with the ticket. */
export const slackThreadRowSchema = z.object({
  ticket_id: z.number(),
  /** The ticket's card (its message in the department's channel); null until posted, and again once it moved. */
  channel: z.string().nullable(),
  ts: z.string().nullable(),
  /** The last ticket_events id its thread shows. */
  event_cursor: z.number(),
  /** When its sync may run again: a lease, a rate limit's Retry-After, or a failure's backoff. */
  retry_at: z.date().nullable(),
  /** Failed Web API calls in a row. */
  failures: z.number(),
  /** Its posts outside the current card, for erasure to find. */
  elsewhere: z.array(slackPostSchema),
});
/** A slack_threads row. */
export type SlackThreadRow = z.infer<typeof slackThreadRowSchema>;

/** How long one process's sync holds a ticket before another may take it over. */
const LEASE_SECONDS = 60;

/** The ticket whose card is (channel, ts), if any (not locked: see src/staff/slack.ts). */
export async function ticketByMessage(db: Queryable, channel: string, ts: string): Promise<TicketRow | undefined> {
  return (
    await db.query<TicketRow>(
      'SELECT t.* FROM slack_threads s JOIN tickets t ON t.id = s.ticket_id WHERE s.channel = $1 AND s.ts = $2',
      [channel, ts],
    )
  ).rows[0];
}

/** Marks Slack delivery `key` handled in `tx`; false when it already was (a retry, to be ignored). */
export async function markSeen(tx: Queryable, key: string): Promise<boolean> {
  return (await tx.query('INSERT INTO slack_seen (key) VALUES ($1) ON CONFLICT DO NOTHING', [key])).rowCount === 1;
}

/** The conversation a staff reply goes to, locked for the reply, with when its customer was erased (if they were). */
export async function lockReplyConversation(
  tx: Queryable,
  conversationId: number,
): Promise<ConversationRow & { erased_at: Date | null }> {
  return (
    await tx.query<ConversationRow & { erased_at: Date | null }>(
      'SELECT * FROM conversations WHERE id = $1 FOR UPDATE',
      [conversationId],
    )
  ).rows[0];
}

/** A card's list of the customer's earlier tickets (channels/slack/history-block.ts draws it). */
async function cardHistory(db: Queryable, ticketId: number) {
  const h = await customerHistory(db, ticketId, CARD_HISTORY);
  return {
    total: h.total,
    tickets: h.tickets.map((e) => ({
      reference: e.reference,
      createdAt: e.created_at.toISOString(),
      category: e.category,
      status: e.status,
      remedy: e.remedy,
      cause: e.cause,
      satisfaction: e.satisfaction,
    })),
  };
}

/** The Slack console's storage: its queue of tickets to post and sync, their cards, and the tickets staff ask about. */
export function slackThreads(db: Db) {
  const card = async (t: TicketRow, s: SlackThreadRow) => ({
    id: t.id,
    reference: t.reference,
    severity: t.severity,
    category: t.category,
    department: t.department,
    channel: t.channel,
    language: t.language,
    status: t.status,
    claimedBy: t.claimed_by,
    customer: await customerContact(db, t.customer_id),
    restatement: t.restatement,
    customerWords: (t.record as { customerWords?: string[] }).customerWords ?? [],
    slaDueAt: new Date(t.sla_due_at).toISOString(),
    slackChannel: s.channel,
    slackTs: s.ts,
    /** Its other posts: cards in channels it moved out of, SLA-breach notices in escalation channels. */
    elsewhere: s.elsewhere,
    routingReasons: t.routing.reasons,
    handoffReasons: (
      await db.query<{ reason: string | null }>(
        "SELECT data->>'reason' AS reason FROM ticket_events WHERE ticket_id = $1 AND kind = 'handoff' ORDER BY id",
        [t.id],
      )
    ).rows.map((r) => r.reason ?? ''),
    history: await cardHistory(db, t.id),
    attachments: (await attachmentsOfConversation(db, t.conversation_id)).map((a) => ({
      name: a.name,
      contentType: a.content_type,
      size: Number(a.size),
      stored: !a.refused,
    })),
  });
  // A ticket being worked on by one process's sync is leased (retry_at pushed ahead) so another process's sync neither
  // posts it twice nor repeats its thread lines; a crashed holder's lease simply runs out. The ticket's row is locked
  // (skipped when taken) as well as its Slack row: a transaction still adding events to the ticket holds a key-share
  // lock on it, and syncing past its uncommitted event would advance the cursor beyond it and never show it.
  const lease =
    (where: string) =>
    async (now: Date, limit: number): Promise<Array<{ ticket: TicketRow; thread: SlackThreadRow }>> => {
      const threads = (
        await db.query<SlackThreadRow>(
          `UPDATE slack_threads SET retry_at = $1::timestamptz + interval '${LEASE_SECONDS} seconds'
            WHERE ticket_id IN (SELECT s.ticket_id FROM slack_threads s JOIN tickets t ON t.id = s.ticket_id
                                 WHERE ${where} AND (s.retry_at IS NULL OR s.retry_at <= $1)
                                 ORDER BY s.ticket_id LIMIT $2 FOR UPDATE OF s, t SKIP LOCKED)
            RETURNING *`,
          [now, limit],
        )
      ).rows;
      if (!threads.length) return [];
      const tickets = new Map(
        (
          await db.query<TicketRow>('SELECT * FROM tickets WHERE id = ANY($1::bigint[])', [
            threads.map((s) => s.ticket_id),
          ])
        ).rows.map((t) => [t.id, t]),
      );
      return threads
        .sort((a, b) => a.ticket_id - b.ticket_id)
        .map((thread) => ({ ticket: tickets.get(thread.ticket_id)!, thread }));
    };
  const leaseUnposted = lease('s.ts IS NULL');
  const leaseWithEvents = lease(
    's.ts IS NOT NULL AND EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = s.ticket_id AND e.id > s.event_cursor)',
  );
  return {
    /** Tickets whose console message is not posted yet (and not waiting out a rate limit), leased to this caller. */
    async unposted(now: Date, limit = 20) {
      return Promise.all((await leaseUnposted(now, limit)).map((l) => card(l.ticket, l.thread)));
    },
    /** Ends this caller's lease on a ticket (its work is done). */
    async release(ticketId: number) {
      await db.query('UPDATE slack_threads SET retry_at = NULL, failures = 0 WHERE ticket_id = $1', [ticketId]);
    },
    /** Sets a ticket's message aside so the next sync posts a new one (it moved to another department's channel). */
    async moved(ticketId: number) {
      await db.query(
        `UPDATE slack_threads SET elsewhere = elsewhere || jsonb_build_array(jsonb_build_object('channel', channel, 'ts', ts, 'card', true)),
                                  channel = NULL, ts = NULL, retry_at = NULL
          WHERE ticket_id = $1 AND ts IS NOT NULL`,
        [ticketId],
      );
    },
    /** Remembers a post about a ticket outside its card's thread (an SLA-breach notice), for erasure to find. */
    async postedElsewhere(ticketId: number, channel: string, ts: string) {
      await db.query(
        "UPDATE slack_threads SET elsewhere = elsewhere || jsonb_build_array(jsonb_build_object('channel', $2::text, 'ts', $3::text, 'card', false)) WHERE ticket_id = $1",
        [ticketId, channel, ts],
      );
    },
    /** The department a ticket is in now (for membership checks). */
    async departmentOf(reference: string): Promise<string | undefined> {
      return (
        await db.query<{ department: string }>('SELECT department FROM tickets WHERE reference = $1', [reference])
      ).rows[0]?.department;
    },
    /** The ticket whose console message is (channel, ts). */
    async byMessage(channel: string, ts: string) {
      const t = await ticketByMessage(db, channel, ts);
      return t && { reference: t.reference, department: t.department };
    },
    /** Records the posted message; false when another process posted it first (its ts wins, ours is deleted). */
    async posted(ticketId: number, channel: string, ts: string): Promise<boolean> {
      const r = await db.query(
        'UPDATE slack_threads SET channel = $2, ts = $3, retry_at = NULL, failures = 0 WHERE ticket_id = $1 AND ts IS NULL',
        [ticketId, channel, ts],
      );
      return r.rowCount === 1;
    },
    /** Holds a ticket's Slack work until `at` (a rate limit's Retry-After, or a failure's backoff). */
    async retryAt(ticketId: number, at: Date) {
      await db.query('UPDATE slack_threads SET retry_at = $2 WHERE ticket_id = $1', [ticketId, at]);
    },
    /** Records a failed Web API call: retry after Slack's Retry-After, else after 30 s doubling per failure (≤ 1 h). */
    async failed(ticketId: number, now: Date, retryAfterSeconds?: number) {
      await db.query(
        `UPDATE slack_threads SET failures = failures + 1,
                retry_at = $2::timestamptz + make_interval(secs => COALESCE($3::int, LEAST(3600, 30 * power(2, failures))::int))
          WHERE ticket_id = $1`,
        [ticketId, now, retryAfterSeconds ?? null],
      );
    },
    /** Posted tickets with events their thread has not shown yet, leased to this caller. */
    async withNewEvents(now: Date, limit = 20) {
      return Promise.all(
        (await leaseWithEvents(now, limit)).map(async ({ ticket, thread }) => ({
          card: await card(ticket, thread),
          events: (
            await db.query<{ id: number; kind: string; actor: string; data: Record<string, unknown> }>(
              'SELECT id, kind, actor, data FROM ticket_events WHERE ticket_id = $1 AND id > $2 ORDER BY id',
              [ticket.id, thread.event_cursor],
            )
          ).rows,
        })),
      );
    },
    /** Records that a ticket's thread shows its events up to `eventId`. */
    async advance(ticketId: number, eventId: number) {
      await db.query('UPDATE slack_threads SET event_cursor = GREATEST(event_cursor, $2) WHERE ticket_id = $1', [
        ticketId,
        eventId,
      ]);
    },
    /** Open tickets of `departments` (the ones the asker may see), most urgent and oldest first, for /complaints open. */
    async openTickets(departments: string[]) {
      const rows = await db.query<TicketRow>(
        `SELECT * FROM tickets WHERE status = ANY($2::text[]) AND department = ANY($1::text[])
          ORDER BY array_position($3::text[], severity), sla_due_at LIMIT 50`,
        [departments, waitingStatusSchema.options, MOST_URGENT_FIRST],
      );
      return rows.rows.map((t) => ({
        reference: t.reference,
        severity: t.severity,
        category: t.category,
        status: t.status,
        claimedBy: t.claimed_by,
        slaDueAt: new Date(t.sla_due_at).toISOString(),
      }));
    },
    /** One ticket for /complaints <reference>. */
    async ticket(reference: string) {
      const t = await ticketByReference(db, reference);
      return (
        t && {
          reference: t.reference,
          severity: t.severity,
          category: t.category,
          department: t.department,
          status: t.status,
          claimedBy: t.claimed_by,
          restatement: t.restatement,
          slaDueAt: new Date(t.sla_due_at).toISOString(),
        }
      );
    },
    /** True when Slack delivery `key` was already handled (a retry); it is marked in the transaction of its effect. */
    async seen(key: string): Promise<boolean> {
      return (await db.query('SELECT 1 FROM slack_seen WHERE key = $1', [key])).rowCount > 0;
    },
  };
}
