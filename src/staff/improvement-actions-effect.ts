/**
 * The effect of an improvement action: complaints of its root cause (tickets with a resolution of that cause, by when
 * the ticket was created, of the action's department when it has one) in the days before the action was opened
 * against the same number of days after, whole and week by week.
 */
import { z } from 'zod';
import type { Queryable } from '../store/db.ts';
import { causeTicketsByBucket } from '../store/improvement-actions.ts';

const DAY = 86_400_000;
const WEEK_DAYS = 7;
const when = z.iso.datetime({ offset: true });
const span = z.object({ from: when, to: when, count: z.number() });

/** The effect figures: the two periods compared and their weeks (week -1 ends when the action was opened). */
export const actionEffectSchema = z.object({
  cause: z.string(),
  department: z.string().nullable(),
  /** Days in each period: the days asked for, or fewer when the action was opened more recently. */
  days: z.number(),
  before: span,
  after: span,
  weeks: z.array(span.extend({ week: z.number() })),
});
/** An action's effect. */
export type ActionEffect = z.infer<typeof actionEffectSchema>;

/**
 * The effect of action `a` at `now` over `days` days (fewer when it was opened less than `days` ago, so both periods
 * have the same length): [opened − d, opened) against [opened, opened + d).
 */
export async function actionEffect(
  db: Queryable,
  a: { cause: string; department: string | null; created_at: Date },
  now: Date,
  days = 30,
): Promise<ActionEffect> {
  const opened = a.created_at.getTime();
  const length = Math.max(0, Math.min(days * DAY, now.getTime() - opened));
  const from = new Date(opened - length);
  const to = new Date(opened + length);
  const rows = await causeTicketsByBucket(db, {
    cause: a.cause,
    department: a.department,
    from,
    to,
    origin: a.created_at,
    bucketDays: WEEK_DAYS,
  });
  const count = (k: number) => rows.find((r) => r.bucket === k)?.n ?? 0;
  const weekCount = Math.ceil(length / (WEEK_DAYS * DAY));
  const weeks = [];
  for (let k = -weekCount; k < weekCount; k++) {
    const start = Math.max(opened + k * WEEK_DAYS * DAY, from.getTime());
    const end = Math.min(opened + (k + 1) * WEEK_DAYS * DAY, to.getTime());
    weeks.push({ week: k, from: new Date(start).toISOString(), to: new Date(end).toISOString(), count: count(k) });
  }
  const total = (pick: (k: number) => boolean) => rows.filter((r) => pick(r.bucket)).reduce((s, r) => s + r.n, 0);
  return {
    cause: a.cause,
    department: a.department,
    days: Math.round((length / DAY) * 10) / 10,
    before: { from: from.toISOString(), to: a.created_at.toISOString(), count: total((k) => k < 0) },
    after: { from: a.created_at.toISOString(), to: to.toISOString(), count: total((k) => k >= 0) },
    weeks,
  };
}
