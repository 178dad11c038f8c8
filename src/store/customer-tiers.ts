/**
 * Customer tiers (issue #16 item 6): the tier of an identity a channel vouches for (customer_tiers), the tier staff set
 * on one ticket's customer (customers.tier), and the record of every change (customer_tier_changes).
 */
import { z } from 'zod';
import type { Queryable } from './db.ts';
import type { VerifiedContacts } from './verified-contacts.ts';

/** An identity a tier is kept on: an email address (lower-cased) or a channel account (`slack:U…`, `phone:+E.164`). */
export const tierPointSchema = z.object({ kind: z.enum(['email', 'channel']), value: z.string().min(1) });
/** An identity a tier is kept on. */
export type TierPoint = z.infer<typeof tierPointSchema>;

/** How a tier was changed: the staff API, the Slack card, a CSV import. */
export type TierVia = 'api' | 'slack' | 'import';

/** One recorded tier change. */
export const tierChangeSchema = z.object({
  from_tier: z.string().nullable(),
  to_tier: z.string(),
  actor: z.string(),
  via: z.string(),
  created_at: z.coerce.date(),
});
/** One recorded tier change, as read back. */
export type TierChange = z.infer<typeof tierChangeSchema>;

/** The verified points of `v` as identities (email lower-cased, as the email channel and erasure compare it). */
function pointsOf(v: VerifiedContacts): TierPoint[] {
  return [
    ...(v.email ? [{ kind: 'email' as const, value: v.email.trim().toLowerCase() }] : []),
    ...(v.account ? [{ kind: 'channel' as const, value: v.account }] : []),
  ];
}

/**
 * The tier most recently set for customer `customerId` or for any identity it holds as a verified contact point or
 * that the channel vouches for now (`v`); undefined when none was ever set (the configured default applies). Typed,
 * unverified contact points never count: anyone can type a key customer's email address into a chat.
 */
export async function latestTier(
  q: Queryable,
  customerId: number,
  v: VerifiedContacts = {},
): Promise<string | undefined> {
  const points = pointsOf(v);
  const r = await q.query<{ tier: string }>(
    `SELECT tier FROM (
       SELECT ct.tier, ct.set_at FROM customer_tiers ct
        WHERE (ct.kind, ct.value) IN (
                SELECT p.kind, p.value FROM unnest($2::text[], $3::text[]) AS p(kind, value)
                UNION SELECT cp.kind, cp.value FROM contact_points cp
                 WHERE cp.customer_id = $1 AND cp.verified AND cp.kind IN ('email', 'channel'))
       UNION ALL
       SELECT c.tier, c.tier_set_at FROM customers c WHERE c.id = $1 AND c.tier IS NOT NULL
     ) x ORDER BY set_at DESC LIMIT 1`,
    [customerId, points.map((p) => p.kind), points.map((p) => p.value)],
  );
  return r.rows[0]?.tier;
}

/** The tier most recently set for ticket `ticketId`'s customer (see latestTier); undefined when none was. */
export async function ticketTier(q: Queryable, ticketId: number): Promise<string | undefined> {
  const r = await q.query<{ customer_id: number }>('SELECT customer_id FROM tickets WHERE id = $1', [ticketId]);
  return r.rows[0] ? latestTier(q, Number(r.rows[0].customer_id)) : undefined;
}

/** What a change needs: who made it and how. */
export interface TierActor {
  actor: string;
  via: TierVia;
}

/**
 * Sets identity `point`'s tier; false (and nothing recorded) when it already has that tier, so an import run twice
 * changes nothing.
 */
export async function setPointTier(tx: Queryable, point: TierPoint, tier: string, by: TierActor): Promise<boolean> {
  const before = (
    await tx.query<{ tier: string }>('SELECT tier FROM customer_tiers WHERE kind = $1 AND value = $2 FOR UPDATE', [
      point.kind,
      point.value,
    ])
  ).rows[0]?.tier;
  if (before === tier) return false;
  await tx.query(
    `INSERT INTO customer_tiers (kind, value, tier, set_by, set_at) VALUES ($1, $2, $3, $4, now())
     ON CONFLICT (kind, value) DO UPDATE SET tier = EXCLUDED.tier, set_by = EXCLUDED.set_by, set_at = now()`,
    [point.kind, point.value, tier, by.actor],
  );
  await tx.query(
    `INSERT INTO customer_tier_changes (kind, value, from_tier, to_tier, actor, via) VALUES ($1, $2, $3, $4, $5, $6)`,
    [point.kind, point.value, before ?? null, tier, by.actor, by.via],
  );
  return true;
}

/**
 * Sets the tier of ticket `ticketId`'s customer: on the customer row (its conversation's later complaints) and on each
 * identity it holds as a verified contact point (the same person's complaints on any channel). Returns the tier it had
 * (undefined: none set), or null when it already had `tier` and nothing was recorded.
 */
export async function setCustomerTier(
  tx: Queryable,
  o: { customerId: number; ticketId: number; tier: string } & TierActor,
): Promise<{ from: string | undefined } | null> {
  await tx.query('SELECT id FROM customers WHERE id = $1 FOR UPDATE', [o.customerId]);
  const from = await latestTier(tx, o.customerId);
  if (from === o.tier) return null;
  await tx.query('UPDATE customers SET tier = $2, tier_set_at = now(), updated_at = now() WHERE id = $1', [
    o.customerId,
    o.tier,
  ]);
  await tx.query(
    `INSERT INTO customer_tiers (kind, value, tier, set_by, set_at)
     SELECT DISTINCT cp.kind, cp.value, $2, $3, now() FROM contact_points cp
      WHERE cp.customer_id = $1 AND cp.verified AND cp.kind IN ('email', 'channel')
     ON CONFLICT (kind, value) DO UPDATE SET tier = EXCLUDED.tier, set_by = EXCLUDED.set_by, set_at = now()`,
    [o.customerId, o.tier, o.actor],
  );
  await tx.query(
    `INSERT INTO customer_tier_changes (customer_id, ticket_id, from_tier, to_tier, actor, via)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [o.customerId, o.ticketId, from ?? null, o.tier, o.actor, o.via],
  );
  return { from };
}

/** The tier changes of customer `customerId` and of the identities it holds as verified contact points, oldest first. */
export async function tierChanges(q: Queryable, customerId: number): Promise<TierChange[]> {
  const r = await q.query(
    `SELECT from_tier, to_tier, actor, via, created_at FROM customer_tier_changes ch
      WHERE ch.customer_id = $1
         OR (ch.kind, ch.value) IN (SELECT cp.kind, cp.value FROM contact_points cp
                                     WHERE cp.customer_id = $1 AND cp.verified AND cp.kind IN ('email', 'channel'))
      ORDER BY ch.id`,
    [customerId],
  );
  return r.rows.map((row) => tierChangeSchema.parse(row));
}

/** Forgets the tiers of erased identities and their change records: for the customer erasure to call. */
export async function eraseTiers(tx: Queryable, points: TierPoint[]): Promise<void> {
  const args = [points.map((p) => p.kind), points.map((p) => p.value)];
  const match = '(kind, value) IN (SELECT k, v FROM unnest($1::text[], $2::text[]) AS p(k, v))';
  await tx.query(`DELETE FROM customer_tiers WHERE ${match}`, args);
  await tx.query(`DELETE FROM customer_tier_changes WHERE ${match}`, args);
}
