/** The period before a summary's period, of the same length: [from − (to − from), from), for changes against it. */
import type { ReportPeriod } from '../store/report-period.ts';

const DAY = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
// Calendar arithmetic on a date, as summary-query.ts's addDays (not imported: that module imports the summary).
const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

// The UTC offset of `tz` at instant `t`, in milliseconds.
function offset(tz: string, t: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(t);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return (
    Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - Math.floor(t / 1000) * 1000
  );
}

/** The instant a query bound stands for: a date is its midnight in `tz` (as the period's SQL reads it). */
function instant(v: string, tz: string): number {
  if (!DATE_ONLY.test(v)) return Date.parse(v);
  const wall = Date.parse(`${v}T00:00:00Z`);
  // Twice: the offset at the first guess may differ from the offset at midnight itself across a change of clocks.
  const first = wall - offset(tz, wall);
  return wall - offset(tz, first);
}

/**
 * The previous period of `q`: with dates, as many calendar days ending the day `from` starts (days in the zone, so a
 * week is a week across a change of clocks); otherwise the same length of time ending at `from`.
 */
export function previousPeriod<Q extends ReportPeriod>(q: Q): Q {
  if (DATE_ONLY.test(q.from) && DATE_ONLY.test(q.to)) {
    const days = Math.round((Date.parse(`${q.to}T00:00:00Z`) - Date.parse(`${q.from}T00:00:00Z`)) / DAY);
    return { ...q, from: addDays(q.from, -days), to: q.from };
  }
  const from = instant(q.from, q.tz);
  const length = instant(q.to, q.tz) - from;
  return { ...q, from: new Date(from - length).toISOString(), to: new Date(from).toISOString() };
}
