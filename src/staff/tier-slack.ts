/**
 * The Slack console's tier port (issue #16 item 6): each card drawn with the customer's tier and the configured
 * choices, and the card's tier select recorded as the staff member who chose.
 */
import type { RoutingConfig } from '../../dialogs/routing-config.ts';
import { effectiveTier } from '../../dialogs/tier-routing.ts';
import { ticketTier } from '../store/customer-tiers.ts';
import type { Db, Queryable } from '../store/db.ts';
import { markSeen } from '../store/slack.ts';
import { setTicketTier } from './tier.ts';

/** The tier as a card shows it (channels/slack/tier.ts CardTier): the customer's, its label, the choices. */
export interface CardTier {
  id: string;
  label: string;
  choices: Array<{ id: string; label: string }>;
}

/** What the sync reads cards from (channels/slack/port.ts SyncStore; src/ may not import a channel, even its types). */
interface Cards {
  unposted(now: Date, limit?: number): Promise<Array<{ id: number }>>;
  withNewEvents(now: Date, limit?: number): Promise<Array<{ card: { id: number } }>>;
}
type Card<T extends Cards> = Awaited<ReturnType<T['unposted']>>[number];
type WithEvents<T extends Cards> = Awaited<ReturnType<T['withNewEvents']>>[number];

/** The tier ticket `ticketId`'s customer has, as its card shows it. */
export async function cardTier(q: Queryable, routing: RoutingConfig, ticketId: number): Promise<CardTier> {
  const id = effectiveTier(routing, await ticketTier(q, ticketId));
  const label = (t: { id: string; label: { en: string } }) => ({ id: t.id, label: t.label.en });
  return {
    ...label(routing.tiers.find((t) => t.id === id)!),
    choices: routing.tiers.map(label),
  };
}

/** `base` with tiers on its cards and the tier action (channels/slack/port.ts ActionStore.tier). */
export function withTiers<T extends Cards>(base: T, db: Db, routing: RoutingConfig) {
  const drawn = async <C extends { id: number }>(c: C): Promise<C & { tier: CardTier }> => ({
    ...c,
    tier: await cardTier(db, routing, c.id),
  });
  return {
    ...base,
    unposted: async (now: Date, limit?: number) =>
      Promise.all(((await base.unposted(now, limit)) as Array<Card<T>>).map(drawn)),
    withNewEvents: async (now: Date, limit?: number) =>
      Promise.all(
        ((await base.withNewEvents(now, limit)) as Array<WithEvents<T>>).map(async (x) => ({
          ...x,
          card: await drawn(x.card as WithEvents<T>['card']),
        })),
      ),
    /** Sets the customer's tier of ticket `reference` as Slack user `user`, once per Slack delivery `key`. */
    async tier(reference: string, tier: string, user: string, key?: string): Promise<void> {
      await db.transaction(async (tx) => {
        if (key && !(await markSeen(tx, key))) return;
        await setTicketTier(tx, routing, { reference, tier, actor: `slack:${user}`, via: 'slack' });
      });
    },
  };
}
