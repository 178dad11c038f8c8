/** Manager figures for a period, computed in SQL: volumes, speed, SLAs, satisfaction, repeats and top issues. */
import { periodOutcomes, periodRecovery, periodRemedies, periodTopCauses } from '../store/summary-outcomes.ts';
import { indicatorFigures } from './summary-indicators.ts';
import { z } from 'zod';
import type { Queryable } from '../store/db.ts';
import {
  periodCountsBy,
  periodHoursToFirstResponse,
  periodHoursToResolution,
  periodReopenings,
  periodRepeatCustomers,
  periodSatisfaction,
  periodSlaByDepartment,
  periodTicketsByDay,
  periodTopIssues,
  periodTotals,
  type CountColumn,
} from '../store/summary.ts';
import { periodTicketsPage, type ExportCursor, type TicketExportRow } from '../store/tickets-export.ts';
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

/** Every figure of the summary for `q` at `now` (SLA breaches of open tickets count against `now`). */
export async function summary(db: Queryable, q: SummaryQuery, now: Date) {
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
    // Complaint rates, satisfaction by dimension against the previous period, figures per person (issue #17 item 3).
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
