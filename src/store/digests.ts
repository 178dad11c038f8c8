/** Digest claims (one row per kind, period and department, so each digest goes out once) and what a digest lists. */
import type { Queryable } from './db.ts';

/** One department's digest of one kind and period (`periodStart` a local date, YYYY-MM-DD). */
export interface DigestKey {
  kind: 'daily' | 'weekly' | 'monthly';
  periodStart: string;
  department: string;
}

/**
 * Claims the digest `d` at `now`: true when this caller inserted its row, or took over a claim left unsent for 10
 * minutes (a crash); false when it was sent or another caller holds a recent claim.
 */
export async function claimDigest(db: Queryable, d: DigestKey, now: Date): Promise<boolean> {
  const claimed = await db.query(
    `INSERT INTO digests (kind, period_start, department, claimed_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (kind, period_start, department) DO UPDATE SET claimed_at = EXCLUDED.claimed_at
       WHERE digests.sent_at IS NULL AND digests.claimed_at < EXCLUDED.claimed_at - interval '10 minutes'
     RETURNING kind`,
    [d.kind, d.periodStart, d.department, now],
  );
  return claimed.rowCount > 0;
}

/** Records the digest `d` sent at `at`. */
export async function markDigestSent(db: Queryable, d: DigestKey, at: Date): Promise<void> {
  await db.query('UPDATE digests SET sent_at = $4 WHERE kind = $1 AND period_start = $2 AND department = $3', [
    d.kind,
    d.periodStart,
    d.department,
    at,
  ]);
}

/** Gives back the claim on the digest `d` if it was not sent, so a later run tries again. */
export async function releaseDigest(db: Queryable, d: DigestKey): Promise<void> {
  await db.query('DELETE FROM digests WHERE kind = $1 AND period_start = $2 AND department = $3 AND sent_at IS NULL', [
    d.kind,
    d.periodStart,
    d.department,
  ]);
}

/**
 * References of `department`'s tickets created in [from, to) (local dates in `tz`) that missed their SLA: resolved
 * after it, or unresolved, not withdrawn and past it at `now`; in reference order.
 */
export async function slaBreachedReferences(
  db: Queryable,
  o: { department: string; from: string; to: string; tz: string; now: Date },
): Promise<string[]> {
  const breached = await db.query<{ reference: string }>(
    `SELECT reference FROM tickets WHERE department = $1 AND created_at >= ($2::date::timestamp AT TIME ZONE $4) AND created_at < ($3::date::timestamp AT TIME ZONE $4)
        AND ((resolved_at IS NOT NULL AND resolved_at > sla_due_at) OR (resolved_at IS NULL AND status <> 'withdrawn' AND sla_due_at < $5)) ORDER BY reference`,
    [o.department, o.from, o.to, o.tz, o.now],
  );
  return breached.rows.map((r) => r.reference);
}
