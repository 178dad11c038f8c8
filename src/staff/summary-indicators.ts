/**
 * Indicators of issue #17 item 3 beyond the outcomes: complaints per 1,000 orders and customers, satisfaction by
 * category, channel, severity, department, staff member and customer tier against the previous period, and SLA and
 * recovery per person. The `indicators` key of the summary.
 */
import type { Queryable } from '../store/db.ts';
import type { ReportPeriod } from '../store/report-period.ts';
import { periodRollup, type NotYetDue, type RollupRow } from '../store/summary-rollup.ts';
import { periodVolumes } from '../store/summary-volumes.ts';
import { previousPeriod } from './previous-period.ts';
import { notYetDueBy, slaOf, sumsBy } from './summary-figures.ts';

/** The dimensions satisfaction is read by: staff is the ticket's claimer, tier its customer's (customers.tier). */
const DIMENSIONS = ['category', 'channel', 'severity', 'department', 'staff', 'tier'] as const;
type SatisfactionDimension = (typeof DIMENSIONS)[number];
/** One value of a dimension (null: no claimer, no tier set): answered tickets and their average first score. */
export type SatisfactionByRow = {
  dim: SatisfactionDimension;
  k: string | null;
  answered: number;
  average: number | null;
};

// The roll-up keeps "none" (no claimer, no tier, no owner) as ''.
const idOf = (v: string) => (v === '' ? null : v);
// Ascending, none last, as PostgreSQL's ORDER BY … NULLS LAST.
const byId = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1);

const round = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);
const perThousand = (n: number, volume: number | null) => (volume ? round((n * 1000) / volume) : null);

/** Complaints per 1,000 orders and customers, overall and per department; null where no volume was imported. */
async function complaintRate(db: Queryable, q: ReportPeriod, rows: readonly RollupRow[]) {
  const complaintsOf = sumsBy(rows, 'all', 'department');
  const volumes = new Map((await periodVolumes(db, q)).map((v) => [v.department, v]));
  const departments = [...new Set([...[...complaintsOf].filter(([, s]) => s.n).map(([d]) => d), ...volumes.keys()])];
  const byDepartment = departments.sort().map((department) => {
    const complaints = complaintsOf.get(department)?.n ?? 0;
    const orders = volumes.get(department)?.orders ?? null;
    const customers = volumes.get(department)?.customers ?? null;
    const perThousandOrders = perThousand(complaints, orders);
    return {
      department,
      complaints,
      orders,
      customers,
      perThousandOrders,
      perThousandCustomers: perThousand(complaints, customers),
    };
  });
  // Sums of the volumes imported, null when none was: the overall rate is every complaint against all of them.
  const sum = (k: 'orders' | 'customers') =>
    byDepartment.some((r) => r[k] !== null) ? byDepartment.reduce((a, r) => a + (r[k] ?? 0), 0) : null;
  const complaints = byDepartment.reduce((a, r) => a + r.complaints, 0);
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
    byDepartment,
  };
}

/** Answered tickets and their average first score per value of every dimension, most answered first. */
function satisfactionRows(rows: readonly RollupRow[]): SatisfactionByRow[] {
  return DIMENSIONS.flatMap((dim) =>
    [...(dim === 'department' ? sumsBy(rows, 'all', 'department') : sumsBy(rows, dim))]
      .filter(([, s]) => s.sat_n !== 0)
      .map(([k, s]) => ({ dim, k: idOf(k), answered: s.sat_n, average: s.sat_sum / s.sat_n }))
      .sort((a, b) => b.answered - a.answered || byId(a.k, b.k)),
  );
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
async function satisfactionBy(db: Queryable, q: ReportPeriod, rows: readonly RollupRow[]) {
  const before = previousPeriod(q);
  return {
    previousPeriod: { from: before.from, to: before.to },
    ...satisfactionCells(satisfactionRows(rows), satisfactionRows(await periodRollup(db, before))),
  };
}

/**
 * The cells of every dimension from its rows `now` and `then` (the previous period): values answered now first, in
 * their order, then those answered only before.
 */
export function satisfactionCells(
  now: readonly SatisfactionByRow[],
  then: readonly SatisfactionByRow[],
): Record<SatisfactionDimension, SatisfactionCell[]> {
  const key = (r: SatisfactionByRow) => JSON.stringify([r.dim, r.k]);
  const cells = new Map<
    string,
    { dim: SatisfactionDimension; id: string | null; now?: SatisfactionByRow; then?: SatisfactionByRow }
  >();
  for (const r of now) cells.set(key(r), { dim: r.dim, id: r.k, now: r });
  for (const r of then) cells.set(key(r), { dim: r.dim, id: r.k, ...cells.get(key(r)), then: r });
  const byDimension = Object.fromEntries(DIMENSIONS.map((d) => [d, [] as SatisfactionCell[]]));
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
  return byDimension as Record<SatisfactionDimension, SatisfactionCell[]>;
}

/** SLA per claimer and recovery per task owner; null is unclaimed, or a task without an owner. */
function people(rows: readonly RollupRow[], due: readonly NotYetDue[]) {
  const dueOf = notYetDueBy(due, 'staff');
  return {
    sla: [...sumsBy(rows, 'staff')]
      .filter(([, s]) => s.n !== 0)
      .map(([k, s]) => ({ staff: idOf(k), ...slaOf(s, dueOf.get(k) ?? 0) }))
      .sort((a, b) => byId(a.staff, b.staff)),
    recovery: [...sumsBy(rows, 'rec_owner')]
      .filter(([, s]) => s.rec_tasks !== 0)
      .map(([k, s]) => ({
        owner: idOf(k),
        tasks: s.rec_tasks,
        recovered: s.rec_recovered,
        rate: round(s.rec_recovered / s.rec_tasks),
      }))
      .sort((a, b) => byId(a.owner, b.owner)),
  };
}

/**
 * The indicators of the period `q` from its roll-up `rows` and the open tickets not yet `due` (SLA breaches of open
 * tickets count against the reader's clock); the previous period's roll-up and the imported volumes are read here.
 */
export async function indicatorFigures(
  db: Queryable,
  q: ReportPeriod,
  rows: readonly RollupRow[],
  due: readonly NotYetDue[],
) {
  return {
    complaintRate: await complaintRate(db, q, rows),
    satisfactionBy: await satisfactionBy(db, q, rows),
    people: people(rows, due),
  };
}
