/**
 * The tickets behind a dashboard figure (issue #17's drill-down): each figure's condition is the one its SQL in
 * src/store/summary.ts counts with, over the same period, so the list's total is the figure.
 */
import { z } from 'zod';
import type { Queryable } from './db.ts';
import { inPeriod, type ReportPeriod } from './report-period.ts';
import { ticketExportRowSchema } from './tickets-export.ts';

/** The figures a list can be narrowed to (the summary's counts, by name). */
export const ticketFigureSchema = z.enum([
  'open',
  'resolved',
  'withdrawn',
  'handoff',
  'sla_met',
  'sla_breached',
  'sla_pending',
  'answered',
  'low',
  'recovered',
  'reopened',
  'ever_resolved',
  'repeat',
  'responded',
  'resolution_timed',
  'resolvable',
  'first_contact',
]);
/** A figure of the summary. */
export type TicketFigure = z.infer<typeof ticketFigureSchema>;

/** The value of the claimer or tier filter that asks for tickets without one (never an id: ids have no dash). */
export const UNSET = '-';

/** A period's tickets narrowed by value and by figure; `now` is when open tickets' SLAs are judged. */
export interface TicketListFilter extends ReportPeriod {
  category?: string;
  severity?: string;
  channel?: string;
  /** The claimer (tickets.claimed_by), or UNSET for unclaimed tickets. */
  claimed_by?: string;
  /** The customer's tier (customers.tier), or UNSET for customers without one. */
  tier?: string;
  /** A root cause (routing.yaml root_causes) one of the ticket's resolutions found, with who was at fault. */
  cause?: string;
  fault?: string;
  figure?: TicketFigure;
  now: Date;
  /** The statuses counted as open and as resolved (the summary's). */
  waiting: readonly string[];
  resolved: readonly string[];
}

// The first and last satisfaction score of `t`, as periodSatisfaction reads them (first by event id).
const score = (order: 'ASC' | 'DESC') =>
  `(SELECT (e.data->>'score')::int FROM ticket_events e WHERE e.ticket_id = t.id AND e.kind = 'satisfaction' ORDER BY e.id ${order} LIMIT 1)`;
const event = (condition: string) => `EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND ${condition})`;
const OPEN_SLA = `t.resolved_at IS NULL AND t.status NOT IN ('withdrawn')`;

// Each figure's condition; `p` adds a parameter and returns its placeholder.
const FIGURES: Record<TicketFigure, (f: TicketListFilter, p: (v: unknown) => string) => string> = {
  open: (f, p) => `t.status = ANY(${p(f.waiting)}::text[])`,
  resolved: (f, p) => `t.status = ANY(${p(f.resolved)}::text[])`,
  withdrawn: () => `t.status = 'withdrawn'`,
  handoff: () => `t.handoff`,
  sla_met: () => `t.resolved_at IS NOT NULL AND t.resolved_at <= t.sla_due_at`,
  sla_breached: (f, p) =>
    `((t.resolved_at IS NOT NULL AND t.resolved_at > t.sla_due_at) OR (${OPEN_SLA} AND t.sla_due_at < ${p(f.now)}))`,
  sla_pending: (f, p) => `${OPEN_SLA} AND t.sla_due_at >= ${p(f.now)}`,
  answered: () => event(`e.kind = 'satisfaction'`),
  low: () => `${score('ASC')} <= 2`,
  recovered: () => `${score('ASC')} <= 2 AND ${score('DESC')} >= 4`,
  reopened: () => event(`e.kind = 'status_reopened'`),
  ever_resolved: () => event(`e.kind = 'status_resolved'`),
  // periodRepeatCustomers: the 20 customers with the most tickets, of those with more than one.
  repeat: () =>
    `t.customer_id IN (SELECT customer_id FROM t GROUP BY 1 HAVING count(*) > 1 ORDER BY count(*) DESC, 1 LIMIT 20)`,
  responded: () => event(`(e.actor LIKE 'slack:%' OR e.actor = 'staff-api')`),
  resolution_timed: () => `t.resolved_at IS NOT NULL`,
  // The outcomes' counts: the resolution rate's whole, and first-contact resolution (resolved, never reopened, at most
  // one staff reply).
  resolvable: () => `t.status <> 'withdrawn'`,
  first_contact: (f, p) =>
    `t.status = ANY(${p(f.resolved)}::text[]) AND NOT ${event(`e.kind = 'status_reopened'`)}
     AND (SELECT count(*) FROM ticket_events e WHERE e.ticket_id = t.id AND e.kind = 'staff_reply') <= 1`,
};

/** The WHERE clause of a filter and its parameters (numbered from $5, after the period's). */
function where(f: TicketListFilter): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${4 + params.length}`;
  };
  const conditions = ['true'];
  for (const column of ['category', 'severity', 'channel'] as const) {
    const value = f[column];
    if (value !== undefined) conditions.push(`t.${column} = ${p(value)}::text`);
  }
  // The claimer and the tier as the indicators group them (src/store/summary-satisfaction.ts, summary-people.ts).
  if (f.claimed_by !== undefined)
    conditions.push(f.claimed_by === UNSET ? 't.claimed_by IS NULL' : `t.claimed_by = ${p(f.claimed_by)}::text`);
  if (f.tier !== undefined)
    conditions.push(
      `(SELECT c.tier FROM customers c WHERE c.id = t.customer_id) ${f.tier === UNSET ? 'IS NULL' : `= ${p(f.tier)}::text`}`,
    );
  // A top cause counts each ticket once per (cause, fault), whatever its number of resolutions.
  if (f.cause !== undefined)
    conditions.push(
      `EXISTS (SELECT 1 FROM resolutions r WHERE r.ticket_id = t.id AND r.cause = ${p(f.cause)}::text${
        f.fault === undefined ? '' : ` AND r.fault = ${p(f.fault)}::text`
      })`,
    );
  if (f.figure) conditions.push(`(${FIGURES[f.figure](f, p)})`);
  return { sql: conditions.join(' AND '), params };
}

/** A ticket of a drill-down list: the export's columns without the customer's contact points. */
export const ticketListRowSchema = ticketExportRowSchema.pick({
  reference: true,
  created_at: true,
  status: true,
  department: true,
  category: true,
  severity: true,
  channel: true,
  language: true,
  handoff: true,
  restatement: true,
  sla_due_at: true,
  resolved_at: true,
  satisfaction: true,
  claimed_by: true,
});
/** A row of {@link ticketList}. */
export type TicketListRow = z.infer<typeof ticketListRowSchema>;

/** How many tickets match `f`. */
export async function ticketListCount(db: Queryable, f: TicketListFilter): Promise<number> {
  const w = where(f);
  const [row] = await inPeriod<{ n: number }>(db, f, `SELECT count(*)::int AS n FROM t WHERE ${w.sql}`, w.params);
  return row.n;
}

/** The tickets matching `f`, newest first, `limit` from `offset`. */
export function ticketList(
  db: Queryable,
  f: TicketListFilter,
  offset: number,
  limit: number,
): Promise<TicketListRow[]> {
  const w = where(f);
  const n = 4 + w.params.length;
  return inPeriod<TicketListRow>(
    db,
    f,
    `SELECT t.reference, t.created_at, t.status, t.department, t.category, t.severity, t.channel, t.language, t.handoff,
            t.restatement, t.sla_due_at, t.resolved_at, t.satisfaction, t.claimed_by
       FROM t WHERE ${w.sql} ORDER BY t.created_at DESC, t.id DESC LIMIT $${n + 1} OFFSET $${n + 2}`,
    [...w.params, limit, offset],
  );
}
