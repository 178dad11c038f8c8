/** What the web chat channel needs from storage and a bot, without the channel touching SQL. */
import type { Inbound } from '../core/ports.ts';
import type { Db } from './db.ts';
import { findConversation, lockConversation } from './conversations.ts';
import { messagesAfter } from './messages.ts';

/** Builds the Direct Line backend for `channel`: `handle` runs one turn (the engine, or the benchmark's echo bot). */
export function webChatBackend(db: Db, channel: string, handle: (m: Inbound) => Promise<{ inboundId: number }>) {
  return {
    openConversation: async (id: string) => {
      await db.transaction((tx) => lockConversation(tx, channel, id));
    },
    conversationExists: async (id: string) => (await findConversation(db, channel, id)) !== undefined,
    handle,
    activitiesAfter: (id: string, watermark: number, maxBytes: number) =>
      messagesAfter(db, channel, id, watermark, { maxBytes }),
  };
}
