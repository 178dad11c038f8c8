/** Storage side of the Slack console: tickets to post, events to sync, staff actions, de-duplication of retries. */
import type { RoutingConfig } from '../../dialogs/routing-config.ts';
import type { Deliver } from '../core/ports.ts';
import type { Db, Queryable } from '../store/db.ts';
import { recordOutbound } from '../store/messages.ts';
import { addEvent, customerContact, ticketByReference, type TicketRow } from '../store/tickets.ts';
import { changeStatusIn, reassignIn } from './tickets.ts';
import { RedressError } from '../core/errors.ts';
import { MOST_URGENT_FIRST, type Severity } from '../domain/severity.ts';
import { canBecome, ticketStatusSchema, waitingStatusSchema, type TicketStatus } from '../domain/ticket-status.ts';
import type { ConversationRow } from '../store/conversations.ts';

// Claiming a ticket puts it in progress when its status allows that (open, reopened); otherwise only the claim is kept.
const IN_PROGRESS: TicketStatus = 'in_progress';
const STARTABLE = ticketStatusSchema.options.filter((s) => canBecome(s, IN_PROGRESS));

/** The Slack console's port onto storage. */
export function slackStore(
  db: Db,
  o: { routing: RoutingConfig; deliver: Deliver; onOutbound: () => void; satisfactionDays: number; clock: () => Date },
) {
  const card = async (t: TicketRow) => ({
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
    slackChannel: t.slack_channel,
    slackTs: t.slack_ts,
    /** Its other posts: cards in channels it moved out of, SLA-breach notices in escalation channels. */
    elsewhere: t.slack_elsewhere,
  });
  // A ticket being worked on by one process's sync is leased (slack_retry_at pushed ahead) so another process's
  // sync neither posts it twice nor repeats its thread lines; a crashed holder's lease simply runs out.
  const lease =
    (where: string) =>
    async (now: Date, limit = 20) => {
      const rows = await db.query<TicketRow>(
        `UPDATE tickets SET slack_retry_at = $1::timestamptz + interval '${LEASE_SECONDS} seconds'
        WHERE id IN (SELECT t.id FROM tickets t WHERE ${where} AND (t.slack_retry_at IS NULL OR t.slack_retry_at <= $1) ORDER BY t.id LIMIT $2 FOR UPDATE SKIP LOCKED)
        RETURNING *`,
        [now, limit],
      );
      return rows.rows.sort((a, b) => a.id - b.id);
    };
  const leaseUnposted = lease('t.slack_ts IS NULL');
  const leaseWithEvents = lease(
    't.slack_ts IS NOT NULL AND EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND e.id > t.slack_event_cursor)',
  );
  /** Runs `fn` in one transaction with Slack delivery `key` marked seen in it: a retried delivery does nothing. */
  const once = async <T>(key: string | undefined, fn: (tx: Queryable) => Promise<T>): Promise<T | undefined> =>
    db.transaction(async (tx) => {
      if (
        key &&
        (await tx.query('INSERT INTO slack_seen (key) VALUES ($1) ON CONFLICT DO NOTHING', [key])).rowCount === 0
      )
        return undefined;
      return fn(tx);
    });
  // The ticket is not locked: a reply changes no ticket column, and locking it before the conversation would invert
  // the order a customer's turn takes (conversation, then ticket) and let the two deadlock.
  const replyTo = async (tx: Queryable, t: TicketRow, user: string, text: string, via: string) => {
    const conv = (
      await tx.query<ConversationRow & { erased_at: Date | null }>(
        'SELECT * FROM conversations WHERE id = $1 FOR UPDATE',
        [t.conversation_id],
      )
    ).rows[0];
    // An erased customer has no contact point left to reach, and must not get one back.
    if (conv.erased_at)
      throw new RedressError('CONFLICT', "the customer's data was erased; there is no one to send this to");
    const [out] = await recordOutbound(tx, conv, [text], {}, o.deliver.pushes(conv.channel));
    await addEvent(tx, t.id, 'staff_reply', `slack:${user}`, { text, message: out.id, via });
    return true;
  };
  return {
    /** Tickets whose console message is not posted yet (and not waiting out a rate limit), leased to this caller. */
    async unposted(now: Date, limit = 20) {
      return Promise.all((await leaseUnposted(now, limit)).map(card));
    },
    /** Ends this caller's lease on a ticket (its work is done). */
    async release(ticketId: number) {
      await db.query('UPDATE tickets SET slack_retry_at = NULL, slack_failures = 0 WHERE id = $1', [ticketId]);
    },
    /** Sets a ticket's message aside so the next sync posts a new one (it moved to another department's channel). */
    async moved(ticketId: number) {
      await db.query(
        `UPDATE tickets SET slack_elsewhere = slack_elsewhere || jsonb_build_array(jsonb_build_object('channel', slack_channel, 'ts', slack_ts, 'card', true)),
                            slack_channel = NULL, slack_ts = NULL, slack_retry_at = NULL
          WHERE id = $1 AND slack_ts IS NOT NULL`,
        [ticketId],
      );
    },
    /** Remembers a post about a ticket outside its card's thread (an SLA-breach notice), for erasure to find. */
    async postedElsewhere(ticketId: number, channel: string, ts: string) {
      await db.query(
        "UPDATE tickets SET slack_elsewhere = slack_elsewhere || jsonb_build_array(jsonb_build_object('channel', $2::text, 'ts', $3::text, 'card', false)) WHERE id = $1",
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
      return (
        await db.query<{ reference: string; department: string }>(
          'SELECT reference, department FROM tickets WHERE slack_channel = $1 AND slack_ts = $2',
          [channel, ts],
        )
      ).rows[0];
    },
    /** Records the posted message; false when another process posted it first (its ts wins, ours is deleted). */
    async posted(ticketId: number, channel: string, ts: string): Promise<boolean> {
      const r = await db.query(
        'UPDATE tickets SET slack_channel = $2, slack_ts = $3, slack_retry_at = NULL, slack_failures = 0 WHERE id = $1 AND slack_ts IS NULL',
        [ticketId, channel, ts],
      );
      return r.rowCount === 1;
    },
    /** Holds a ticket's Slack work until `at` (a rate limit's Retry-After, or a failure's backoff). */
    async retryAt(ticketId: number, at: Date) {
      await db.query('UPDATE tickets SET slack_retry_at = $2 WHERE id = $1', [ticketId, at]);
    },
    /** Records a failed Web API call: retry after Slack's Retry-After, else after 30 s doubling per failure (≤ 1 h). */
    async failed(ticketId: number, now: Date, retryAfterSeconds?: number) {
      await db.query(
        `UPDATE tickets SET slack_failures = slack_failures + 1,
                slack_retry_at = $2::timestamptz + make_interval(secs => COALESCE($3::int, LEAST(3600, 30 * power(2, slack_failures))::int))
          WHERE id = $1`,
        [ticketId, now, retryAfterSeconds ?? null],
      );
    },
    /** Posted tickets with events their thread has not shown yet, leased to this caller. */
    async withNewEvents(now: Date, limit = 20) {
      return Promise.all(
        (await leaseWithEvents(now, limit)).map(async (t) => ({
          card: await card(t),
          events: (
            await db.query<{ id: number; kind: string; actor: string; data: Record<string, unknown> }>(
              'SELECT id, kind, actor, data FROM ticket_events WHERE ticket_id = $1 AND id > $2 ORDER BY id',
              [t.id, t.slack_event_cursor],
            )
          ).rows,
        })),
      );
    },
    async advance(ticketId: number, eventId: number) {
      await db.query('UPDATE tickets SET slack_event_cursor = GREATEST(slack_event_cursor, $2) WHERE id = $1', [
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
    /** Claims a ticket for `user` (once per Slack delivery `key`). */
    async claim(reference: string, user: string, key?: string) {
      await once(key, async (tx) => {
        const t = await ticketByReference(tx, reference, true);
        if (!t) throw new RedressError('NOT_FOUND', `no ticket ${reference}`);
        await tx.query(
          'UPDATE tickets SET claimed_by = $2, status = CASE WHEN status = ANY($3::text[]) THEN $4 ELSE status END, updated_at = now() WHERE id = $1',
          [t.id, user, STARTABLE, IN_PROGRESS],
        );
        await addEvent(tx, t.id, 'claimed', `slack:${user}`, {});
      });
    },
    /** Resolves a ticket as `user`. */
    resolve: (reference: string, user: string, key?: string) =>
      once(key, (tx) =>
        changeStatusIn(tx, {
          reference,
          change: { status: 'resolved' },
          actor: `slack:${user}`,
          now: o.clock(),
          satisfactionDays: o.satisfactionDays,
        }),
      ),
    /** Moves a ticket to another department as `user`. */
    reassign: (reference: string, department: string, user: string, key?: string) =>
      once(key, (tx) => reassignIn(tx, o.routing, { reference, change: { department }, actor: `slack:${user}` })),
    /** Changes a ticket's severity (and so its SLA) as `user`. */
    async severity(reference: string, severity: Severity, user: string, key?: string) {
      await once(key, async (tx) => {
        const t = await ticketByReference(tx, reference, true);
        if (!t) throw new RedressError('NOT_FOUND', `no ticket ${reference}`);
        const due = new Date(new Date(t.created_at).getTime() + o.routing.sla_hours[severity] * 3_600_000);
        await tx.query('UPDATE tickets SET severity = $2, sla_due_at = $3, updated_at = now() WHERE id = $1', [
          t.id,
          severity,
          due,
        ]);
        await addEvent(tx, t.id, 'severity_changed', `slack:${user}`, { from: t.severity, to: severity });
      });
    },
    /** A staff member's reply in the ticket's thread, delivered to the customer on their own channel. */
    async staffReply(channel: string, threadTs: string, user: string, text: string, key?: string): Promise<boolean> {
      const done = await once(key, async (tx) => {
        const t = (
          await tx.query<TicketRow>('SELECT * FROM tickets WHERE slack_channel = $1 AND slack_ts = $2', [
            channel,
            threadTs,
          ])
        ).rows[0];
        return t ? replyTo(tx, t, user, text, 'thread') : false;
      });
      if (done) o.onOutbound();
      return done === true;
    },
    /** A reply written in the Reply to customer modal, delivered the same way. */
    async staffReplyTo(reference: string, user: string, text: string, key?: string): Promise<boolean> {
      const done = await once(key, async (tx) => {
        const t = await ticketByReference(tx, reference, false);
        if (!t) throw new RedressError('NOT_FOUND', `no ticket ${reference}`);
        return replyTo(tx, t, user, text, 'modal');
      });
      if (done) o.onOutbound();
      return done === true;
    },
  };
}

/** How long one process's sync holds a ticket before another may take it over. */
const LEASE_SECONDS = 60;

/** The Slack console's storage port. */
export type SlackStore = ReturnType<typeof slackStore>;
