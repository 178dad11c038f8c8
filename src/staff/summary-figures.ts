/** The manager summary's figures worked out from the period's roll-up rows (src/store/summary-rollup.ts). */
import type { NotYetDue, RollupRow } from '../store/summary-rollup.ts';

/** A row's sums without its keys. */
export type Sums = Omit<RollupRow, 'dim' | 'value' | 'department'>;

const ZERO: Sums = {
  n: 0,
  waiting: 0,
  resolved: 0,
  withdrawn: 0,
  handoff: 0,
  unresolved: 0,
  sla_met: 0,
  sla_late: 0,
  ever_resolved: 0,
  reopened: 0,
  first_contact: 0,
  sat_n: 0,
  sat_sum: 0,
  sat_low: 0,
  sat_recovered: 0,
  rec_tasks: 0,
  rec_contacted: 0,
  rec_recovered: 0,
  costed: 0,
  cost: 0,
};

/** Adds `b` into a copy of `a`. */
function add(a: Sums, b: Sums): Sums {
  const out = { ...a };
  for (const k of Object.keys(ZERO) as Array<keyof Sums>) out[k] += b[k];
  return out;
}

/** The rows of `dim` summed per `key` of a row (its value, or its department). */
export function sumsBy(rows: readonly RollupRow[], dim: string, key: 'value' | 'department' = 'value') {
  const out = new Map<string, Sums>();
  for (const r of rows) if (r.dim === dim) out.set(r[key], add(out.get(r[key]) ?? ZERO, r));
  return out;
}

/** All of the period's tickets summed. */
export function totalOf(rows: readonly RollupRow[]): Sums {
  return rows.filter((r) => r.dim === 'all').reduce(add, ZERO);
}

/** `counts` as an object, most first, ties by key (the order the summary has always listed them in). */
export function countsObject(counts: Map<string, Sums>): Record<string, number> {
  return Object.fromEntries(
    [...counts]
      .filter(([, s]) => s.n !== 0)
      .sort(([a, x], [b, y]) => y.n - x.n || (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, s]) => [k, s.n]),
  );
}

/**
 * The median and 90th percentile of a histogram of durations (value: hours, n: how many), interpolated between
 * neighbours exactly as PostgreSQL's percentile_cont, and the number of durations.
 */
export function hoursOf(histogram: Map<string, Sums>): { median: number | null; p90: number | null; n: number } {
  const bins = [...histogram]
    .map(([v, s]) => ({ h: Number(v), n: s.n }))
    .filter((b) => b.n > 0)
    .sort((a, b) => a.h - b.h);
  const n = bins.reduce((a, b) => a + b.n, 0);
  // The value at 0-based position i of the sorted durations.
  const at = (i: number) => {
    let seen = 0;
    for (const b of bins) if ((seen += b.n) > i) return b.h;
    return bins[bins.length - 1].h;
  };
  const pct = (p: number) => {
    const pos = p * (n - 1);
    const lo = Math.floor(pos);
    return at(lo) + (pos - lo) * (at(Math.ceil(pos)) - at(lo));
  };
  return n ? { median: pct(0.5), p90: pct(0.9), n } : { median: null, p90: null, n: 0 };
}

/** SLA met, breached and pending of one group: open tickets past due are its unresolved less those not yet due. */
export function slaOf(s: Sums, notYetDue: number) {
  return { met: s.sla_met, breached: s.sla_late + s.unresolved - notYetDue, pending: notYetDue };
}

/** The not-yet-due counts summed per department or per claimer. */
export function notYetDueBy(rows: readonly NotYetDue[], key: 'department' | 'staff'): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) out.set(r[key], (out.get(r[key]) ?? 0) + r.n);
  return out;
}
