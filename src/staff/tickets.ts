/** Ticket operations staff perform (status changes) and the ticket as staff see it. */
import { z } from 'zod';
import type { Db, Queryable } from '../store/db.ts';
import {
  addEvent,
  customerContact,
  reassignTicket,
  ticketByReference,
  ticketEvents,
  updateTicket,
  type TicketRow,
} from '../store/tickets.ts';
import { cancelFollowups, followupsOf } from '../store/followups.ts';
import { attachmentsOfConversation } from '../store/attachments.ts';
import { callOfConversation } from '../store/messages.ts';
import { scheduleFollowup, type FollowupQueue } from '../core/schedule-followups.ts';
import { RedressError } from '../core/errors.ts';
import { followupKindSchema } from '../domain/followups.ts';
import { canBecome, staffStatusSchema, statusEventKind } from '../domain/ticket-status.ts';
import type { RoutingConfig } from '../../dialogs/routing-config.ts';
import type { Deliver } from '../core/ports.ts';
import { resolutionInputSchema } from './resolution-input.ts';
import { lockForResolution, recordResolution } from './resolution.ts';
import { resolutionsOf } from '../store/resolutions.ts';
import { satisfactionAnswersOf } from '../store/satisfaction-answers.ts';
import { customerHistory } from '../store/customer-history.ts';
import { renewSla } from './recovery.ts';
import { latestTier, tierChanges } from '../store/customer-tiers.ts';
import type { TicketSummary, TicketView } from './openapi-schemas.ts';

/** Body of POST /api/tickets/:reference/status. */
export const statusChangeSchema = z.object({
  status: staffStatusSchema,
  /** Internal: staff see it, the customer never does. */
  note: z.string().max(5000).optional(),
  /** With status "resolved": the remedy, root cause and message to the customer (src/staff/resolution-input.ts). */
  resolution: resolutionInputSchema.optional(),
});
/** A status change. */
export type StatusChange = z.infer<typeof statusChangeSchema>;

/** What a status change needs. */
type StatusChangeOptions = {
  reference: string;
  change: StatusChange;
  actor: string;
  now: Date;
  satisfactionDays: number;
  queue?: FollowupQueue;
  /** The remedies and root causes a resolution is checked against (needed when the change carries one). */
  routing?: RoutingConfig;
  /** Push channels, so the resolution message goes out at once; the caller kicks the outbox after the commit. */
  deliver?: Deliver;
};

/**
 * Changes a ticket's status as `actor`. Resolving records the resolution, tells the customer (its message, or a plain
 * notice without one) and schedules the satisfaction check `satisfactionDays` later.
 */
export function changeStatus(db: Db, o: StatusChangeOptions): Promise<TicketRow> {
  return db.transaction((tx) => changeStatusIn(tx, o));
}

/** {@link changeStatus} inside the caller's transaction (so a caller can add its own writes to it). */
export async function changeStatusIn(tx: Queryable, o: StatusChangeOptions): Promise<TicketRow> {
  {
    const next = o.change.status;
    if (o.change.resolution && next !== 'resolved')
      throw new RedressError('BAD_REQUEST', `a resolution goes with status "resolved", not "${next}"`);
    if (o.change.resolution && !o.routing)
      throw new RedressError('INTERNAL', 'a resolution cannot be checked without the routing configuration');
    // Resolving writes to the conversation: lock it before the ticket, the order a customer's turn takes.
    const unlocked = next === 'resolved' ? await ticketByReference(tx, o.reference, false) : undefined;
    if (unlocked) await lockForResolution(tx, unlocked);
    const t = await ticketByReference(tx, o.reference, true);
    if (!t) throw new RedressError('NOT_FOUND', `no ticket ${o.reference}`);
    if (!canBecome(t.status, next)) throw new RedressError('CONFLICT', `a ${t.status} ticket cannot become ${next}`);
    await updateTicket(tx, t.id, {
      status: next,
      ...(next === 'resolved' ? { resolved_at: o.now } : next === 'reopened' ? { resolved_at: null } : {}),
    });
    const resolved =
      next === 'resolved'
        ? await recordResolution(
            tx,
            { routing: o.routing!, deliver: o.deliver },
            { ticket: t, resolution: o.change.resolution, actor: o.actor, now: o.now },
          )
        : {};
    await addEvent(tx, t.id, statusEventKind(next), o.actor, { from: t.status, note: o.change.note, ...resolved });
    if (next === 'resolved') {
      await cancelFollowups(tx, t.id, ['sla_reminder', 'sla_breach', 'second_followup']);
      await scheduleFollowup(tx, o.queue, {
        ticketId: t.id,
        conversationId: t.conversation_id,
        kind: 'satisfaction_check',
        audience: 'customer',
        dueAt: new Date(o.now.getTime() + o.satisfactionDays * 86_400_000),
      });
    }
    if (next === 'closed') await cancelFollowups(tx, t.id, followupKindSchema.options);
    // Reopened by staff: answered again within its severity's SLA, counted from now (issue #16).
    if (next === 'reopened' && o.routing)
      await renewSla(tx, o.queue, { ticket: t, routing: o.routing, now: o.now, actor: o.actor });
    return (await ticketByReference(tx, o.reference))!;
  }
}

/** Body of POST /api/tickets/:reference/reassign. */
export const reassignSchema = z
  .object({
    category: z.string().max(100).optional(),
    department: z.string().max(100).optional(),
    note: z.string().max(5000).optional(),
  })
  .refine((b) => b.category || b.department, 'give a category or a department');
/** A reassignment. */
export type Reassign = z.infer<typeof reassignSchema>;

/**
 * Moves a ticket to another category and/or department as `actor`. The event records from and to: every
 * reassignment is a labelled example for retraining the router (npx redress router train --from-tickets).
 */
export function reassign(
  db: Db,
  routing: RoutingConfig,
  o: { reference: string; change: Reassign; actor: string },
): Promise<TicketRow> {
  return db.transaction((tx) => reassignIn(tx, routing, o));
}

/** {@link reassign} inside the caller's transaction. */
export async function reassignIn(
  tx: Queryable,
  routing: RoutingConfig,
  o: { reference: string; change: Reassign; actor: string },
): Promise<TicketRow> {
  const categories = [...routing.categories, routing.default_category];
  const category = o.change.category && categories.find((c) => c.id === o.change.category);
  if (o.change.category && !category)
    throw new RedressError(
      'BAD_REQUEST',
      `unknown category "${o.change.category}"; known: ${categories.map((c) => c.id).join(', ')}`,
    );
  if (o.change.department && !routing.departments.some((d) => d.id === o.change.department)) {
    throw new RedressError(
      'BAD_REQUEST',
      `unknown department "${o.change.department}"; known: ${routing.departments.map((d) => d.id).join(', ')}`,
    );
  }
  {
    const t = await ticketByReference(tx, o.reference, true);
    if (!t) throw new RedressError('NOT_FOUND', `no ticket ${o.reference}`);
    const to = {
      category: category ? category.id : t.category,
      department: o.change.department ?? (category ? category.department : t.department),
    };
    await reassignTicket(tx, t.id, to);
    await addEvent(tx, t.id, 'reassigned', o.actor, {
      from: { category: t.category, department: t.department },
      to,
      note: o.change.note,
    });
    return (await ticketByReference(tx, o.reference))!;
  }
}

/** The ticket as JSON for staff: who, what, where it is routed, follow-ups and audit trail (typed by the schema). */
export async function ticketView(db: Queryable, t: TicketRow): Promise<TicketView> {
  const [customer, followups, events, attachments, resolutions, history, tier, tiers] = await Promise.all([
    customerContact(db, t.customer_id),
    followupsOf(db, t.id),
    ticketEvents(db, t.id),
    attachmentsOfConversation(db, t.conversation_id),
    resolutionsOf(db, t.id),
    customerHistory(db, t.id, 20),
    latestTier(db, t.customer_id),
    tierChanges(db, t.customer_id),
  ]);
  return {
    ...ticketSummary(t),
    customer,
    record: t.record,
    routingReasons: t.routing.reasons ?? [],
    updatedAt: iso(t.updated_at),
    resolvedAt: t.resolved_at ? iso(t.resolved_at) : null,
    satisfaction: t.satisfaction,
    // The survey's answers, one per question answered (a score, yes/no or the comment), oldest first.
    satisfactionAnswers: (await satisfactionAnswersOf(db, t.id)).map((a) => ({
      question: a.question,
      answer: a.score ?? a.yes ?? a.text,
      round: a.round,
      at: iso(a.created_at),
    })),
    // The customer's tier as staff last set it (null: never set, routing.yaml's default_tier applies), and who set it.
    tier: tier ?? null,
    tierChanges: tiers.map((c) => ({
      from: c.from_tier,
      to: c.to_tier,
      by: c.actor,
      via: c.via,
      at: iso(c.created_at),
    })),
    // A complaint staff logged (POST /api/tickets): where it came from and who took it; null for the other channels.
    ...loggedBy(events),
    // Every resolution, oldest first (a ticket reopened and resolved again has several); message: what the customer got.
    resolutions: resolutions.map((r) => ({
      remedy: r.remedy,
      amount: r.amount,
      currency: r.currency,
      cost: r.cost,
      cause: r.cause,
      fault: r.fault,
      message: r.message,
      resolvedBy: r.resolved_by,
      at: iso(r.created_at),
    })),
    // The same customer's tickets opened before this one, newest first (at most 20; historyTotal counts them all).
    history: history.tickets.map((h) => ({
      reference: h.reference,
      createdAt: iso(h.created_at),
      category: h.category,
      status: h.status,
      remedy: h.remedy,
      cause: h.cause,
      satisfaction: h.satisfaction,
    })),
    historyTotal: history.total,
    followups: followups.map((f) => ({
      kind: f.kind,
      audience: f.audience,
      dueAt: iso(f.due_at),
      state: f.state,
      firedAt: f.fired_at ? iso(f.fired_at) : null,
    })),
    events: events.map((e) => ({ kind: e.kind, actor: e.actor, data: e.data, at: iso(e.created_at) })),
    attachments: attachments.map((a) => ({
      id: a.id,
      name: a.name,
      contentType: a.content_type,
      size: Number(a.size),
      stored: !a.refused,
      refused: a.refused,
    })),
    // A phone ticket shows the call: every field with its evidence, and the full transcript.
    ...(t.channel === 'phone'
      ? {
          call: await callOfConversation(db, t.conversation_id),
        }
      : {}),
  };
}

function loggedBy(events: Array<{ kind: string; data: unknown }>): { source: string | null; loggedBy: string | null } {
  const e = events.find((x) => x.kind === 'logged_by_staff')?.data as
    { source?: string; loggedBy?: string } | undefined;
  return { source: e?.source ?? null, loggedBy: e?.loggedBy ?? null };
}

/** A short form for lists. */
export function ticketSummary(t: TicketRow): TicketSummary {
  return {
    reference: t.reference,
    status: t.status,
    department: t.department,
    category: t.category,
    severity: t.severity,
    channel: t.channel,
    language: t.language,
    handoff: t.handoff,
    claimedBy: t.claimed_by,
    restatement: t.restatement,
    slaDueAt: iso(t.sla_due_at),
    createdAt: iso(t.created_at),
  };
}

function iso(d: Date | string): string {
  return new Date(d).toISOString();
}
