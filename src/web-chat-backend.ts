/** What the web chat channel needs from storage and the engine, without the channel touching SQL. */
import type { Engine } from './engine.ts';
import type { Inbound } from './ports.ts';
import type { Db } from './store/db.ts';
import { findConversation } from './store/conversations.ts';
import { messagesAfter } from './store/messages.ts';

/** Builds the Direct Line backend for `channel` over the engine and the message table. */
export function webChatBackend(db: Db, engine: Engine, channel: string) {
  return {
    openConversation: async (id: string) => {
      await engine.openConversation(channel, id);
    },
    conversationExists: async (id: string) => (await findConversation(db, channel, id)) !== undefined,
    handle: (m: Inbound) => engine.handle(m),
    activitiesAfter: async (id: string, watermark: number) => {
      const c = await findConversation(db, channel, id);
      return c ? messagesAfter(db, c.id, watermark) : [];
    },
  };
}
