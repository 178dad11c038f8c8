/** Complaints of a period against the order and customer volumes imported for its days (table volumes). */
import { z } from 'zod';
import type { Queryable } from './db.ts';
import { inPeriod, type ReportPeriod } from './report-period.ts';

/** One department's complaints of the period and its imported volumes over the period's days (null: none imported). */
export const departmentVolumeRowSchema = z.object({
  department: z.string(),
  complaints: z.number(),
  orders: z.number().nullable(),
  customers: z.number().nullable(),
});
/** A row of {@link periodComplaintVolumes}. */
export type DepartmentVolumeRow = z.infer<typeof departmentVolumeRowSchema>;

/**
 * Per department with complaints or volumes in the period: its tickets and the sum of its orders and of its customers
 * over the calendar days (in the period's zone) that start inside the period.
 */
export function periodComplaintVolumes(db: Queryable, q: ReportPeriod): Promise<DepartmentVolumeRow[]> {
  return inPeriod<DepartmentVolumeRow>(
    db,
    q,
    `, v AS (SELECT v.department, sum(v.count) FILTER (WHERE v.kind = 'orders')::float8 AS orders,
                    sum(v.count) FILTER (WHERE v.kind = 'customers')::float8 AS customers
               FROM volumes v, p
              WHERE (v.day::timestamp AT TIME ZONE $4) >= p.t0 AND (v.day::timestamp AT TIME ZONE $4) < p.t1
                AND ($3::text[] IS NULL OR v.department = ANY($3::text[]))
              GROUP BY 1),
        c AS (SELECT department, count(*)::int AS n FROM t GROUP BY 1)
     SELECT department, coalesce(c.n, 0) AS complaints, v.orders, v.customers
       FROM c FULL JOIN v USING (department) ORDER BY department`,
  );
}
