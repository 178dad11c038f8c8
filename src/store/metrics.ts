/** Figures the Prometheus gauges read at scrape time (src/core/metrics.ts): counts of tickets, outbox and follow-ups. */
import { z } from 'zod';
import type { Queryable } from './db.ts';

/** Open tickets of one department and severity. */
export const openTicketCountSchema = z.object({ department: z.string(), severity: z.string(), n: z.number() });
/** A row of {@link openTicketCounts}. */
export type OpenTicketCount = z.infer<typeof openTicketCountSchema>;

/** Outbound messages of one channel. */
export const channelCountSchema = z.object({ channel: z.string(), n: z.number() });
/** A row of the outbox counts. */
export type ChannelCount = z.infer<typeof channelCountSchema>;

/** Due follow-ups of one kind. */
export const kindCountSchema = z.object({ kind: z.string(), n: z.number() });
/** A row of {@link dueFollowupCounts}. */
export type KindCount = z.infer<typeof kindCountSchema>;

/** Tickets whose status is one of `statuses`, counted by department and severity. */
export async function openTicketCounts(db: Queryable, statuses: readonly string[]): Promise<OpenTicketCount[]> {
  return (
    await db.query<OpenTicketCount>(
      'SELECT department, severity, count(*)::int AS n FROM tickets WHERE status = ANY($1::text[]) GROUP BY 1, 2',
      [statuses],
    )
  ).rows;
}

/** Outbound messages waiting in the outbox (including retries), by channel. */
export async function pendingOutboundCounts(db: Queryable): Promise<ChannelCount[]> {
  return (
    await db.query<ChannelCount>(
      "SELECT channel, count(*)::int AS n FROM messages WHERE delivery = 'pending' GROUP BY 1",
    )
  ).rows;
}

/** Pending outbound messages whose last send failed, by channel. */
export async function retryingOutboundCounts(db: Queryable): Promise<ChannelCount[]> {
  return (
    await db.query<ChannelCount>(
      "SELECT channel, count(*)::int AS n FROM messages WHERE delivery = 'pending' AND last_error IS NOT NULL GROUP BY 1",
    )
  ).rows;
}

/** Outbound messages given up on, by channel. */
export async function failedOutboundCounts(db: Queryable): Promise<ChannelCount[]> {
  return (
    await db.query<ChannelCount>(
      "SELECT channel, count(*)::int AS n FROM messages WHERE delivery = 'failed' GROUP BY 1",
    )
  ).rows;
}

/** Follow-ups due by `now` and still scheduled, by kind. */
export async function dueFollowupCounts(db: Queryable, now: Date): Promise<KindCount[]> {
  return (
    await db.query<KindCount>(
      "SELECT kind, count(*)::int AS n FROM followups WHERE state = 'scheduled' AND due_at <= $1 GROUP BY 1",
      [now],
    )
  ).rows;
}

/** Seconds the oldest follow-up due by `now` and still scheduled has been overdue; null when none is. */
export async function followupLagSeconds(db: Queryable, now: Date): Promise<number | null> {
  const r = await db.query<{ lag: number | null }>(
    "SELECT extract(epoch FROM $1::timestamptz - min(due_at))::float8 AS lag FROM followups WHERE state = 'scheduled' AND due_at <= $1",
    [now],
  );
  return r.rows[0]?.lag ?? null;
}
