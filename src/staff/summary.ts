/** Manager figures for a period, computed in SQL: volumes, speed, SLAs, satisfaction, repeats and top issues. */
import { z } from 'zod';
import type { Queryable } from '../store/db.ts';
import { periodQuotes, periodRepeatCustomers } from '../store/summary.ts';
import {
  drainTicketFacts,
  periodDayCounts,
  periodNotYetDue,
  periodRollup,
  type RollupRow,
} from '../store/summary-rollup.ts';
import { indicatorFigures } from './summary-indicators.ts';
import { countsObject, hoursOf, notYetDueBy, slaOf, sumsBy, totalOf, type Sums } from './summary-figures.ts';
import { periodTicketsPage, type ExportCursor, type TicketExportRow } from '../store/tickets-export.ts';
import { withoutBidi } from '../text/sanitize.ts';

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

const round = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);

/** Every figure of the summary for `q` at `now` (SLA breaches of open tickets count against `now`). */
export async function summary(db: Queryable, q: SummaryQuery, now: Date) {
  // The roll-up's sums of the period, read once after the changes since the last read are in; the clock's SLA count,
  // the per-day chart, the repeat complainers and the quotes are the only other reads.
  await drainTicketFacts(db);
  const rows = await periodRollup(db, q);
  const due = await periodNotYetDue(db, q, now);
  const days = await periodDayCounts(db, q);
  const repeat = await periodRepeatCustomers(db, q);
  const total = totalOf(rows);
  const byDepartment = sumsBy(rows, 'all', 'department');
  const byCategory = sumsBy(rows, 'category');
  const dueByDepartment = notYetDueBy(due, 'department');
  const resolution = hoursOf(sumsBy(rows, 'res_h'));
  const firstResponse = hoursOf(sumsBy(rows, 'resp_h'));
  const byDay = new Map<string, number>();
  for (const d of days) byDay.set(d.day, (byDay.get(d.day) ?? 0) + d.n);
  const top = Object.entries(countsObject(byCategory)).slice(0, 5);
  const quotes = new Map(
    (
      await periodQuotes(
        db,
        q,
        top.map(([c]) => c),
      )
    ).map((r) => [r.category, r.quotes]),
  );
  return {
    period: { from: q.from, to: q.to, tz: q.tz, department: q.department ?? null },
    received: {
      total: total.n,
      byChannel: countsObject(sumsBy(rows, 'channel')),
      byDay: [...byDay].map(([day, count]) => ({ day, count })),
      byDepartment: countsObject(byDepartment),
      byCategory: countsObject(byCategory),
      bySeverity: countsObject(sumsBy(rows, 'severity')),
    },
    status: { open: total.waiting, resolved: total.resolved, withdrawn: total.withdrawn, handedOff: total.handoff },
    hoursToFirstResponse: {
      median: round(firstResponse.median),
      p90: round(firstResponse.p90),
      tickets: firstResponse.n,
    },
    hoursToResolution: { median: round(resolution.median), p90: round(resolution.p90), tickets: resolution.n },
    sla: [...byDepartment]
      .filter(([, s]) => s.n !== 0)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([department, s]) => ({ department, ...slaOf(s, dueByDepartment.get(department) ?? 0) })),
    satisfaction: {
      answered: total.sat_n,
      average: total.sat_n ? round(total.sat_sum / total.sat_n) : null,
      low: total.sat_low,
      recoveredAfterSecondFollowup: total.sat_recovered,
    },
    reopenRate: total.ever_resolved ? round(total.reopened / total.ever_resolved) : null,
    // The rate's two counts, so each can open the list of its tickets.
    reopened: { tickets: total.reopened, everResolved: total.ever_resolved },
    repeatComplainers: { customers: repeat.length, tickets: repeat.reduce((a, r) => a + r.n, 0) },
    topIssues: top.map(([category, count]) => ({ category, count, quotes: quotes.get(category) ?? [] })),
    outcomes: outcomeFigures(rows, total, byDepartment),
    // Complaint rates, satisfaction by dimension against the previous period, figures per person (issue #17 item 3).
    indicators: await indicatorFigures(db, q, rows, due),
  };
}

/**
 * What became of the period's complaints (issue #17): the resolution rate (resolved of all not withdrawn), first-contact
 * resolution (resolved, never reopened, at most one staff reply, of those resolved), remedies with their cost, the top
 * root causes, and recovery of low scores per department.
 */
function outcomeFigures(rows: readonly RollupRow[], total: Sums, byDepartment: Map<string, Sums>) {
  const c = { resolvable: total.n - total.withdrawn, resolved: total.resolved, firstContact: total.first_contact };
  const rate = (part: number, whole: number) => (whole ? round(part / whole) : null);
  const split = (v: string) => [v.slice(0, v.lastIndexOf('|')), v.slice(v.lastIndexOf('|') + 1)];
  return {
    resolutionRate: rate(c.resolved, c.resolvable),
    firstContactResolution: rate(c.firstContact, c.resolved),
    counts: c,
    remedies: [...sumsBy(rows, 'remedy')]
      .filter(([, s]) => s.n !== 0)
      .map(([k, s]) => {
        const [remedy, currency] = split(k);
        // No resolution with a cost (never one without a currency: resolutions' CHECK) is an unknown cost, not 0.
        return { remedy, currency: currency || null, count: s.n, cost: s.costed ? round(s.cost) : null };
      })
      // As PostgreSQL orders them: no currency after every currency.
      .sort(
        (a, b) => b.count - a.count || cmp(a.remedy, b.remedy) || cmp(a.currency ?? '\uffff', b.currency ?? '\uffff'),
      ),
    topCauses: [...sumsBy(rows, 'cause')]
      .filter(([, s]) => s.n !== 0)
      .map(([k, s]) => {
        const [cause, fault] = split(k);
        return { cause, fault, count: s.n };
      })
      .sort((a, b) => b.count - a.count || cmp(a.cause, b.cause) || cmp(a.fault, b.fault))
      .slice(0, 10),
    recovery: [...byDepartment]
      .filter(([, s]) => s.rec_tasks !== 0)
      .sort(([a], [b]) => cmp(a, b))
      .map(([department, s]) => ({
        department,
        tasks: s.rec_tasks,
        contacted: s.rec_contacted,
        recovered: s.rec_recovered,
        rate: rate(s.rec_recovered, s.rec_tasks),
      })),
  };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** One CSV cell: quoted, without bidi controls, and a leading = + - @ (or tab, CR) neutralised so a spreadsheet runs no formula. */
export function csvCell(v: unknown): string {
  let s = v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : withoutBidi(String(v));
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

const CSV_HEADER: Array<keyof TicketExportRow> = [
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
  let after: ExportCursor | undefined;
  for (;;) {
    const rows = await periodTicketsPage(db, q, after, batch);
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
