/** Queries on tickets, their append-only events, and customers' contact points. */
import { z } from 'zod';
import {
  complaintRecordSchema,
  routingDecisionSchema,
  type ComplaintRecord,
  type RoutingDecision,
} from '../../dialogs/types.ts';
import { REFERENCE_DIGITS, REFERENCE_PREFIX } from '../domain/reference.ts';
import { severitySchema } from '../domain/severity.ts';
import { ticketStatusSchema, type TicketStatus } from '../domain/ticket-status.ts';
import type { Queryable } from './db.ts';
import { webhookOfTicketEvent } from '../webhooks/event-types.ts';
import { insertTicketEventWithWebhook } from './webhook-events.ts';

/** Every column of the tickets table (migrations 0001, 0003, 0015), as `SELECT *` returns it. */
export const ticketRowSchema = z.object({
  id: z.number(),
  reference: z.string(),
  conversation_id: z.number(),
  customer_id: z.number(),
  channel: z.string(),
  language: z.string(),
  department: z.string(),
  category: z.string(),
  severity: severitySchema,
  status: ticketStatusSchema,
  handoff: z.boolean(),
  record: complaintRecordSchema,
  restatement: z.string(),
  routing: routingDecisionSchema,
  sla_due_at: z.date(),
  resolved_at: z.date().nullable(),
  satisfaction: z.number().nullable(),
  created_at: z.date(),
  updated_at: z.date(),
  /** Who claimed it (0003); the console's own state is in slack_threads (0015, src/store/slack.ts). */
  claimed_by: z.string().nullable(),
});
/** A ticket row. */
export type TicketRow = z.infer<typeof ticketRowSchema>;

/**
 * Allocates the next ticket reference (src/domain/reference.ts): at least six digits, never cut (lpad alone would
 * make the millionth ticket CMP-100000, a reference already given). A number taken is never given back: take one
 * only for a ticket that opens.
 */
export async function nextReference(tx: Queryable): Promise<string> {
  const r = await tx.query<{ reference: string }>(
    `SELECT $1::text || lpad(n::text, greatest($2::int, length(n::text)), '0') AS reference
       FROM (SELECT nextval('ticket_reference_seq') AS n) seq`,
    [REFERENCE_PREFIX, REFERENCE_DIGITS],
  );
  return r.rows[0].reference;
}

/**
 * Opens a ticket with `reference` (allocated by {@link nextReference} before the dialog named it to the customer), or
 * the next one. Its Slack state row (slack_threads, not posted yet) comes with it in the same statement, so the
 * console's sync finds it by an index whether or not Slack is on.
 */
export async function insertTicket(
  tx: Queryable,
  t: {
    reference?: string;
    conversationId: number;
    customerId: number;
    channel: string;
    language: string;
    routing: RoutingDecision;
    record: ComplaintRecord;
    restatement: string;
    handoff: boolean;
    slaDueAt: Date;
  },
): Promise<TicketRow> {
  const r = await tx.query<TicketRow>(
    `WITH t AS (
       INSERT INTO tickets (reference, conversation_id, customer_id, channel, language, department, category, severity, status, handoff, record, restatement, routing, sla_due_at)
       VALUES ($13, $1, $2, $3, $4, $5, $6, $7, 'open', $8, $9, $10, $11, $12) RETURNING *
     ), s AS (INSERT INTO slack_threads (ticket_id) SELECT id FROM t)
     SELECT * FROM t`,
    [
      t.conversationId,
      t.customerId,
      t.channel,
      t.language,
      t.routing.department,
      t.routing.category,
      t.routing.severity,
      t.handoff,
      JSON.stringify(t.record),
      t.restatement,
      JSON.stringify(t.routing),
      t.slaDueAt,
      t.reference ?? (await nextReference(tx)),
    ],
  );
  return r.rows[0];
}

/** Appends one event to a ticket's audit trail. */
export async function addEvent(
  tx: Queryable,
  ticketId: number,
  kind: string,
  actor: string,
  data: unknown = {},
): Promise<void> {
  // The one place ticket changes become webhook events (outbox rows in this transaction), docs/webhooks.md.
  const hook = webhookOfTicketEvent(kind, data);
  if (hook) return insertTicketEventWithWebhook(tx, { ticketId, kind, actor, data }, hook);
  await tx.query('INSERT INTO ticket_events (ticket_id, kind, actor, data) VALUES ($1, $2, $3, $4)', [
    ticketId,
    kind,
    actor,
    JSON.stringify(data),
  ]);
}

/** Appends several events in one statement, in the order given. */
export async function addEvents(
  tx: Queryable,
  events: Array<{ ticketId: number; kind: string; actor: string; data: unknown }>,
): Promise<void> {
  if (!events.length) return;
  await tx.query(
    `INSERT INTO ticket_events (ticket_id, kind, actor, data)
     SELECT t.ticket_id, t.kind, t.actor, t.data FROM unnest($1::bigint[], $2::text[], $3::text[], $4::jsonb[]) WITH ORDINALITY AS t(ticket_id, kind, actor, data, n) ORDER BY t.n`,
    [
      events.map((e) => e.ticketId),
      events.map((e) => e.kind),
      events.map((e) => e.actor),
      events.map((e) => JSON.stringify(e.data)),
    ],
  );
}

/** Updates columns of a ticket (only the named ones) and touches updated_at. */
export async function updateTicket(
  tx: Queryable,
  id: number,
  patch: Partial<
    Pick<
      TicketRow,
      'status' | 'handoff' | 'record' | 'satisfaction' | 'resolved_at' | 'claimed_by' | 'severity' | 'sla_due_at'
    >
  >,
): Promise<void> {
  const cols = Object.keys(patch) as Array<keyof typeof patch>;
  const sets = cols.map((c, i) => `${c} = $${i + 2}`);
  const values = cols.map((c) => (c === 'record' ? JSON.stringify(patch[c]) : patch[c]));
  await tx.query(`UPDATE tickets SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1`, [id, ...values]);
}

/** The ticket with `reference`, optionally locked for update. */
export async function ticketByReference(
  db: Queryable,
  reference: string,
  lock = false,
): Promise<TicketRow | undefined> {
  return (
    await db.query<TicketRow>(`SELECT * FROM tickets WHERE reference = $1${lock ? ' FOR UPDATE' : ''}`, [reference])
  ).rows[0];
}

/** Lists tickets by status and creation time, newest first. */
export async function listTickets(
  db: Queryable,
  f: { status?: TicketStatus; since?: Date; limit: number },
): Promise<TicketRow[]> {
  return (
    await db.query<TicketRow>(
      `SELECT * FROM tickets WHERE ($1::text IS NULL OR status = $1) AND ($2::timestamptz IS NULL OR created_at >= $2)
        ORDER BY created_at DESC, id DESC LIMIT $3`,
      [f.status ?? null, f.since ?? null, f.limit],
    )
  ).rows;
}

/** A ticket's events in order. */
export async function ticketEvents(
  db: Queryable,
  ticketId: number,
): Promise<Array<{ kind: string; actor: string; data: unknown; created_at: Date }>> {
  return (
    await db.query<{ kind: string; actor: string; data: unknown; created_at: Date }>(
      'SELECT kind, actor, data, created_at FROM ticket_events WHERE ticket_id = $1 ORDER BY id',
      [ticketId],
    )
  ).rows;
}

/** Records the customer's name and contact points from the complaint record. */
export async function saveCustomerDetails(tx: Queryable, customerId: number, r: ComplaintRecord): Promise<void> {
  if (r.name) await tx.query('UPDATE customers SET name = $2, updated_at = now() WHERE id = $1', [customerId, r.name]);
  for (const [kind, value] of [
    ['email', r.email],
    ['phone', r.phone],
  ] as const) {
    if (value) {
      await tx.query(
        'INSERT INTO contact_points (customer_id, kind, value) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [customerId, kind, value],
      );
    }
  }
}

/** The name and contact points of a customer. */
export async function customerContact(
  db: Queryable,
  customerId: number,
): Promise<{ name: string | null; email: string[]; phone: string[] }> {
  const c = await db.query<{ name: string | null }>('SELECT name FROM customers WHERE id = $1', [customerId]);
  const points = await db.query<{ kind: string; value: string }>(
    'SELECT kind, value FROM contact_points WHERE customer_id = $1 ORDER BY id',
    [customerId],
  );
  return {
    name: c.rows[0]?.name ?? null,
    email: points.rows.filter((p) => p.kind === 'email').map((p) => p.value),
    phone: points.rows.filter((p) => p.kind === 'phone').map((p) => p.value),
  };
}

/** Sets a ticket's category and department (a staff reassignment) and touches updated_at. */
export async function reassignTicket(
  tx: Queryable,
  id: number,
  to: { category: string; department: string },
): Promise<void> {
  await tx.query('UPDATE tickets SET category = $2, department = $3, updated_at = now() WHERE id = $1', [
    id,
    to.category,
    to.department,
  ]);
}
