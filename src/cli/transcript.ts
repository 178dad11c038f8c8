/** Files a call from the command line through the same core (engine, queue, outbox) as the running bot. */
import type { Inbound } from '../core/ports.ts';
import type { Config } from '../core/config.ts';
import { buildCore } from '../core/build-core.ts';
import { ticketByReference } from '../store/tickets.ts';
import { ticketView } from '../staff/tickets.ts';
import type { Channel } from '../core/channel.ts';

/**
 * Handles one call's inbound message and returns the ticket (or why there is none). `phone` is the phone channel: its
 * push side (email) sends the replies from here; what cannot be sent now stays in the outbox for the running bot.
 */
export async function submitCall(config: Config, inbound: Inbound, phone?: Channel): Promise<unknown> {
  const core = await buildCore(config);
  try {
    if (phone?.push) core.deliver.register(phone.name, phone.push);
    const r = await core.engine.handle(inbound);
    if (!r.ticketReference)
      return { ticket: null, reason: 'no complaint was found in this call, so no ticket was opened' };
    // Awaited here, before the finally block closes the database.
    return await ticketView(core.db, (await ticketByReference(core.db, r.ticketReference))!);
  } finally {
    // The replies are sent (or scheduled for a retry) before the database closes.
    await core.outbox.idle();
    await core.parts.stopAll();
  }
}
