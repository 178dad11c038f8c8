/** Manager figures of what became of a period's complaints: resolution, first contact, remedies, causes, recovery. */
import { z } from 'zod';
import type { Queryable } from './db.ts';
import { inPeriod, type ReportPeriod } from './report-period.ts';

/** How many of the period's tickets could be resolved (all but withdrawn), were, and were at the first contact. */
export const outcomeCountsSchema = z.object({ resolvable: z.number(), resolved: z.number(), firstContact: z.number() });
/** What {@link periodOutcomes} returns. */
export type OutcomeCounts = z.infer<typeof outcomeCountsSchema>;

/**
 * Counts for the resolution rate and first-contact resolution: a ticket resolved (a status in `resolved`) that was
 * never reopened and had at most one staff reply was resolved at the first contact.
 */
export async function periodOutcomes(
  db: Queryable,
  q: ReportPeriod,
  resolved: readonly string[],
): Promise<OutcomeCounts> {
  const [r] = await inPeriod<OutcomeCounts>(
    db,
    q,
    `, e AS (SELECT e.ticket_id, count(*) FILTER (WHERE e.kind = 'status_reopened') AS reopened,
                    count(*) FILTER (WHERE e.kind = 'staff_reply') AS replies
               FROM ticket_events e JOIN t ON t.id = e.ticket_id
              WHERE e.kind IN ('status_reopened', 'staff_reply') GROUP BY e.ticket_id)
     SELECT count(*) FILTER (WHERE t.status <> 'withdrawn')::int AS resolvable,
            count(*) FILTER (WHERE t.status = ANY($5::text[]))::int AS resolved,
            count(*) FILTER (WHERE t.status = ANY($5::text[]) AND coalesce(e.reopened, 0) = 0
                                AND coalesce(e.replies, 0) <= 1)::int AS "firstContact"
       FROM t LEFT JOIN e ON e.ticket_id = t.id`,
    [resolved],
  );
  return r;
}

/** Remedies given to the period's tickets: how many of each, and their cost to the company per currency. */
export const remedyRowSchema = z.object({
  remedy: z.string(),
  currency: z.string().nullable(),
  n: z.number(),
  cost: z.number().nullable(),
});
/** A row of {@link periodRemedies}. */
export type RemedyRow = z.infer<typeof remedyRowSchema>;

/** Every resolution of the period's tickets counted by remedy and currency (a ticket resolved twice counts twice). */
export function periodRemedies(db: Queryable, q: ReportPeriod): Promise<RemedyRow[]> {
  return inPeriod<RemedyRow>(
    db,
    q,
    `SELECT r.remedy, r.currency, count(*)::int AS n, sum(r.cost)::float8 AS cost
       FROM t JOIN resolutions r ON r.ticket_id = t.id GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2`,
  );
}

/** A root cause of the period's tickets, who was at fault, and on how many tickets. */
export const causeRowSchema = z.object({ cause: z.string(), fault: z.string(), n: z.number() });
/** A row of {@link periodTopCauses}. */
export type CauseRow = z.infer<typeof causeRowSchema>;

/** The ten root causes found on most of the period's tickets (each ticket once per cause). */
export function periodTopCauses(db: Queryable, q: ReportPeriod): Promise<CauseRow[]> {
  return inPeriod<CauseRow>(
    db,
    q,
    `SELECT r.cause, r.fault, count(DISTINCT r.ticket_id)::int AS n
       FROM t JOIN resolutions r ON r.ticket_id = t.id GROUP BY 1, 2 ORDER BY 3 DESC, 1 LIMIT 10`,
  );
}

/** Recovery tasks of the period's tickets per department: opened, the personal contact recorded, recovered. */
export const recoveryRowSchema = z.object({
  department: z.string(),
  tasks: z.number(),
  contacted: z.number(),
  recovered: z.number(),
});
/** A row of {@link periodRecovery}. */
export type RecoveryRow = z.infer<typeof recoveryRowSchema>;

/** The recovery tasks (low scores) of the period's tickets, counted per department. */
export function periodRecovery(db: Queryable, q: ReportPeriod): Promise<RecoveryRow[]> {
  return inPeriod<RecoveryRow>(
    db,
    q,
    `SELECT t.department, count(*)::int AS tasks, count(rt.outcome)::int AS contacted,
            count(*) FILTER (WHERE rt.outcome = 'recovered')::int AS recovered
       FROM t JOIN recovery_tasks rt ON rt.ticket_id = t.id GROUP BY 1 ORDER BY 1`,
  );
}
