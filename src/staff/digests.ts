/** Daily and weekly digests for each department's managers (email) and Slack channel, sent once per period (the
 * monthly one is src/staff/digest-monthly.ts, sent the same way). */
import type { RoutingConfig } from '../../dialogs/routing-config.ts';
import type { Db } from '../store/db.ts';
import { claimDigest, markDigestSent, releaseDigest, slaBreachedReferences, type DigestKey } from '../store/digests.ts';
import { summary } from './summary.ts';
import type { Logger } from '../core/log.ts';

/** Where digests go; either may be absent. */
export interface DigestOutlets {
  email?: (to: string[], subject: string, text: string) => Promise<void>;
  slack?: (channel: string, text: string) => Promise<void>;
}

const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const iso = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (day: string, n: number) => iso(new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000));

/** The local date, weekday and minutes past midnight of `now` in `tz`. */
export function localTime(now: Date, tz: string): { day: string; weekday: number; minutes: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      weekday: 'short',
    })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  return {
    day: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: DAYS.indexOf(String(parts.weekday).toUpperCase().slice(0, 3)),
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The latest daily and weekly periods whose sending time has passed at `now` ([from, to) as local dates). */
export function duePeriods(
  now: Date,
  o: { tz: string; dailyAt: string; weeklyAt: string },
): Array<{ kind: 'daily' | 'weekly'; from: string; to: string }> {
  const t = localTime(now, o.tz);
  // Daily: yesterday once today's slot has passed, else the day before (still owed if it was never sent).
  const dailyTo = t.minutes >= minutesOf(o.dailyAt) ? t.day : addDays(t.day, -1);
  // Weekly: Monday-to-Monday weeks; the last finished week once this week's slot has passed, else the one before.
  const [wd, hhmm] = o.weeklyAt.split(' ');
  const sinceMonday = (t.weekday + 6) % 7;
  const thisMonday = addDays(t.day, -sinceMonday);
  const slotPassed = sinceMonday * 1440 + t.minutes >= ((DAYS.indexOf(wd) + 6) % 7) * 1440 + minutesOf(hhmm);
  const weeklyTo = slotPassed ? thisMonday : addDays(thisMonday, -7);
  return [
    { kind: 'daily', from: addDays(dailyTo, -1), to: dailyTo },
    { kind: 'weekly', from: addDays(weeklyTo, -7), to: weeklyTo },
  ];
}

/** A department as digests address it: its managers' emails and its Slack channel. */
export type DigestDepartment = RoutingConfig['departments'][number];

// Slack reads &, < and > as markup (<!channel>, links): text that quotes customers must not ping or link anyone.
const slackText = (s: string) => s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);

/**
 * Sends `dept`'s digest `key` once across every process: whoever claims its row composes it (`compose`, only then)
 * and sends it by email to the department's managers and to its Slack channel; a failure gives the claim back for the
 * next run. Returns whether this call sent it.
 */
export async function sendDigestOnce(
  o: { db: Db; outlets: DigestOutlets; log?: Logger },
  dept: DigestDepartment,
  key: DigestKey,
  now: Date,
  compose: () => Promise<{ subject: string; text: string }>,
): Promise<boolean> {
  const emailTo = o.outlets.email ? dept.managers : [];
  const slackTo = o.outlets.slack ? dept.slack_channel : undefined;
  if (!emailTo.length && !slackTo) return false;
  // The row is the claim: whoever inserts it sends; a claim left unsent for 10 minutes (a crash) is taken over.
  if (!(await claimDigest(o.db, key, now))) return false;
  try {
    const { subject, text } = await compose();
    if (emailTo.length) await o.outlets.email!(emailTo, subject, text);
    if (slackTo) await o.outlets.slack!(slackTo, `*${slackText(subject)}*\n${slackText(text)}`);
    await markDigestSent(o.db, key, now);
    return true;
  } catch (err) {
    // Give the claim back so the next run tries again.
    await releaseDigest(o.db, key);
    o.log?.warn({ err: (err as Error).message, department: dept.id, kind: key.kind }, 'digest failed; will retry');
    return false;
  }
}

/** What the digests need: where they go, the zone of their days and when the daily and weekly ones are sent. */
export interface DigestOptions {
  db: Db;
  routing: RoutingConfig;
  outlets: DigestOutlets;
  tz: string;
  dailyAt: string;
  weeklyAt: string;
  clock: () => Date;
  log?: Logger;
}

/** Sends the digests that are due; any number of processes may run it, each digest goes out once. */
export class Digests {
  constructor(private readonly o: DigestOptions) {}

  /** Sends what is due at `now`; returns how many digests this process sent. */
  async run(now: Date = this.o.clock()): Promise<number> {
    let sent = 0;
    for (const p of duePeriods(now, this.o)) {
      for (const dept of this.o.routing.departments) {
        const key = { kind: p.kind, periodStart: p.from, department: dept.id };
        const subject = `${p.kind === 'daily' ? 'Daily' : 'Weekly'} complaints digest — ${dept.name.en} — ${p.from}${p.kind === 'weekly' ? ` to ${addDays(p.to, -1)}` : ''}`;
        const compose = async () => ({ subject, text: await this.compose(p, dept.id, dept.name.en, now) });
        if (await sendDigestOnce(this.o, dept, key, now, compose)) sent++;
      }
    }
    return sent;
  }

  private async compose(
    p: { kind: string; from: string; to: string },
    department: string,
    name: string,
    now: Date,
  ): Promise<string> {
    const span = p.kind === 'daily' ? 1 : 7;
    const q = { from: p.from, to: p.to, department, tz: this.o.tz };
    const [cur, prev] = await Promise.all([
      summary(this.o.db, q, now),
      summary(this.o.db, { ...q, from: addDays(p.from, -span), to: p.from }, now),
    ]);
    const change = (a: number, b: number) =>
      `${a} (previous ${p.kind === 'daily' ? 'day' : 'week'}: ${b}, ${a - b >= 0 ? '+' : ''}${a - b})`;
    const breached = await slaBreachedReferences(this.o.db, { department, from: p.from, to: p.to, tz: this.o.tz, now });
    return [
      `${name}, ${p.from} to ${addDays(p.to, -1)} (${this.o.tz})`,
      `Received: ${change(cur.received.total, prev.received.total)}`,
      `Open: ${cur.status.open} · Resolved: ${cur.status.resolved} · Handed to a person: ${cur.status.handedOff}`,
      `Hours to resolution, median: ${cur.hoursToResolution.median ?? '–'} (previous: ${prev.hoursToResolution.median ?? '–'})`,
      `Satisfaction: ${cur.satisfaction.average ?? '–'} from ${cur.satisfaction.answered} answers; low scores recovered: ${cur.satisfaction.recoveredAfterSecondFollowup} of ${cur.satisfaction.low}`,
      `SLA breached (${breached.length}): ${breached.join(', ') || 'none'}`,
      `Top issues: ${cur.topIssues.map((t) => `${t.category} (${t.count})`).join(', ') || 'none'}`,
    ].join('\n');
  }
}
