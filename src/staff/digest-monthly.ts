/**
 * The monthly voice-of-customer digest (issue #17 item 3): for each department, the previous calendar month in
 * DIGEST_TZ — the top issues with customers' own words, the top root causes, the month against the one before (in
 * total and per category), and the open improvement actions, overdue first. Sent once per month and department across
 * every process, on the first run after the month ends, by email and Slack as the daily and weekly digests are.
 */
import type { RoutingConfig } from '../../dialogs/routing-config.ts';
import type { Db } from '../store/db.ts';
import { withoutBidi } from '../text/sanitize.ts';
import { dashboardNames, say } from './dashboard-i18n.ts';
import type { DashboardKey } from './dashboard-text.ts';
import { localTime, sendDigestOnce, type DigestDepartment, type DigestOptions } from './digests.ts';
import { actionList } from './improvement-actions.ts';
import { summary } from './summary.ts';

const iso = (d: Date) => d.toISOString().slice(0, 10);
// The first day of the month `months` after the month of `day` (YYYY-MM-DD).
const monthStart = (day: string, months = 0) =>
  iso(new Date(Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1 + months, 1)));

/** The month the digest at `now` reports on: the previous calendar month in `tz`, as [from, to) local dates. */
export function monthlyPeriod(now: Date, tz: string): { from: string; to: string } {
  const to = monthStart(localTime(now, tz).day);
  return { from: monthStart(to, -1), to };
}

const signed = (n: number) => (n >= 0 ? `+${n}` : String(n));
// A customer's words on one line: no bidi controls, no line breaks, 200 characters at most.
const quote = (s: string) => withoutBidi(s.slice(0, 200)).replace(/\s+/g, ' ').trim();

/** The text of `department`'s digest for the month [from, to) in `tz` (English, names not ids). */
export async function monthlyDigestText(
  db: Db,
  o: { routing: RoutingConfig; department: DigestDepartment; from: string; to: string; tz: string; now: Date },
): Promise<string> {
  const names = dashboardNames(o.routing, 'en');
  const q = { from: o.from, to: o.to, department: o.department.id, tz: o.tz };
  const cur = await summary(db, q, o.now);
  const prev = await summary(db, { ...q, from: monthStart(o.from, -1), to: o.from }, o.now);
  const categories = [...new Set([...Object.keys(cur.received.byCategory), ...Object.keys(prev.received.byCategory)])]
    .map((c) => ({ c, a: cur.received.byCategory[c] ?? 0, b: prev.received.byCategory[c] ?? 0 }))
    .sort((x, y) => y.a - x.a || y.b - x.b || x.c.localeCompare(y.c));
  const issues = cur.topIssues.flatMap((t) => [
    `  ${names.category(t.category)} (${t.count})`,
    ...t.quotes.map((x) => `    “${quote(x.text ?? '')}” (${x.reference})`),
  ]);
  const causes = cur.outcomes.topCauses.map((c) => `${names.cause(c.cause)} (${c.count})`);
  const today = localTime(o.now, o.tz).day;
  const open = await actionList({ db, today }, { show: 'open' }, [o.department.id], true);
  // Overdue first, then by due date (the list comes by due date).
  const actions = [...open.filter((a) => a.overdue), ...open.filter((a) => !a.overdue)].map(
    (a) =>
      `  ${a.overdue ? 'OVERDUE ' : ''}${a.title} — ${a.owner} — due ${a.due} — ${say('en', `actionState_${a.state}` as DashboardKey)}${a.cause ? ` — ${names.cause(a.cause)}` : ''}${a.department ? '' : ' — all departments'}`,
  );
  const last = iso(new Date(Date.parse(`${o.to}T00:00:00Z`) - 86_400_000));
  return [
    `${o.department.name.en}, ${o.from} to ${last} (${o.tz})`,
    `Received: ${cur.received.total} (previous month: ${prev.received.total}, ${signed(cur.received.total - prev.received.total)})`,
    'By category (this month, previous month, change):',
    ...(categories.length
      ? categories.map((x) => `  ${names.category(x.c)}: ${x.a}, ${x.b}, ${signed(x.a - x.b)}`)
      : ['  none']),
    'Top issues, in customers’ own words:',
    ...(issues.length ? issues : ['  none']),
    `Top root causes: ${causes.join(', ') || 'none'}`,
    'Open improvement actions (overdue first):',
    ...(actions.length ? actions : ['  none']),
  ].join('\n');
}

/** Sends the monthly digest of each department once the month is over; any number of processes may run it. */
export class MonthlyDigest {
  constructor(private readonly o: Omit<DigestOptions, 'dailyAt' | 'weeklyAt'>) {}

  /** Sends the previous month's digests not yet sent at `now`; returns how many this process sent. */
  async run(now: Date = this.o.clock()): Promise<number> {
    const p = monthlyPeriod(now, this.o.tz);
    const month = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
      new Date(`${p.from}T12:00:00Z`),
    );
    let sent = 0;
    for (const dept of this.o.routing.departments) {
      const key = { kind: 'monthly' as const, periodStart: p.from, department: dept.id };
      const compose = async () => ({
        subject: `Monthly voice of the customer — ${dept.name.en} — ${month}`,
        text: await monthlyDigestText(this.o.db, { ...this.o, department: dept, ...p, now }),
      });
      if (await sendDigestOnce(this.o, dept, key, now, compose)) sent++;
    }
    return sent;
  }
}
