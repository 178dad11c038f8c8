/**
 * NOTIFY when a conversation gains a message, so a process holding that conversation's web chat stream reads it at
 * once, whichever process wrote it. The notification carries only the conversation's id: the listener reads what is
 * new from the messages table by its watermark, so a notification lost (a dropped LISTEN connection) loses nothing.
 */
import type { Db, Queryable } from './db.ts';

// One channel per schema, so test files (a schema each) and deployments sharing a server do not hear one another.
const CHANNEL_SQL = "left('redress_' || current_schema(), 63)";

/** The channel {@link notifyConversation} sends on, as a LISTEN in `db`'s schema names it. */
export function liveChannel(db: Db): string {
  return `redress_${db.schema}`.slice(0, 63);
}

/**
 * Tells listeners that conversation `conversationId` gained messages. Inside a transaction it goes out at COMMIT (and
 * not at all on ROLLBACK); several in one transaction with the same id are sent as one.
 */
export async function notifyConversation(tx: Queryable, conversationId: number): Promise<void> {
  await tx.query(`SELECT pg_notify(${CHANNEL_SQL}, $1)`, [String(conversationId)]);
}

/** Tells listeners that the bot is typing in the web chat conversation `key` (a Direct Line id, a few dozen chars). */
export async function notifyTyping(db: Queryable, key: string): Promise<void> {
  await db.query(`SELECT pg_notify(${CHANNEL_SQL}, $1)`, [`t:${key.slice(0, 200)}`]);
}

/**
 * Tells the other processes' stream hubs `text` (a socket opened or closed, a collision found: a few dozen chars; the
 * sockets a hub holds: up to 7000 ASCII chars). A NOTIFY payload must stay under 8000 bytes.
 */
export async function notifyStreams(db: Queryable, text: string): Promise<void> {
  await db.query(`SELECT pg_notify(${CHANNEL_SQL}, $1)`, [`s:${text.slice(0, 7_900)}`]);
}

/** What a listener hears. */
export interface LiveHandlers {
  /** A conversation (by id) gained messages. */
  messages(conversationId: number): void;
  /** The bot is typing in the conversation with this key. */
  typing(key: string): void;
  /** A message between stream hubs ({@link notifyStreams}). */
  streams(text: string): void;
  /** The listener (re)connected: anything may have been missed before. */
  ready(): void;
}

/** Listens for the notifications above in `db`'s schema; returns the stop. */
export function listenLive(db: Db, h: LiveHandlers): Promise<() => Promise<void>> {
  return db.listen(liveChannel(db), {
    onPayload: (p) => {
      if (p.startsWith('t:')) h.typing(p.slice(2));
      else if (p.startsWith('s:')) h.streams(p.slice(2));
      else if (/^\d{1,16}$/.test(p)) h.messages(Number(p));
    },
    onReady: () => h.ready(),
  });
}
