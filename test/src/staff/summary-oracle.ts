/**
 * The summary as it was computed before the roll-up (issue #17 item 6): every figure straight from the period's
 * tickets and events. test/src/staff/summary-rollup.test.ts holds the roll-up to it, figure for figure.
 */
import { z } from 'zod';
import type { Queryable } from '../../../src/store/db.ts';
import { inPeriod, type ReportPeriod } from '../../../src/store/report-period.ts';
import { finishedStatusSchema, waitingStatusSchema } from '../../../src/domain/ticket-status.ts';
import type { SummaryQuery } from '../../../src/staff/summary.ts';
import { previousPeriod } from '../../../src/staff/previous-period.ts';
import { satisfactionCells } from '../../../src/staff/summary-indicators.ts';

/** A count of the period's tickets with one value of a column. */
export const valueCountSchema = z.object({ k: z.string(), n: z.number() });
/** A row of {@link periodCountsBy}. */
export type ValueCount = z.infer<typeof valueCountSchema>;

/** The columns the period's tickets are counted by. */
export type CountColumn = 'channel' | 'department' | 'category' | 'severity';

/** The period's tickets counted by `column`, most first (ties by value). */
function periodCountsBy(db: Queryable, q: ReportPeriod, column: CountColumn): Promise<ValueCount[]> {
  return inPeriod<ValueCount>(db, q, `SELECT ${column} AS k, count(*)::int AS n FROM t GROUP BY 1 ORDER BY 2 DESC, 1`);
}

/** How many of the period's tickets there are, and how many wait, are resolved, withdrawn, handed to a person. */
export const periodTotalsSchema = z.object({
  n: z.number(),
  open: z.number(),
  resolved: z.number(),
  withdrawn: z.number(),
  handoff: z.number(),
});
/** What {@link periodTotals} returns. */
export type PeriodTotals = z.infer<typeof periodTotalsSchema>;

/** Totals of the period's tickets; `waiting` and `resolved` are the statuses counted as open and as resolved. */
async function periodTotals(
  db: Queryable,
  q: ReportPeriod,
  waiting: readonly string[],
  resolved: readonly string[],
): Promise<PeriodTotals> {
  const [total] = await inPeriod<PeriodTotals>(
    db,
    q,
    `SELECT count(*)::int AS n,
            count(*) FILTER (WHERE status = ANY($5::text[]))::int AS open,
            count(*) FILTER (WHERE status = ANY($6::text[]))::int AS resolved,
            count(*) FILTER (WHERE status = 'withdrawn')::int AS withdrawn,
            count(*) FILTER (WHERE handoff)::int AS handoff FROM t`,
    [waiting, resolved],
  );
  return total;
}

/** Tickets received on one day of the period. */
export const dayCountSchema = z.object({ day: z.string(), n: z.number() });
/** A row of {@link periodTicketsByDay}. */
export type DayCount = z.infer<typeof dayCountSchema>;

/** Tickets received per day of the period (YYYY-MM-DD in its zone), every day listed, 0 when nothing came in. */
function periodTicketsByDay(db: Queryable, q: ReportPeriod): Promise<DayCount[]> {
  return inPeriod<DayCount>(
    db,
    q,
    `SELECT to_char(d, 'YYYY-MM-DD') AS day, count(t.id)::int AS n
       FROM p, generate_series(date_trunc('day', p.t0 AT TIME ZONE $4), (p.t1 AT TIME ZONE $4) - interval '1 microsecond', interval '1 day') AS d
       LEFT JOIN t ON date_trunc('day', t.created_at AT TIME ZONE $4) = d
      GROUP BY d ORDER BY d`,
  );
}

/** The median and 90th percentile of a duration in hours (null without tickets), over `n` tickets. */
export const hoursSchema = z.object({ median: z.number().nullable(), p90: z.number().nullable(), n: z.number() });
/** What {@link periodHoursToResolution} and {@link periodHoursToFirstResponse} return. */
export type Hours = z.infer<typeof hoursSchema>;

/** Hours from creation to resolution of the period's resolved tickets. */
async function periodHoursToResolution(db: Queryable, q: ReportPeriod): Promise<Hours> {
  const [hours] = await inPeriod<Hours>(
    db,
    q,
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY h) AS median, percentile_cont(0.9) WITHIN GROUP (ORDER BY h) AS p90, count(*)::int AS n
         FROM (SELECT extract(epoch FROM (t.resolved_at - t.created_at)) / 3600 AS h FROM t WHERE t.resolved_at IS NOT NULL) x`,
  );
  return hours;
}

/**
 * Hours from creation to the first staff response of the period's tickets: the first event by a person on staff
 * (Slack user or staff API), one join for all tickets.
 */
async function periodHoursToFirstResponse(db: Queryable, q: ReportPeriod): Promise<Hours> {
  const [hours] = await inPeriod<Hours>(
    db,
    q,
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY h) AS median, percentile_cont(0.9) WITHIN GROUP (ORDER BY h) AS p90, count(*)::int AS n
       FROM (SELECT extract(epoch FROM (min(e.created_at) - t.created_at)) / 3600 AS h
               FROM t JOIN ticket_events e ON e.ticket_id = t.id AND (e.actor LIKE 'slack:%' OR e.actor = 'staff-api')
              GROUP BY t.id, t.created_at) x`,
  );
  return hours;
}

/** One department's tickets of the period by SLA: met, breached, and still within it. */
export const slaRowSchema = z.object({
  department: z.string(),
  met: z.number(),
  breached: z.number(),
  pending: z.number(),
});
/** A row of {@link periodSlaByDepartment}. */
export type SlaRow = z.infer<typeof slaRowSchema>;

/** SLA figures of the period's tickets per department; open tickets count against `now`. */
function periodSlaByDepartment(db: Queryable, q: ReportPeriod, now: Date): Promise<SlaRow[]> {
  return inPeriod<SlaRow>(
    db,
    q,
    `SELECT department,
            count(*) FILTER (WHERE resolved_at IS NOT NULL AND resolved_at <= sla_due_at)::int AS met,
            count(*) FILTER (WHERE (resolved_at IS NOT NULL AND resolved_at > sla_due_at) OR (resolved_at IS NULL AND status NOT IN ('withdrawn') AND sla_due_at < $5))::int AS breached,
            count(*) FILTER (WHERE resolved_at IS NULL AND status NOT IN ('withdrawn') AND sla_due_at >= $5)::int AS pending
       FROM t GROUP BY department ORDER BY department`,
    [now],
  );
}

/** Satisfaction answers of the period's tickets (first and last score of each), and low first scores later raised. */
export const satisfactionFiguresSchema = z.object({
  answered: z.number(),
  average: z.number().nullable(),
  low: z.number(),
  recovered: z.number(),
});
/** What {@link periodSatisfaction} returns. */
export type SatisfactionFigures = z.infer<typeof satisfactionFiguresSchema>;

/** Satisfaction of the period's tickets: answers, average first score, low first scores (≤ 2) later ≥ 4. */
async function periodSatisfaction(db: Queryable, q: ReportPeriod): Promise<SatisfactionFigures> {
  const [figures] = await inPeriod<SatisfactionFigures>(
    db,
    q,
    `SELECT count(*)::int AS answered, avg(first_score)::float AS average,
            count(*) FILTER (WHERE first_score <= 2)::int AS low,
            count(*) FILTER (WHERE first_score <= 2 AND last_score >= 4)::int AS recovered
       FROM (SELECT (array_agg((e.data->>'score')::int ORDER BY e.id))[1] AS first_score,
                    (array_agg((e.data->>'score')::int ORDER BY e.id DESC))[1] AS last_score
               FROM t JOIN ticket_events e ON e.ticket_id = t.id AND e.kind = 'satisfaction' GROUP BY t.id) s`,
  );
  return figures;
}

/** How many of the period's tickets were ever reopened, and ever resolved. */
export const reopeningsSchema = z.object({ reopened: z.number(), everResolved: z.number() });
/** What {@link periodReopenings} returns. */
export type Reopenings = z.infer<typeof reopeningsSchema>;

/** Tickets of the period ever reopened and ever resolved (by their status events). */
async function periodReopenings(db: Queryable, q: ReportPeriod): Promise<Reopenings> {
  const [reopen] = await inPeriod<Reopenings>(
    db,
    q,
    `SELECT count(DISTINCT e.ticket_id) FILTER (WHERE e.kind = 'status_reopened')::int AS reopened,
            count(DISTINCT e.ticket_id) FILTER (WHERE e.kind = 'status_resolved')::int AS "everResolved"
       FROM t JOIN ticket_events e ON e.ticket_id = t.id AND e.kind IN ('status_reopened', 'status_resolved')`,
  );
  return reopen;
}

/** A customer with more than one ticket in the period. */
export const repeatCustomerSchema = z.object({ customer_id: z.number(), n: z.number() });
/** A row of {@link periodRepeatCustomers}. */
export type RepeatCustomer = z.infer<typeof repeatCustomerSchema>;

/** The 20 customers with the most tickets in the period, of those with more than one. */
function periodRepeatCustomers(db: Queryable, q: ReportPeriod): Promise<RepeatCustomer[]> {
  return inPeriod<RepeatCustomer>(
    db,
    q,
    `SELECT customer_id, count(*)::int AS n FROM t GROUP BY 1 HAVING count(*) > 1 ORDER BY 2 DESC, 1 LIMIT 20`,
  );
}

/** A category of the period, its ticket count and the customer's words of its three latest tickets. */
export const topIssueSchema = z.object({
  category: z.string(),
  n: z.number(),
  quotes: z.array(z.object({ text: z.string(), language: z.string(), reference: z.string() })),
});
/** A row of {@link periodTopIssues}. */
export type TopIssue = z.infer<typeof topIssueSchema>;

/** The five categories with the most tickets in the period, each with three quotes (200 characters at most). */
function periodTopIssues(db: Queryable, q: ReportPeriod): Promise<TopIssue[]> {
  return inPeriod<TopIssue>(
    db,
    q,
    `SELECT category, count(*)::int AS n,
            (SELECT coalesce(json_agg(q), '[]') FROM (
               SELECT left(coalesce(x.record->'customerWords'->>0, x.restatement), 200) AS text, x.language, x.reference
                 FROM t x WHERE x.category = t.category ORDER BY x.created_at DESC LIMIT 3) q) AS quotes
       FROM t GROUP BY category ORDER BY 2 DESC, 1 LIMIT 5`,
  );
}

/** How many of the period's tickets could be resolved (all but withdrawn), were, and were at the first contact. */
export const outcomeCountsSchema = z.object({ resolvable: z.number(), resolved: z.number(), firstContact: z.number() });
/** What {@link periodOutcomes} returns. */
export type OutcomeCounts = z.infer<typeof outcomeCountsSchema>;

/**
 * Counts for the resolution rate and first-contact resolution: a ticket resolved (a status in `resolved`) that was
 * never reopened and had at most one staff reply was resolved at the first contact.
 */
async function periodOutcomes(db: Queryable, q: ReportPeriod, resolved: readonly string[]): Promise<OutcomeCounts> {
  const [r] = await inPeriod<OutcomeCounts>(
    db,
    q,
    `, e AS (SELECT e.ticket_id, count(*) FILTER (WHERE e.kind = 'status_reopened') AS reopened,
                    count(*) FILTER (WHERE e.kind = 'staff_reply') AS replies
               FROM ticket_events e JOIN t ON t.id = e.ticket_id
              WHERE e.kind IN ('status_reopened', 'staff_reply') GROUP BY e.ticket_id)
     SELECT count(*) FILTER (WHERE t.status <> 'withdrawn')::int AS resolvable,
            count(*) FILTER (WHERE t.status = ANY($5::text[]))::int AS resolved,
            count(*) FILTER (WHERE t.status = ANY($5::text[]) AND coalesce(e.reopened, 0) = 0
                                AND coalesce(e.replies, 0) <= 1)::int AS "firstContact"
       FROM t LEFT JOIN e ON e.ticket_id = t.id`,
    [resolved],
  );
  return r;
}

/** Remedies given to the period's tickets: how many of each, and their cost to the company per currency. */
export const remedyRowSchema = z.object({
  remedy: z.string(),
  currency: z.string().nullable(),
  n: z.number(),
  cost: z.number().nullable(),
});
/** A row of {@link periodRemedies}. */
export type RemedyRow = z.infer<typeof remedyRowSchema>;

/** Every resolution of the period's tickets counted by remedy and currency (a ticket resolved twice counts twice). */
function periodRemedies(db: Queryable, q: ReportPeriod): Promise<RemedyRow[]> {
  return inPeriod<RemedyRow>(
    db,
    q,
    `SELECT r.remedy, r.currency, count(*)::int AS n, sum(r.cost)::float8 AS cost
       FROM t JOIN resolutions r ON r.ticket_id = t.id GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2`,
  );
}

/** A root cause of the period's tickets, who was at fault, and on how many tickets. */
export const causeRowSchema = z.object({ cause: z.string(), fault: z.string(), n: z.number() });
/** A row of {@link periodTopCauses}. */
export type CauseRow = z.infer<typeof causeRowSchema>;

/** The ten root causes found on most of the period's tickets (each ticket once per cause). */
function periodTopCauses(db: Queryable, q: ReportPeriod): Promise<CauseRow[]> {
  return inPeriod<CauseRow>(
    db,
    q,
    `SELECT r.cause, r.fault, count(DISTINCT r.ticket_id)::int AS n
       FROM t JOIN resolutions r ON r.ticket_id = t.id GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 10`,
  );
}

/** Recovery tasks of the period's tickets per department: opened, the personal contact recorded, recovered. */
export const recoveryRowSchema = z.object({
  department: z.string(),
  tasks: z.number(),
  contacted: z.number(),
  recovered: z.number(),
});
/** A row of {@link periodRecovery}. */
export type RecoveryRow = z.infer<typeof recoveryRowSchema>;

/** The recovery tasks (low scores) of the period's tickets, counted per department. */
function periodRecovery(db: Queryable, q: ReportPeriod): Promise<RecoveryRow[]> {
  return inPeriod<RecoveryRow>(
    db,
    q,
    `SELECT t.department, count(*)::int AS tasks, count(rt.outcome)::int AS contacted,
            count(*) FILTER (WHERE rt.outcome = 'recovered')::int AS recovered
       FROM t JOIN recovery_tasks rt ON rt.ticket_id = t.id GROUP BY 1 ORDER BY 1`,
  );
}

// Finished tickets other than withdrawn ones: resolved or closed.
const RESOLVED = finishedStatusSchema.exclude(['withdrawn']).options;

const round = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);

/** Every figure of the summary for `q` at `now` (SLA breaches of open tickets count against `now`). */
export async function rawSummary(db: Queryable, q: SummaryQuery, now: Date) {
  const counts = async (column: CountColumn) =>
    Object.fromEntries((await periodCountsBy(db, q, column)).map((r) => [r.k, r.n]));
  const total = await periodTotals(db, q, waitingStatusSchema.options, RESOLVED);
  const byDay = await periodTicketsByDay(db, q);
  const resolution = await periodHoursToResolution(db, q);
  const firstResponse = await periodHoursToFirstResponse(db, q);
  const sla = await periodSlaByDepartment(db, q, now);
  // Events of the period's tickets, read once: satisfaction answers (first and last) and reopenings.
  const satisfaction = await periodSatisfaction(db, q);
  const reopen = await periodReopenings(db, q);
  const repeat = await periodRepeatCustomers(db, q);
  const top = await periodTopIssues(db, q);
  const outcomes = await outcomeFigures(db, q);
  return {
    period: { from: q.from, to: q.to, tz: q.tz, department: q.department ?? null },
    received: {
      total: total.n,
      byChannel: await counts('channel'),
      byDay: byDay.map((d) => ({ day: d.day, count: d.n })),
      byDepartment: await counts('department'),
      byCategory: await counts('category'),
      bySeverity: await counts('severity'),
    },
    status: { open: total.open, resolved: total.resolved, withdrawn: total.withdrawn, handedOff: total.handoff },
    hoursToFirstResponse: {
      median: round(firstResponse.median),
      p90: round(firstResponse.p90),
      tickets: firstResponse.n,
    },
    hoursToResolution: { median: round(resolution.median), p90: round(resolution.p90), tickets: resolution.n },
    sla: sla.map((r) => ({ department: r.department, met: r.met, breached: r.breached, pending: r.pending })),
    satisfaction: {
      answered: satisfaction.answered,
      average: round(satisfaction.average),
      low: satisfaction.low,
      recoveredAfterSecondFollowup: satisfaction.recovered,
    },
    reopenRate: reopen.everResolved ? round(reopen.reopened / reopen.everResolved) : null,
    // The rate's two counts, so each can open the list of its tickets.
    reopened: { tickets: reopen.reopened, everResolved: reopen.everResolved },
    repeatComplainers: { customers: repeat.length, tickets: repeat.reduce((a, r) => a + r.n, 0) },
    topIssues: top.map((r) => ({ category: r.category, count: r.n, quotes: r.quotes })),
    outcomes,
    indicators: await indicatorFigures(db, q, now),
  };
}

/**
 * What became of the period's complaints (issue #17): the resolution rate (resolved of all not withdrawn), first-contact
 * resolution (resolved, never reopened, at most one staff reply, of those resolved), remedies with their cost, the top
 * root causes, and recovery of low scores per department.
 */
async function outcomeFigures(db: Queryable, q: SummaryQuery) {
  const c = await periodOutcomes(db, q, RESOLVED);
  const rate = (part: number, whole: number) => (whole ? round(part / whole) : null);
  return {
    resolutionRate: rate(c.resolved, c.resolvable),
    firstContactResolution: rate(c.firstContact, c.resolved),
    counts: c,
    remedies: (await periodRemedies(db, q)).map((r) => ({
      remedy: r.remedy,
      currency: r.currency,
      count: r.n,
      cost: r.cost === null ? null : round(r.cost),
    })),
    topCauses: (await periodTopCauses(db, q)).map((r) => ({ cause: r.cause, fault: r.fault, count: r.n })),
    recovery: (await periodRecovery(db, q)).map((r) => ({ ...r, rate: rate(r.recovered, r.tasks) })),
  };
}

// The indicators (issue #17 item 3) as first computed, straight from the tickets.

/**
 * The first and last satisfaction score of each answered ticket of `t` (first by event id): the one definition every
 * satisfaction figure reads (periodSatisfaction, the figures by dimension; the drill-down's `answered` and `low`).
 */
const TICKET_SCORES = `SELECT t.id AS ticket_id,
            (array_agg((e.data->>'score')::int ORDER BY e.id))[1] AS first_score,
            (array_agg((e.data->>'score')::int ORDER BY e.id DESC))[1] AS last_score
       FROM t JOIN ticket_events e ON e.ticket_id = t.id AND e.kind = 'satisfaction' GROUP BY t.id`;

/** The dimensions satisfaction is read by: staff is the ticket's claimer, tier its customer's (customers.tier). */
const satisfactionDimensionSchema = z.enum(['category', 'channel', 'severity', 'department', 'staff', 'tier']);
/** A dimension of {@link periodSatisfactionBy}. */
type SatisfactionDimension = z.infer<typeof satisfactionDimensionSchema>;

/** One value of a dimension (null: no claimer, no tier set): answered tickets and their average first score. */
const satisfactionByRowSchema = z.object({
  dim: satisfactionDimensionSchema,
  k: z.string().nullable(),
  answered: z.number(),
  average: z.number().nullable(),
});
/** A row of {@link periodSatisfactionBy}. */
type SatisfactionByRow = z.infer<typeof satisfactionByRowSchema>;

/** The period's answered tickets and average first score per value of every dimension, in one pass. */
function periodSatisfactionBy(db: Queryable, q: ReportPeriod): Promise<SatisfactionByRow[]> {
  return inPeriod<SatisfactionByRow>(
    db,
    q,
    `SELECT d.dim, d.k, count(*)::int AS answered, avg(s.first_score)::float8 AS average
       FROM (${TICKET_SCORES}) s JOIN t ON t.id = s.ticket_id LEFT JOIN customers c ON c.id = t.customer_id
      CROSS JOIN LATERAL (VALUES ('category', t.category), ('channel', t.channel), ('severity', t.severity),
                                 ('department', t.department), ('staff', t.claimed_by), ('tier', c.tier)) AS d(dim, k)
      GROUP BY 1, 2 ORDER BY 1, 3 DESC, 2 NULLS LAST`,
  );
}

/** One claimer's (null: unclaimed) tickets of the period by SLA, counted as periodSlaByDepartment counts them. */
const staffSlaRowSchema = z.object({
  staff: z.string().nullable(),
  met: z.number(),
  breached: z.number(),
  pending: z.number(),
});
/** A row of {@link periodSlaByStaff}. */
type StaffSlaRow = z.infer<typeof staffSlaRowSchema>;

/** SLA figures of the period's tickets per claimer (tickets.claimed_by), unclaimed last; open ones against `now`. */
function periodSlaByStaff(db: Queryable, q: ReportPeriod, now: Date): Promise<StaffSlaRow[]> {
  return inPeriod<StaffSlaRow>(
    db,
    q,
    `SELECT claimed_by AS staff,
            count(*) FILTER (WHERE resolved_at IS NOT NULL AND resolved_at <= sla_due_at)::int AS met,
            count(*) FILTER (WHERE (resolved_at IS NOT NULL AND resolved_at > sla_due_at) OR (resolved_at IS NULL AND status NOT IN ('withdrawn') AND sla_due_at < $5))::int AS breached,
            count(*) FILTER (WHERE resolved_at IS NULL AND status NOT IN ('withdrawn') AND sla_due_at >= $5)::int AS pending
       FROM t GROUP BY claimed_by ORDER BY claimed_by NULLS LAST`,
    [now],
  );
}

/** One owner's (null: none) recovery tasks of the period's tickets: how many, and how many recovered the customer. */
const ownerRecoveryRowSchema = z.object({
  owner: z.string().nullable(),
  tasks: z.number(),
  recovered: z.number(),
});
/** A row of {@link periodRecoveryByOwner}. */
type OwnerRecoveryRow = z.infer<typeof ownerRecoveryRowSchema>;

/** The recovery tasks (every round) of the period's tickets per owner, with those recorded as recovered. */
function periodRecoveryByOwner(db: Queryable, q: ReportPeriod): Promise<OwnerRecoveryRow[]> {
  return inPeriod<OwnerRecoveryRow>(
    db,
    q,
    `SELECT rt.owner, count(*)::int AS tasks, count(*) FILTER (WHERE rt.outcome = 'recovered')::int AS recovered
       FROM t JOIN recovery_tasks rt ON rt.ticket_id = t.id GROUP BY 1 ORDER BY 1 NULLS LAST`,
  );
}

/** One department's complaints of the period and its imported volumes over the period's days (null: none imported). */
const departmentVolumeRowSchema = z.object({
  department: z.string(),
  complaints: z.number(),
  orders: z.number().nullable(),
  customers: z.number().nullable(),
});
/** A row of {@link periodComplaintVolumes}. */
type DepartmentVolumeRow = z.infer<typeof departmentVolumeRowSchema>;

/**
 * Per department with complaints or volumes in the period: its tickets and the sum of its orders and of its customers
 * over the calendar days (in the period's zone) that start inside the period.
 */
function periodComplaintVolumes(db: Queryable, q: ReportPeriod): Promise<DepartmentVolumeRow[]> {
  return inPeriod<DepartmentVolumeRow>(
    db,
    q,
    `, v AS (SELECT v.department, sum(v.count) FILTER (WHERE v.kind = 'orders')::float8 AS orders,
                    sum(v.count) FILTER (WHERE v.kind = 'customers')::float8 AS customers
               FROM volumes v, p
              WHERE (v.day::timestamp AT TIME ZONE $4) >= p.t0 AND (v.day::timestamp AT TIME ZONE $4) < p.t1
                AND ($3::text[] IS NULL OR v.department = ANY($3::text[]))
              GROUP BY 1),
        c AS (SELECT department, count(*)::int AS n FROM t GROUP BY 1)
     SELECT department, coalesce(c.n, 0) AS complaints, v.orders, v.customers
       FROM c FULL JOIN v USING (department) ORDER BY department`,
  );
}

const perThousand = (n: number, volume: number | null) => (volume ? round((n * 1000) / volume) : null);

/** Complaints per 1,000 orders and customers, overall and per department; null where no volume was imported. */
async function complaintRate(db: Queryable, q: ReportPeriod) {
  const rows = (await periodComplaintVolumes(db, q)).map((r) => ({
    ...r,
    perThousandOrders: perThousand(r.complaints, r.orders),
    perThousandCustomers: perThousand(r.complaints, r.customers),
  }));
  // Sums of the volumes imported, null when none was: the overall rate is every complaint against all of them.
  const sum = (k: 'orders' | 'customers') =>
    rows.some((r) => r[k] !== null) ? rows.reduce((a, r) => a + (r[k] ?? 0), 0) : null;
  const complaints = rows.reduce((a, r) => a + r.complaints, 0);
  const orders = sum('orders');
  const customers = sum('customers');
  return {
    overall: {
      complaints,
      orders,
      customers,
      perThousandOrders: perThousand(complaints, orders),
      perThousandCustomers: perThousand(complaints, customers),
    },
    byDepartment: rows,
  };
}

/** One value of a dimension now and in the previous period; `change` is the average's, null without both. */
type SatisfactionCell = {
  id: string | null;
  answered: number;
  average: number | null;
  previousAnswered: number;
  previousAverage: number | null;
  change: number | null;
};

/** Satisfaction (the first score, as periodSatisfaction reads it) by every dimension, now and before. */
async function satisfactionBy(db: Queryable, q: ReportPeriod) {
  const before = previousPeriod(q);
  // The rows from the tickets; putting them side by side is the product's own (plain JavaScript, not under test here).
  const cells = satisfactionCells(await periodSatisfactionBy(db, q), await periodSatisfactionBy(db, before));
  return { previousPeriod: { from: before.from, to: before.to }, ...cells };
}

/** SLA per claimer and recovery per task owner; null is unclaimed, or a task without an owner. */
async function people(db: Queryable, q: ReportPeriod, now: Date) {
  return {
    sla: await periodSlaByStaff(db, q, now),
    recovery: (await periodRecoveryByOwner(db, q)).map((r) => ({
      ...r,
      rate: r.tasks ? round(r.recovered / r.tasks) : null,
    })),
  };
}

/** The indicators of the period `q` at `now` (SLA breaches of open tickets count against `now`). */
async function indicatorFigures(db: Queryable, q: ReportPeriod, now: Date) {
  return {
    complaintRate: await complaintRate(db, q),
    satisfactionBy: await satisfactionBy(db, q),
    people: await people(db, q, now),
  };
}
