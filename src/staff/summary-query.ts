/** The period of a summary or CSV export, checked before any SQL runs: valid dates, in order, at most SUMMARY_MAX_DAYS. */
import { RedressError } from '../core/errors.ts';
import { summaryQuerySchema, type SummaryQuery } from './summary.ts';

const DAY = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** How many days a period without `from` covers (issue #17: the last 7 days, today included). */
export const DEFAULT_PERIOD_DAYS = 7;

/** What fills a query's gaps: the time now and the zone of its days (DIGEST_TZ, else UTC). */
export interface PeriodDefaults {
  now: Date;
  tz?: string;
}

/** Today's date (YYYY-MM-DD) in `tz` at `now`. */
export function todayIn(tz: string, now: Date): string {
  // en-CA formats a date as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    now,
  );
}

/** The date `days` days after `date` (YYYY-MM-DD, calendar arithmetic: no time zone involved). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

// A missing `to` is the end of today in the query's zone; a missing `from` is DEFAULT_PERIOD_DAYS before `to`.
function withDefaults(raw: Record<string, unknown>, d: PeriodDefaults): Record<string, unknown> {
  const tz = typeof raw.tz === 'string' && raw.tz ? raw.tz : (d.tz ?? 'UTC');
  let zone = tz;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    zone = 'UTC'; // an unknown zone is refused by the checks that follow, naming it
  }
  const to = raw.to ?? addDays(todayIn(zone, d.now), 1);
  let from = raw.from;
  if (from === undefined && typeof to === 'string' && Number.isFinite(Date.parse(to)))
    from = DATE_ONLY.test(to)
      ? addDays(to, -DEFAULT_PERIOD_DAYS)
      : new Date(Date.parse(to) - DEFAULT_PERIOD_DAYS * DAY).toISOString();
  return { ...raw, tz, from, to };
}

/**
 * Parses the query of /api/summary, /api/tickets.csv and /dashboard: 400 BAD_REQUEST for a malformed date, an unknown
 * time zone or a period that ends before it starts; 400 PERIOD_TOO_LONG past `maxDays` (the figures of a longer
 * period, and its day-by-day series, are more than one answer should hold in memory). With `defaults`, a query
 * without `to` ends tonight and one without `from` covers the 7 days before `to`, in the query's `tz` (else the
 * default zone).
 */
export function parseSummaryQuery(raw: unknown, maxDays: number, defaults?: PeriodDefaults): SummaryQuery {
  const given = (raw ?? {}) as Record<string, unknown>;
  const q = summaryQuerySchema.safeParse(defaults ? withDefaults(given, defaults) : given);
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
