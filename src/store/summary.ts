/** Manager figures of a period's tickets (src/staff/summary.ts puts them together): volumes, speed and SLAs. */
import { z } from 'zod';
import type { Queryable } from './db.ts';
import { inPeriod, type ReportPeriod } from './report-period.ts';
import { TICKET_SCORES } from './summary-satisfaction.ts';

/** A count of the period's tickets with one value of a column. */
export const valueCountSchema = z.object({ k: z.string(), n: z.number() });
/** A row of {@link periodCountsBy}. */
export type ValueCount = z.infer<typeof valueCountSchema>;

/** The columns the period's tickets are counted by. */
export type CountColumn = 'channel' | 'department' | 'category' | 'severity';

/** The period's tickets counted by `column`, most first (ties by value). */
export function periodCountsBy(db: Queryable, q: ReportPeriod, column: CountColumn): Promise<ValueCount[]> {
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
export async function periodTotals(
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
export function periodTicketsByDay(db: Queryable, q: ReportPeriod): Promise<DayCount[]> {
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
export async function periodHoursToResolution(db: Queryable, q: ReportPeriod): Promise<Hours> {
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
export async function periodHoursToFirstResponse(db: Queryable, q: ReportPeriod): Promise<Hours> {
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
export function periodSlaByDepartment(db: Queryable, q: ReportPeriod, now: Date): Promise<SlaRow[]> {
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
export async function periodSatisfaction(db: Queryable, q: ReportPeriod): Promise<SatisfactionFigures> {
  const [figures] = await inPeriod<SatisfactionFigures>(
    db,
    q,
    `SELECT count(*)::int AS answered, avg(first_score)::float AS average,
            count(*) FILTER (WHERE first_score <= 2)::int AS low,
            count(*) FILTER (WHERE first_score <= 2 AND last_score >= 4)::int AS recovered
       FROM (${TICKET_SCORES}) s`,
  );
  return figures;
}

/** How many of the period's tickets were ever reopened, and ever resolved. */
export const reopeningsSchema = z.object({ reopened: z.number(), everResolved: z.number() });
/** What {@link periodReopenings} returns. */
export type Reopenings = z.infer<typeof reopeningsSchema>;

/** Tickets of the period ever reopened and ever resolved (by their status events). */
export async function periodReopenings(db: Queryable, q: ReportPeriod): Promise<Reopenings> {
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
export function periodRepeatCustomers(db: Queryable, q: ReportPeriod): Promise<RepeatCustomer[]> {
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
export function periodTopIssues(db: Queryable, q: ReportPeriod): Promise<TopIssue[]> {
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
