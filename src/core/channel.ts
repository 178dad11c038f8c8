/** The one shape every channel module exports to the composition root (src/main.ts loops over them). */
import type { z } from 'zod';
import type restify from 'restify';
import type { PushChannel } from './ports.ts';

/**
 * A channel as the composition root sees it. Each `channels/<name>/channel.ts` builds one from the port it declares
 * (what it needs from storage and the engine) and its own settings; it never sees the database.
 */
export interface Channel {
  /** The `Inbound.channel` value of its messages, and the key its push side is registered under. */
  readonly name: string;
  /** What the channel keeps to reach a conversation later (`Inbound.address`); its push side parses it with this. */
  readonly addressSchema: z.ZodType;
  /** Adds its HTTP routes (a web process only). */
  mount?(server: restify.Server): void;
  /** Starts its background work: reading a mailbox, a socket, a sync timer (a worker process only). */
  start?(): void | Promise<void>;
  /** Stops taking work and waits for what is in hand; called in the reverse order of start. */
  stop?(): Promise<void>;
  /** Releases the push side's connections (an SMTP pool), once the outbox has sent what it holds. */
  close?(): void | Promise<void>;
  /** Rejects while a server the channel depends on cannot be reached (GET /readyz). */
  ready?(): Promise<void>;
  /** Sends the engine's replies and follow-ups on the channel (push channels: email, Slack, Bot Framework). */
  readonly push?: PushChannel;
}
