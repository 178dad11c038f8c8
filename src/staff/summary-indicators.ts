/**
 * Indicators of issue #17 item 3 beyond the outcomes: complaints per 1,000 orders and customers, satisfaction by
 * category, channel, severity, department, staff member and customer tier against the previous period, and SLA and
 * recovery per person. The `indicators` key of the summary.
 */
import type { Queryable } from '../store/db.ts';
import type { ReportPeriod } from '../store/report-period.ts';
import { periodRecoveryByOwner, periodSlaByStaff } from '../store/summary-people.ts';
import {
  periodSatisfactionBy,
  satisfactionDimensionSchema,
  type SatisfactionByRow,
  type SatisfactionDimension,
} from '../store/summary-satisfaction.ts';
import { periodComplaintVolumes } from '../store/summary-volumes.ts';
import { previousPeriod } from './previous-period.ts';

const round = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);
const perThousand = (n: number, volume: number | null) => (volume ? round((n * 1000) / volume) : null);

/** Complaints per 1,000 orders and customers, overall and per department; null where no volume was imported. */
async function complaintRate(db: Queryable, q: ReportPeriod) {
  const rows = (await periodComplaintVolumes(db, q)).map((r) => ({
    ...r,
    perThousandOrders: perThousand(r.complaints, r.orders),
    perThousandCustomers: perThousand(r.complaints, r.customers),
  }));
  // Sums of the volumes imported, null when none was: the overall rate is every complaint against all of them.
  const sum = (k: 'orders' | 'customers') =>
    rows.some((r) => r[k] !== null) ? rows.reduce((a, r) => a + (r[k] ?? 0), 0) : null;
  const complaints = rows.reduce((a, r) => a + r.complaints, 0);
  const orders = sum('orders');
  const customers = sum('customers');
  return {
    overall: {
      complaints,
      orders,
      customers,
      perThousandOrders: perThousand(complaints, orders),
      perThousandCustomers: perThousand(complaints, customers),
    },
    byDepartment: rows,
  };
}

/** One value of a dimension now and in the previous period; `change` is the average's, null without both. */
type SatisfactionCell = {
  id: string | null;
  answered: number;
  average: number | null;
  previousAnswered: number;
  previousAverage: number | null;
  change: number | null;
};

/** Satisfaction (the first score, as periodSatisfaction reads it) by every dimension, now and before. */
async function satisfactionBy(db: Queryable, q: ReportPeriod) {
  const before = previousPeriod(q);
  const now = await periodSatisfactionBy(db, q);
  const then = await periodSatisfactionBy(db, before);
  const key = (r: SatisfactionByRow) => JSON.stringify([r.dim, r.k]);
  // Values answered now first (most answers first), then those answered only in the previous period.
  const cells = new Map<
    string,
    { dim: SatisfactionDimension; id: string | null; now?: SatisfactionByRow; then?: SatisfactionByRow }
  >();
  for (const r of now) cells.set(key(r), { dim: r.dim, id: r.k, now: r });
  for (const r of then) cells.set(key(r), { dim: r.dim, id: r.k, ...cells.get(key(r)), then: r });
  const byDimension = Object.fromEntries(satisfactionDimensionSchema.options.map((d) => [d, [] as SatisfactionCell[]]));
  for (const c of cells.values()) {
    const average = c.now?.average ?? null;
    const previousAverage = c.then?.average ?? null;
    byDimension[c.dim].push({
      id: c.id,
      answered: c.now?.answered ?? 0,
      average: round(average),
      previousAnswered: c.then?.answered ?? 0,
      previousAverage: round(previousAverage),
      change: average !== null && previousAverage !== null ? round(average - previousAverage) : null,
    });
  }
  return {
    previousPeriod: { from: before.from, to: before.to },
    ...(byDimension as Record<SatisfactionDimension, SatisfactionCell[]>),
  };
}

/** SLA per claimer and recovery per task owner; null is unclaimed, or a task without an owner. */
async function people(db: Queryable, q: ReportPeriod, now: Date) {
  return {
    sla: await periodSlaByStaff(db, q, now),
    recovery: (await periodRecoveryByOwner(db, q)).map((r) => ({
      ...r,
      rate: r.tasks ? round(r.recovered / r.tasks) : null,
    })),
  };
}

/** The indicators of the period `q` at `now` (SLA breaches of open tickets count against `now`). */
export async function indicatorFigures(db: Queryable, q: ReportPeriod, now: Date) {
  return {
    complaintRate: await complaintRate(db, q),
    satisfactionBy: await satisfactionBy(db, q),
    people: await people(db, q, now),
  };
}
