/** The period every manager report reads: tickets created in [from, to), days and dates read in a time zone. */
import type { Queryable } from './db.ts';

/** A reporting period (GET /api/summary's query): ISO dates or date-times, one department or all, an IANA zone. */
export interface ReportPeriod {
  from: string;
  to: string;
  department?: string;
  /** The departments the reader may see (a department manager's); unset: all. Narrows `department` further. */
  departments?: readonly string[];
  tz: string;
}

/** The departments a period's tickets are read from: null for all; an empty list matches none. */
export function periodDepartments(q: ReportPeriod): string[] | null {
  if (!q.departments) return q.department ? [q.department] : null;
  return q.department ? q.departments.filter((d) => d === q.department) : [...q.departments];
}

// $1 from, $2 to, $3 the departments or null (all), $4 time zone; a date without a time starts at midnight in the zone.
// `p` holds the bounds, `t` the tickets of the period; the statement that follows reads them and numbers its own
// parameters from $5.
const PERIOD = `WITH p AS (
    SELECT (CASE WHEN $1 ~ 'T' THEN $1::timestamptz ELSE ($1::date::timestamp AT TIME ZONE $4) END) AS t0,
           (CASE WHEN $2 ~ 'T' THEN $2::timestamptz ELSE ($2::date::timestamp AT TIME ZONE $4) END) AS t1),
  t AS (SELECT tickets.* FROM tickets, p WHERE created_at >= p.t0 AND created_at < p.t1 AND ($3::text[] IS NULL OR department = ANY($3::text[])))`;

/** Runs `sql` after the period's `p` and `t`, with `extra` as its parameters from $5 on; returns the rows. */
export async function inPeriod<R>(db: Queryable, q: ReportPeriod, sql: string, extra: unknown[] = []): Promise<R[]> {
  return (await db.query<R>(`${PERIOD} ${sql}`, [q.from, q.to, periodDepartments(q), q.tz, ...extra])).rows;
}
