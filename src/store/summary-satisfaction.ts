/** Satisfaction of a period's tickets by category, channel, severity, department, staff member and customer tier. */
import { z } from 'zod';
import type { Queryable } from './db.ts';
import { inPeriod, type ReportPeriod } from './report-period.ts';

/**
 * The first and last satisfaction score of each answered ticket of `t` (first by event id): the one definition every
 * satisfaction figure reads (periodSatisfaction, the figures by dimension; the drill-down's `answered` and `low`).
 */
export const TICKET_SCORES = `SELECT t.id AS ticket_id,
            (array_agg((e.data->>'score')::int ORDER BY e.id))[1] AS first_score,
            (array_agg((e.data->>'score')::int ORDER BY e.id DESC))[1] AS last_score
       FROM t JOIN ticket_events e ON e.ticket_id = t.id AND e.kind = 'satisfaction' GROUP BY t.id`;

/** The dimensions satisfaction is read by: staff is the ticket's claimer, tier its customer's (customers.tier). */
export const satisfactionDimensionSchema = z.enum(['category', 'channel', 'severity', 'department', 'staff', 'tier']);
/** A dimension of {@link periodSatisfactionBy}. */
export type SatisfactionDimension = z.infer<typeof satisfactionDimensionSchema>;

/** One value of a dimension (null: no claimer, no tier set): answered tickets and their average first score. */
export const satisfactionByRowSchema = z.object({
  dim: satisfactionDimensionSchema,
  k: z.string().nullable(),
  answered: z.number(),
  average: z.number().nullable(),
});
/** A row of {@link periodSatisfactionBy}. */
export type SatisfactionByRow = z.infer<typeof satisfactionByRowSchema>;

/** The period's answered tickets and average first score per value of every dimension, in one pass. */
export function periodSatisfactionBy(db: Queryable, q: ReportPeriod): Promise<SatisfactionByRow[]> {
  return inPeriod<SatisfactionByRow>(
    db,
    q,
    `SELECT d.dim, d.k, count(*)::int AS answered, avg(s.first_score)::float8 AS average
       FROM (${TICKET_SCORES}) s JOIN t ON t.id = s.ticket_id LEFT JOIN customers c ON c.id = t.customer_id
      CROSS JOIN LATERAL (VALUES ('category', t.category), ('channel', t.channel), ('severity', t.severity),
                                 ('department', t.department), ('staff', t.claimed_by), ('tier', c.tier)) AS d(dim, k)
      GROUP BY 1, 2 ORDER BY 1, 3 DESC, 2 NULLS LAST`,
  );
}
