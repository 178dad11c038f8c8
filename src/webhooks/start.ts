/** Webhooks at start: every destination checked (refused ones stop the process), the destinations table synced. */
import type { Config } from '../core/config.ts';
import type { Logger } from '../core/log.ts';
import type { Metrics } from '../core/metrics.ts';
import type { Db } from '../store/db.ts';
import { syncWebhookDestinations, webhookDestinationCount } from '../store/webhook-events.ts';
import { AddressPolicy, checkDestinations } from './address-guard.ts';
import { WebhookDelivery } from './delivery.ts';

/**
 * Checks WEBHOOKS against WEBHOOK_ALLOW_PRIVATE (throws CONFIG_INVALID naming each refused URL), makes the database's
 * destinations these (so every change from now on queues events for them) and returns the delivery, which a worker
 * runs (src/compose/background.ts).
 */
export async function prepareWebhooks(
  config: Config,
  o: { db: Db; metrics: Metrics; clock: () => Date; log: Logger },
): Promise<WebhookDelivery> {
  const destinations = config.WEBHOOKS ?? [];
  const policy = new AddressPolicy(config.WEBHOOK_ALLOW_PRIVATE ?? []);
  await checkDestinations(destinations, policy);
  // Unset leaves the database's list alone: a command run from a shell without WEBHOOKS must not switch webhooks off
  // for the servers. WEBHOOKS=[] does.
  if (config.WEBHOOKS) await syncWebhookDestinations(o.db, destinations);
  else if (await webhookDestinationCount(o.db))
    o.log.warn('webhook destinations are registered but WEBHOOKS is unset here: set WEBHOOKS=[] to stop them');
  if (destinations.length)
    o.log.info({ destinations: destinations.map((d) => ({ id: d.id, events: d.events })) }, 'webhooks on');
  return new WebhookDelivery({
    db: o.db,
    destinations,
    policy,
    clock: o.clock,
    log: o.log,
    onFailure: (destination, code) => o.metrics.webhookFailed(destination, code),
  });
}
