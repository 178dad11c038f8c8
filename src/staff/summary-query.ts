/** The period of a summary or CSV export, checked before any SQL runs: valid dates, in order, at most SUMMARY_MAX_DAYS. */
import { RedressError } from '../core/errors.ts';
import { summaryQuerySchema, type SummaryQuery } from './summary.ts';

const DAY = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Parses the query of /api/summary, /api/tickets.csv and /dashboard: 400 BAD_REQUEST for a malformed date, an unknown
 * time zone or a period that ends before it starts; 400 PERIOD_TOO_LONG past `maxDays` (the figures of a longer
 * period, and its day-by-day series, are more than one answer should hold in memory).
 */
export function parseSummaryQuery(raw: unknown, maxDays: number): SummaryQuery {
  const q = summaryQuerySchema.safeParse(raw ?? {});
  if (!q.success)
    throw new RedressError('BAD_REQUEST', q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), {
      cause: q.error,
    });
  try {
    new Intl.DateTimeFormat('en', { timeZone: q.data.tz });
  } catch (e) {
    throw new RedressError('BAD_REQUEST', `tz: unknown time zone "${q.data.tz}"`, { cause: e });
  }
  const { from, to } = q.data;
  // PostgreSQL has no year 0, and JavaScript reads it: refused here rather than failing in SQL.
  for (const [name, v] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (/^0000/.test(v) || !Number.isFinite(Date.parse(v)))
      throw new RedressError('BAD_REQUEST', `${name}: "${v}" is not a date`);
  }
  // Dates without a time are read in tz on both ends, so their difference is whole days whatever the zone.
  const span = Date.parse(to) - Date.parse(from);
  if (span < 0) throw new RedressError('BAD_REQUEST', `to (${to}) is before from (${from})`);
  const days = DATE_ONLY.test(from) && DATE_ONLY.test(to) ? span / DAY : Math.ceil(span / DAY);
  if (days > maxDays) {
    throw new RedressError(
      'PERIOD_TOO_LONG',
      `the period from ${from} to ${to} is ${Math.round(days)} days; at most ${maxDays} days are answered at once (SUMMARY_MAX_DAYS): ask for shorter periods`,
    );
  }
  return q.data;
}
