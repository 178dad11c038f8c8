/** Setting a customer's tier (issue #16 item 6): by one of their tickets, or by a contact point. */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import type { RoutingConfig } from '../../dialogs/routing-config.ts';
import { RedressError } from '../core/errors.ts';
import { setCustomerTier, setPointTier, type TierPoint, type TierVia } from '../store/customer-tiers.ts';
import type { Queryable } from '../store/db.ts';
import { addEvent, ticketByReference } from '../store/tickets.ts';

/** The contact point a tier is set for: one of an email address, a phone number, a channel account (`slack:U…`). */
export const contactPointInputSchema = z.object({
  email: z.email().max(320).optional(),
  phone: z.string().trim().min(3).max(40).optional(),
  account: z
    .string()
    .trim()
    .max(200)
    .regex(/^[a-z][a-z0-9_-]*:\S+$/, 'must be a channel account such as slack:U0123456789')
    .optional(),
});
/** A contact point as given. */
export type ContactPointInput = z.infer<typeof contactPointInputSchema>;

/**
 * The identities a contact point stands for, as the channels vouch for them: an email lower-cased, a phone number as a
 * call's `phone:+E.164` account (read in `region` when it has no country code), an account as given.
 */
export function tierPoints(p: ContactPointInput, region?: CountryCode): TierPoint[] {
  const points: TierPoint[] = [];
  if (p.email) points.push({ kind: 'email', value: p.email.trim().toLowerCase() });
  if (p.phone) {
    const n = parsePhoneNumberFromString(p.phone, region);
    if (!n?.isValid())
      throw new RedressError(
        'BAD_REQUEST',
        `"${p.phone}" is not a valid phone number${region ? '' : ' (give it with its country code, +…)'}`,
      );
    points.push({ kind: 'channel', value: `phone:${n.number}` });
  }
  if (p.account) points.push({ kind: 'channel', value: p.account });
  if (!points.length) throw new RedressError('BAD_REQUEST', 'give an email, a phone or an account');
  return points;
}

/** Throws BAD_REQUEST naming the configured tiers unless `tier` is one of them. */
export function checkTier(routing: RoutingConfig, tier: string): void {
  if (!routing.tiers.some((t) => t.id === tier))
    throw new RedressError(
      'BAD_REQUEST',
      `unknown tier "${tier}"; known: ${routing.tiers.map((t) => t.id).join(', ')}`,
    );
}

/**
 * Sets the tier of ticket `reference`'s customer as `actor`; a change is a `tier_changed` ticket event (the Slack card
 * redraws on it) besides the tier record. False when the customer already had that tier.
 */
export async function setTicketTier(
  tx: Queryable,
  routing: RoutingConfig,
  o: { reference: string; tier: string; actor: string; via: TierVia },
): Promise<boolean> {
  checkTier(routing, o.tier);
  const t = await ticketByReference(tx, o.reference, true);
  if (!t) throw new RedressError('NOT_FOUND', `no ticket ${o.reference}`);
  const changed = await setCustomerTier(tx, {
    customerId: t.customer_id,
    ticketId: t.id,
    tier: o.tier,
    actor: o.actor,
    via: o.via,
  });
  if (!changed) return false;
  await addEvent(tx, t.id, 'tier_changed', o.actor, { from: changed.from ?? routing.default_tier, to: o.tier });
  return true;
}

/** Sets the tier of each identity in `points` as `actor`; how many changed (one already at that tier does not). */
export async function setPointsTier(
  tx: Queryable,
  routing: RoutingConfig,
  o: { points: TierPoint[]; tier: string; actor: string; via: TierVia },
): Promise<number> {
  checkTier(routing, o.tier);
  let changed = 0;
  for (const p of o.points) if (await setPointTier(tx, p, o.tier, { actor: o.actor, via: o.via })) changed++;
  return changed;
}
