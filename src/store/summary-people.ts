/** Figures of a period's tickets per person: SLA met by claimer, low scores recovered by recovery task owner. */
import { z } from 'zod';
import type { Queryable } from './db.ts';
import { inPeriod, type ReportPeriod } from './report-period.ts';

/** One claimer's (null: unclaimed) tickets of the period by SLA, counted as periodSlaByDepartment counts them. */
export const staffSlaRowSchema = z.object({
  staff: z.string().nullable(),
  met: z.number(),
  breached: z.number(),
  pending: z.number(),
});
/** A row of {@link periodSlaByStaff}. */
export type StaffSlaRow = z.infer<typeof staffSlaRowSchema>;

/** SLA figures of the period's tickets per claimer (tickets.claimed_by), unclaimed last; open ones against `now`. */
export function periodSlaByStaff(db: Queryable, q: ReportPeriod, now: Date): Promise<StaffSlaRow[]> {
  return inPeriod<StaffSlaRow>(
    db,
    q,
    `SELECT claimed_by AS staff,
            count(*) FILTER (WHERE resolved_at IS NOT NULL AND resolved_at <= sla_due_at)::int AS met,
            count(*) FILTER (WHERE (resolved_at IS NOT NULL AND resolved_at > sla_due_at) OR (resolved_at IS NULL AND status NOT IN ('withdrawn') AND sla_due_at < $5))::int AS breached,
            count(*) FILTER (WHERE resolved_at IS NULL AND status NOT IN ('withdrawn') AND sla_due_at >= $5)::int AS pending
       FROM t GROUP BY claimed_by ORDER BY claimed_by NULLS LAST`,
    [now],
  );
}

/** One owner's (null: none) recovery tasks of the period's tickets: how many, and how many recovered the customer. */
export const ownerRecoveryRowSchema = z.object({
  owner: z.string().nullable(),
  tasks: z.number(),
  recovered: z.number(),
});
/** A row of {@link periodRecoveryByOwner}. */
export type OwnerRecoveryRow = z.infer<typeof ownerRecoveryRowSchema>;

/** The recovery tasks (every round) of the period's tickets per owner, with those recorded as recovered. */
export function periodRecoveryByOwner(db: Queryable, q: ReportPeriod): Promise<OwnerRecoveryRow[]> {
  return inPeriod<OwnerRecoveryRow>(
    db,
    q,
    `SELECT rt.owner, count(*)::int AS tasks, count(*) FILTER (WHERE rt.outcome = 'recovered')::int AS recovered
       FROM t JOIN recovery_tasks rt ON rt.ticket_id = t.id GROUP BY 1 ORDER BY 1 NULLS LAST`,
  );
}
