/** Manager figures for a period, computed in SQL: volumes, speed, SLAs, satisfaction, repeats and top issues. */
import { z } from 'zod';
import type { Queryable } from '../store/db.ts';
import { withoutBidi } from '../text/sanitize.ts';
import { finishedStatusSchema, waitingStatusSchema } from '../domain/ticket-status.ts';

/** Query of GET /api/summary and GET /api/tickets.csv. */
export const summaryQuerySchema = z.object({
  from: z.iso.date().or(z.iso.datetime({ offset: true })),
  to: z.iso.date().or(z.iso.datetime({ offset: true })),
  department: z
    .string()
    .regex(/^[a-z_]+$/)
    .optional(),
  /** IANA time zone for days (e.g. Asia/Shanghai); dates without a time start at midnight there. */
  tz: z
    .string()
    .max(64)
    .regex(/^[A-Za-z_]+(\/[A-Za-z_+-]+)*$/)
    .default('UTC'),
});
/** A summary query. */
export type SummaryQuery = z.infer<typeof summaryQuerySchema>;

// Finished tickets other than withdrawn ones: resolved or closed.
const RESOLVED = finishedStatusSchema.exclude(['withdrawn']).options;

const round = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);

// Tickets of the period: created in [from, to), days and dates read in the query's time zone.
const PERIOD = `WITH p AS (
    SELECT (CASE WHEN $1 ~ 'T' THEN $1::timestamptz ELSE ($1::date::timestamp AT TIME ZONE $4) END) AS t0,
           (CASE WHEN $2 ~ 'T' THEN $2::timestamptz ELSE ($2::date::timestamp AT TIME ZONE $4) END) AS t1),
  t AS (SELECT tickets.* FROM tickets, p WHERE created_at >= p.t0 AND created_at < p.t1 AND ($3::text IS NULL OR department = $3))`;

/** Every figure of the summary for `q` at `now` (SLA breaches of open tickets count against `now`). */
export async function summary(db: Queryable, q: SummaryQuery, now: Date) {
  const args = [q.from, q.to, q.department ?? null, q.tz];
  const one = async <R>(sql: string, extra: unknown[] = []) =>
    (await db.query<R>(`${PERIOD} ${sql}`, [...args, ...extra])).rows;
  const counts = async (column: string) =>
    Object.fromEntries(
      (
        await one<{ k: string; n: number }>(
          `SELECT ${column} AS k, count(*)::int AS n FROM t GROUP BY 1 ORDER BY 2 DESC, 1`,
        )
      ).map((r) => [r.k, r.n]),
    );
  const [total] = await one<{ n: number; open: number; resolved: number; withdrawn: number; handoff: number }>(
    `SELECT count(*)::int AS n,
            count(*) FILTER (WHERE status = ANY($5::text[]))::int AS open,
            count(*) FILTER (WHERE status = ANY($6::text[]))::int AS resolved,
            count(*) FILTER (WHERE status = 'withdrawn')::int AS withdrawn,
            count(*) FILTER (WHERE handoff)::int AS handoff FROM t`,
    [waitingStatusSchema.options, RESOLVED],
  );
  // Every day of the period appears, with 0 when nothing came in.
  const byDay = await one<{ day: string; n: number }>(
    `SELECT to_char(d, 'YYYY-MM-DD') AS day, count(t.id)::int AS n
       FROM p, generate_series(date_trunc('day', p.t0 AT TIME ZONE $4), (p.t1 AT TIME ZONE $4) - interval '1 microsecond', interval '1 day') AS d
       LEFT JOIN t ON date_trunc('day', t.created_at AT TIME ZONE $4) = d
      GROUP BY d ORDER BY d`,
  );
  const hours = (expr: string, where: string) =>
    one<{ median: number | null; p90: number | null; n: number }>(
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY h) AS median, percentile_cont(0.9) WITHIN GROUP (ORDER BY h) AS p90, count(*)::int AS n
         FROM (SELECT extract(epoch FROM (${expr})) / 3600 AS h FROM t ${where}) x`,
    );
  const [resolution] = await hours('t.resolved_at - t.created_at', 'WHERE t.resolved_at IS NOT NULL');
  // First staff response: the first event by a person on staff (Slack user or staff API), one join for all tickets.
  const [firstResponse] = await one<{ median: number | null; p90: number | null; n: number }>(
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY h) AS median, percentile_cont(0.9) WITHIN GROUP (ORDER BY h) AS p90, count(*)::int AS n
       FROM (SELECT extract(epoch FROM (min(e.created_at) - t.created_at)) / 3600 AS h
               FROM t JOIN ticket_events e ON e.ticket_id = t.id AND (e.actor LIKE 'slack:%' OR e.actor = 'staff-api')
              GROUP BY t.id, t.created_at) x`,
  );
  const sla = await one<{ department: string; met: number; breached: number; pending: number }>(
    `SELECT department,
            count(*) FILTER (WHERE resolved_at IS NOT NULL AND resolved_at <= sla_due_at)::int AS met,
            count(*) FILTER (WHERE (resolved_at IS NOT NULL AND resolved_at > sla_due_at) OR (resolved_at IS NULL AND status NOT IN ('withdrawn') AND sla_due_at < $5))::int AS breached,
            count(*) FILTER (WHERE resolved_at IS NULL AND status NOT IN ('withdrawn') AND sla_due_at >= $5)::int AS pending
       FROM t GROUP BY department ORDER BY department`,
    [now],
  );
  // Events of the period's tickets, read once: satisfaction answers (first and last) and reopenings.
  const [satisfaction] = await one<{ answered: number; average: number | null; low: number; recovered: number }>(
    `SELECT count(*)::int AS answered, avg(first_score)::float AS average,
            count(*) FILTER (WHERE first_score <= 2)::int AS low,
            count(*) FILTER (WHERE first_score <= 2 AND last_score >= 4)::int AS recovered
       FROM (SELECT (array_agg((e.data->>'score')::int ORDER BY e.id))[1] AS first_score,
                    (array_agg((e.data->>'score')::int ORDER BY e.id DESC))[1] AS last_score
               FROM t JOIN ticket_events e ON e.ticket_id = t.id AND e.kind = 'satisfaction' GROUP BY t.id) s`,
  );
  const [reopen] = await one<{ reopened: number; everResolved: number }>(
    `SELECT count(DISTINCT e.ticket_id) FILTER (WHERE e.kind = 'status_reopened')::int AS reopened,
            count(DISTINCT e.ticket_id) FILTER (WHERE e.kind = 'status_resolved')::int AS "everResolved"
       FROM t JOIN ticket_events e ON e.ticket_id = t.id AND e.kind IN ('status_reopened', 'status_resolved')`,
  );
  const repeat = await one<{ customer_id: number; n: number }>(
    `SELECT customer_id, count(*)::int AS n FROM t GROUP BY 1 HAVING count(*) > 1 ORDER BY 2 DESC LIMIT 20`,
  );
  const top = await one<{
    category: string;
    n: number;
    quotes: Array<{ text: string; language: string; reference: string }>;
  }>(
    `SELECT category, count(*)::int AS n,
            (SELECT coalesce(json_agg(q), '[]') FROM (
               SELECT left(coalesce(x.record->'customerWords'->>0, x.restatement), 200) AS text, x.language, x.reference
                 FROM t x WHERE x.category = t.category ORDER BY x.created_at DESC LIMIT 3) q) AS quotes
       FROM t GROUP BY category ORDER BY 2 DESC, 1 LIMIT 5`,
  );
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
    repeatComplainers: { customers: repeat.length, tickets: repeat.reduce((a, r) => a + r.n, 0) },
    topIssues: top.map((r) => ({ category: r.category, count: r.n, quotes: r.quotes })),
  };
}

/** One CSV cell: quoted, without bidi controls, and a leading = + - @ (or tab, CR) neutralised so a spreadsheet runs no formula. */
export function csvCell(v: unknown): string {
  let s = v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : withoutBidi(String(v));
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

const CSV_HEADER = [
  'reference',
  'created_at',
  'status',
  'department',
  'category',
  'severity',
  'channel',
  'language',
  'handoff',
  'customer_name',
  'customer_email',
  'customer_phone',
  'order_number',
  'sla_due_at',
  'resolved_at',
  'satisfaction',
  'claimed_by',
  'restatement',
];

/**
 * Tickets of the period as CSV, header first, one row per ticket, with the fields managers filter on: yielded in
 * chunks of `batch` tickets read by keyset, so an export of any size holds one batch in memory at a time.
 */
export async function* ticketsCsvChunks(db: Queryable, q: SummaryQuery, batch = 500): AsyncGenerator<string> {
  yield CSV_HEADER.join(',') + '\r\n';
  // The cursor is the last row's created_at as PostgreSQL's own text (a JavaScript Date would drop the microseconds
  // and read some rows twice) and its id.
  let after: { at: string; id: number } | undefined;
  for (;;) {
    const rows = (
      await db.query<Record<string, unknown> & { cursor_at: string; id: number }>(
        `${PERIOD}
         SELECT t.id, t.created_at::text AS cursor_at, t.reference, t.created_at, t.status, t.department, t.category, t.severity, t.channel, t.language, t.handoff,
                c.name AS customer_name,
                (SELECT string_agg(value, ' ') FROM contact_points cp WHERE cp.customer_id = t.customer_id AND cp.kind = 'email') AS customer_email,
                (SELECT string_agg(value, ' ') FROM contact_points cp WHERE cp.customer_id = t.customer_id AND cp.kind = 'phone') AS customer_phone,
                t.record->>'orderNumber' AS order_number, t.sla_due_at, t.resolved_at, t.satisfaction, t.claimed_by, t.restatement
           FROM t JOIN customers c ON c.id = t.customer_id
          WHERE $5::timestamptz IS NULL OR (t.created_at, t.id) > ($5::timestamptz, $6::bigint)
          ORDER BY t.created_at, t.id LIMIT $7`,
        [q.from, q.to, q.department ?? null, q.tz, after?.at ?? null, after?.id ?? null, batch],
      )
    ).rows;
    if (!rows.length) return;
    yield rows.map((r) => CSV_HEADER.map((h) => csvCell(r[h])).join(',') + '\r\n').join('');
    if (rows.length < batch) return;
    const last = rows[rows.length - 1];
    after = { at: last.cursor_at, id: Number(last.id) };
  }
}

/** Tickets of the period as one CSV string (see {@link ticketsCsvChunks}; for small periods and tests). */
export async function ticketsCsv(db: Queryable, q: SummaryQuery): Promise<string> {
  let out = '';
  for await (const chunk of ticketsCsvChunks(db, q)) out += chunk;
  return out;
}
