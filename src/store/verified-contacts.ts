/**
 * Contact points a channel vouched for (contact_points.verified), and the earlier tickets they link a customer to.
 * Typed or spoken contact points are stored unverified by saveCustomerDetails and never link anything: anyone can type
 * someone else's email into a chat, and a lookup by it would tell them whether that address has complained.
 */
import type { Queryable } from './db.ts';

/** What a channel vouches for (the Inbound's `verified`). */
export interface VerifiedContacts {
  email?: string;
  /**
   * The customer's identity on the channel, e.g. `slack:U0123456789` or a call's `phone:+14155550100` (kept apart from
   * the phone numbers shown to staff, which are the ones the customer gave).
   */
  account?: string;
}

/** The verified points as contact_points rows (email lower-cased, as the email channel and erasure compare it). */
function rows(v: VerifiedContacts): Array<['email' | 'channel', string]> {
  const out: Array<['email' | 'channel', string]> = [];
  if (v.email) out.push(['email', v.email.trim().toLowerCase()]);
  if (v.account) out.push(['channel', v.account]);
  return out;
}

/** Records `v` as verified contact points of `customerId` (a point the customer had typed becomes verified). */
export async function saveVerifiedContacts(tx: Queryable, customerId: number, v: VerifiedContacts): Promise<void> {
  for (const [kind, value] of rows(v)) {
    await tx.query(
      `INSERT INTO contact_points (customer_id, kind, value, verified) VALUES ($1, $2, $3, true)
       ON CONFLICT (customer_id, kind, value) DO UPDATE SET verified = true`,
      [customerId, kind, value],
    );
  }
}

/**
 * Tickets opened in the last `days` days by the same customer: the same conversation's customer, or a customer who
 * holds one of `v` as a verified contact point. Unverified points on either side are ignored.
 */
export async function earlierTickets(
  q: Queryable,
  customerId: number,
  v: VerifiedContacts,
  days: number,
): Promise<number> {
  const points = rows(v);
  const r = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM tickets t
      WHERE t.created_at > now() - make_interval(days => $2)
        AND (t.customer_id = $1 OR t.customer_id IN (
              SELECT cp.customer_id FROM contact_points cp
                JOIN unnest($3::text[], $4::text[]) AS p(kind, value) ON cp.kind = p.kind AND cp.value = p.value
               WHERE cp.verified))`,
    [customerId, days, points.map((p) => p[0]), points.map((p) => p[1])],
  );
  return Number(r.rows[0].n);
}
