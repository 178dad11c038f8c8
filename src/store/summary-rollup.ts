/**
 * The period reads of the manager summary, from the roll-up (migrations/0027_summary_rollup.sql): whole UTC months and
 * days from summary_rollup, the rest of the period from ticket_facts through the same summary_contributions, so a
 * figure costs the months and days of its period rather than its tickets, and is exact for any bounds and zone.
 */
import { z } from 'zod';
import type { Queryable } from './db.ts';
import { inPeriod, periodDepartments, type ReportPeriod } from './report-period.ts';

const METRICS = [
  'n',
  'waiting',
  'resolved',
  'withdrawn',
  'handoff',
  'unresolved',
  'sla_met',
  'sla_late',
  'ever_resolved',
  'reopened',
  'first_contact',
  'sat_n',
  'sat_sum',
  'sat_low',
  'sat_recovered',
  'rec_tasks',
  'rec_contacted',
  'rec_recovered',
  'costed',
] as const;

/** The period's sums under one value of one dimension in one department (cost in the remedy's currency). */
export const rollupRowSchema = z.object({
  dim: z.string(),
  value: z.string(),
  department: z.string(),
  n: z.number(),
  waiting: z.number(),
  resolved: z.number(),
  withdrawn: z.number(),
  handoff: z.number(),
  unresolved: z.number(),
  sla_met: z.number(),
  sla_late: z.number(),
  ever_resolved: z.number(),
  reopened: z.number(),
  first_contact: z.number(),
  sat_n: z.number(),
  sat_sum: z.number(),
  sat_low: z.number(),
  sat_recovered: z.number(),
  rec_tasks: z.number(),
  rec_contacted: z.number(),
  rec_recovered: z.number(),
  costed: z.number(),
  cost: z.number(),
});
/** A row of {@link periodRollup}. */
export type RollupRow = z.infer<typeof rollupRowSchema>;

// Bounds of a period in whole UTC months [m0, m1), whole UTC days [d0, d1), and what is left: days [d0, de) and
// [ds, d1) beside the months, hours [t0, e0) and [s1, t1) beside the days. When no whole unit fits (m0 >= m1), the
// first edge is the whole range and the second is empty, so nothing is read twice.
const BOUNDS = `, u0 AS (
    SELECT p.t0, p.t1,
           CASE WHEN date_trunc('day', p.t0 AT TIME ZONE 'UTC') = p.t0 AT TIME ZONE 'UTC' THEN p.t0
                ELSE (date_trunc('day', p.t0 AT TIME ZONE 'UTC') + interval '1 day') AT TIME ZONE 'UTC' END AS d0,
           date_trunc('day', p.t1 AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS d1 FROM p),
  u1 AS (
    SELECT u0.*, CASE WHEN date_trunc('month', d0 AT TIME ZONE 'UTC') = d0 AT TIME ZONE 'UTC' THEN d0
                      ELSE (date_trunc('month', d0 AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC' END AS m0,
                 date_trunc('month', d1 AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS m1 FROM u0),
  u AS (
    SELECT u1.*, least(d0, t1) AS e0, greatest(d1, least(d0, t1)) AS s1,
           least(m0, d1) AS de, greatest(m1, least(m0, d1)) AS ds FROM u1)`;

const SUMS = `${METRICS.map((m) => `sum(${m})::int AS ${m}`).join(', ')}, sum(cost)::float8 AS cost`;
const columnsOf = (alias: string) => [...METRICS, 'cost'].map((m) => `${alias}.${m}`).join(', ');

// The bounds as PostgreSQL's text (a JavaScript Date would drop microseconds), read first so the main query is planned
// with them: with bounds known only at run time the planner scans every fact of a department to find a few hours.
const BOUND_NAMES = ['t0', 't1', 'd0', 'd1', 'm0', 'm1', 'e0', 's1', 'de', 'ds'] as const;
type Bounds = Record<(typeof BOUND_NAMES)[number], string>;
const b = (name: (typeof BOUND_NAMES)[number]) => `$${BOUND_NAMES.indexOf(name) + 2}::timestamptz`;

/** The period's sums per dimension, value and department (dimensions: summary_contributions in the migration). */
export async function periodRollup(db: Queryable, q: ReportPeriod): Promise<RollupRow[]> {
  const [bounds] = await inPeriod<Bounds>(
    db,
    q,
    `${BOUNDS} SELECT ${BOUND_NAMES.map((n) => `${n}::text`).join(', ')} FROM u`,
  );
  const { rows } = await db.query<RollupRow>(
    `WITH r AS (
       SELECT s.dim, s.value, s.department, ${columnsOf('s')} FROM summary_rollup s
        WHERE s.grain = 'm' AND s.bucket >= ${b('m0')} AND s.bucket < ${b('m1')}
          AND ($1::text[] IS NULL OR s.department = ANY($1::text[]))
       UNION ALL
       SELECT s.dim, s.value, s.department, ${columnsOf('s')} FROM summary_rollup s
        WHERE s.grain = 'd' AND ((s.bucket >= ${b('d0')} AND s.bucket < ${b('de')}) OR (s.bucket >= ${b('ds')} AND s.bucket < ${b('d1')}))
          AND ($1::text[] IS NULL OR s.department = ANY($1::text[]))
       UNION ALL
       SELECT c.dim, c.value, f.department, ${columnsOf('c')} FROM ticket_facts f, LATERAL summary_contributions(f, 1) c
        WHERE ((f.created_at >= ${b('t0')} AND f.created_at < ${b('e0')}) OR (f.created_at >= ${b('s1')} AND f.created_at < ${b('t1')}))
          AND c.grain = 'd' AND ($1::text[] IS NULL OR f.department = ANY($1::text[])))
     SELECT dim, value, department, ${SUMS} FROM r GROUP BY 1, 2, 3 HAVING sum(n) <> 0 OR sum(rec_tasks) <> 0`,
    [periodDepartments(q), ...BOUND_NAMES.map((n) => bounds[n])],
  );
  return rows;
}

/** Tickets received on one day of the period in one department (department null on a day without any). */
export const dayDepartmentCountSchema = z.object({ day: z.string(), department: z.string().nullable(), n: z.number() });
/** A row of {@link periodDayCounts}. */
export type DayDepartmentCount = z.infer<typeof dayDepartmentCountSchema>;

/**
 * Tickets per day of the period (YYYY-MM-DD in its zone) and department, every day listed. A whole hour of the period
 * that lies within one day of the zone is read from the hourly roll-up; an hour cut by the period's bounds or by a
 * midnight of the zone (zones half an hour off UTC) is read from the facts.
 */
export function periodDayCounts(db: Queryable, q: ReportPeriod): Promise<DayDepartmentCount[]> {
  return inPeriod<DayDepartmentCount>(
    db,
    q,
    `, cand AS (
         SELECT DISTINCT x.h FROM p, LATERAL (
           SELECT date_trunc('hour', p.t0) UNION ALL SELECT date_trunc('hour', p.t1)
           UNION ALL SELECT date_trunc('hour', d AT TIME ZONE $4)
             FROM generate_series(date_trunc('day', p.t0 AT TIME ZONE $4), p.t1 AT TIME ZONE $4, interval '1 day') d) x(h)),
       cut AS (
         SELECT cand.h, greatest(cand.h, p.t0) AS a, least(cand.h + interval '1 hour', p.t1) AS z FROM cand, p
          WHERE cand.h < p.t1 AND cand.h + interval '1 hour' > p.t0
            AND NOT (cand.h >= p.t0 AND cand.h + interval '1 hour' <= p.t1
                     AND date_trunc('day', cand.h AT TIME ZONE $4)
                       = date_trunc('day', (cand.h + interval '59 minutes 59.999999 seconds') AT TIME ZONE $4))),
       counts AS (
         SELECT date_trunc('day', s.bucket AT TIME ZONE $4) AS d, s.department, s.n
           FROM p, summary_rollup s
          WHERE s.grain = 'h' AND s.bucket >= p.t0 AND s.bucket <= p.t1 - interval '1 hour'
            AND ($3::text[] IS NULL OR s.department = ANY($3::text[])) AND s.bucket NOT IN (SELECT h FROM cut)
         UNION ALL
         SELECT date_trunc('day', f.created_at AT TIME ZONE $4), f.department, 1
           FROM cut JOIN ticket_facts f ON f.created_at >= cut.a AND f.created_at < cut.z
          WHERE ($3::text[] IS NULL OR f.department = ANY($3::text[]))),
       days AS (
         SELECT d FROM p, generate_series(date_trunc('day', p.t0 AT TIME ZONE $4),
                                          (p.t1 AT TIME ZONE $4) - interval '1 microsecond', interval '1 day') d)
     SELECT to_char(days.d, 'YYYY-MM-DD') AS day, c.department, coalesce(sum(c.n), 0)::int AS n
       FROM days LEFT JOIN counts c ON c.d = days.d
      GROUP BY days.d, c.department HAVING coalesce(sum(c.n), 0) <> 0 OR c.department IS NULL ORDER BY days.d, 2`,
  );
}

/** Open tickets of the period not yet due at the reader's `now`, per department and claimer ('' unclaimed). */
export const notYetDueSchema = z.object({ department: z.string(), staff: z.string(), n: z.number() });
/** A row of {@link periodNotYetDue}. */
export type NotYetDue = z.infer<typeof notYetDueSchema>;

/** The one SLA count that depends on the clock, read from the open tickets due from `now` on (a short index range). */
export function periodNotYetDue(db: Queryable, q: ReportPeriod, now: Date): Promise<NotYetDue[]> {
  return inPeriod<NotYetDue>(
    db,
    q,
    `SELECT f.department, coalesce(f.claimed_by, '') AS staff, count(*)::int AS n FROM p, ticket_facts f
      WHERE f.resolved_at IS NULL AND f.status <> 'withdrawn' AND f.sla_due_at >= $5
        AND f.created_at >= p.t0 AND f.created_at < p.t1 AND ($3::text[] IS NULL OR f.department = ANY($3::text[]))
      GROUP BY 1, 2`,
    [now],
  );
}

/**
 * Refreshes the facts of the tickets changed since the last drain (their marks, in migrations/0027), so the roll-up
 * holds every committed change; returns how many tickets. Every reader of the summary runs it first.
 */
export async function drainTicketFacts(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: string }>('SELECT ticket_facts_drain() AS n');
  return Number(rows[0].n);
}

/** Folds the roll-up's appended rows into one per key (the periodic sweep calls it); returns the rows folded. */
export async function compactSummaryRollup(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: string }>('SELECT summary_rollup_compact() AS n');
  return Number(rows[0].n);
}
