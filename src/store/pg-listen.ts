/** LISTEN on PostgreSQL over a connection of its own (a pooled one would be handed to other work between queries). */
import pg from 'pg';

/** What a listener is told: each payload, and each (re)connection, after which notifications may have been missed. */
export interface ListenHandlers {
  onPayload(payload: string): void;
  onReady?(): void;
}

const RETRY_MS = 1000;

/**
 * Listens to `channel` (a plain identifier) on a dedicated client, reconnecting a second after it is lost; returns
 * the stop (it never throws: an unreachable server is retried). Notifications sent while the connection was down are gone: `onReady` tells the caller to re-read.
 */
export async function pgListen(
  url: string,
  options: string | undefined,
  channel: string,
  h: ListenHandlers,
): Promise<() => Promise<void>> {
  let stopped = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  // One reconnection at a time, whichever of 'end' or a failed attempt asks first.
  const later = () => {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect().catch(later);
    }, RETRY_MS);
  };
  const connect = async (): Promise<void> => {
    // A bounded connect: a stop waits for an attempt in progress, and a server that does not answer must not hang it.
    const c = new pg.Client({ connectionString: url, options, connectionTimeoutMillis: 10_000 });
    // A lost connection emits 'error' then 'end'; 'end' schedules the reconnection.
    c.on('error', () => {});
    c.on('notification', (n) => {
      if (n.channel === channel && n.payload !== undefined) h.onPayload(n.payload);
    });
    c.on('end', () => {
      if (client === c) {
        client = undefined;
        later();
      }
    });
    try {
      await c.connect();
      await c.query(`LISTEN "${channel}"`);
    } catch (e) {
      await c.end().catch(() => undefined);
      throw e;
    }
    if (stopped) {
      await c.end().catch(() => undefined);
      return;
    }
    client = c;
    h.onReady?.();
  };
  // A database not reachable now is tried again a second later, like a lost connection.
  await connect().catch(later);
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await client?.end().catch(() => undefined);
  };
}
