/** Files a call from the command line through the same engine and database as the running bot. */
import type { Inbound, PushChannel } from '../core/ports.ts';
import { Deliver } from '../core/ports.ts';
import type { Config } from '../core/config.ts';
import { Engine } from '../core/engine.ts';
import { openDb } from '../store/db.ts';
import { migrate } from '../store/migrate.ts';
import { routerFor } from '../router/load.ts';
import { ticketByReference } from '../store/tickets.ts';
import { ticketView } from '../staff/tickets.ts';

/** Handles one call's inbound message and returns the ticket (or why there is none). */
export async function submitCall(config: Config, inbound: Inbound, phonePush?: PushChannel): Promise<unknown> {
  const db = await openDb({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    await migrate(db);
    // Replies by email wait in the outbox; the running bot's outbox sends them.
    const deliver = new Deliver();
    if (phonePush)
      deliver.register(inbound.channel, {
        newExternalId: phonePush.newExternalId,
        send: async () => Promise.reject(new Error('sent by the running bot')),
      });
    const engine = new Engine({ db, router: routerFor(config), config, deliver });
    const r = await engine.handle(inbound);
    if (!r.ticketReference)
      return { ticket: null, reason: 'no complaint was found in this call, so no ticket was opened' };
    // Awaited here, before the finally block closes the database.
    return await ticketView(db, (await ticketByReference(db, r.ticketReference))!);
  } finally {
    await db.close();
  }
}
