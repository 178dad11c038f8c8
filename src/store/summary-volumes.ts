/** The order and customer volumes imported for a period's days (table volumes), to set its complaints against. */
import { z } from 'zod';
import type { Queryable } from './db.ts';
import { inPeriod, type ReportPeriod } from './report-period.ts';

/** One department's volumes imported for the period's days (null: none of that kind). */
export const departmentVolumeSchema = z.object({
  department: z.string(),
  orders: z.number().nullable(),
  customers: z.number().nullable(),
});
/** A row of {@link periodVolumes}. */
export type DepartmentVolume = z.infer<typeof departmentVolumeSchema>;

/**
 * Per department with volumes in the period: the sum of its orders and of its customers over the calendar days (in
 * the period's zone) that start inside the period. Its complaints come from the roll-up.
 */
export function periodVolumes(db: Queryable, q: ReportPeriod): Promise<DepartmentVolume[]> {
  return inPeriod<DepartmentVolume>(
    db,
    q,
    `SELECT v.department, sum(v.count) FILTER (WHERE v.kind = 'orders')::float8 AS orders,
            sum(v.count) FILTER (WHERE v.kind = 'customers')::float8 AS customers
       FROM volumes v, p
      WHERE (v.day::timestamp AT TIME ZONE $4) >= p.t0 AND (v.day::timestamp AT TIME ZONE $4) < p.t1
        AND ($3::text[] IS NULL OR v.department = ANY($3::text[]))
      GROUP BY 1 ORDER BY 1`,
  );
}
