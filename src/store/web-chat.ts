/** What the web chat channel needs from storage and a bot, without the channel touching SQL. */
import type { Inbound } from '../core/ports.ts';
import type { Db, Queryable } from './db.ts';
import { findConversation, lockConversation } from './conversations.ts';
import { messagesAfter, recordOutbound } from './messages.ts';
import { markSeen, revokeResume, saveResume, useResume } from './web-chat-resumes.ts';
import { listenLive, notifyStreams, notifyTyping, type LiveHandlers } from './live-messages.ts';

/** A notice with key `once` was recorded in conversation `conversationId` (see `notice` below). */
async function noticeGiven(tx: Queryable, conversationId: number, once: string): Promise<boolean> {
  const r = await tx.query(
    `SELECT 1 FROM messages WHERE conversation_id = $1 AND direction = 'out' AND payload->>'notice' = $2 LIMIT 1`,
    [conversationId, once],
  );
  return r.rows.length > 0;
}

/** How often a polling page's presence is written: "away" is measured in minutes, a page polls every second. */
const SEEN_EVERY_SECONDS = 15;

/** Builds the Direct Line backend for `channel`: `handle` runs one turn (the engine, or the benchmark's echo bot). */
export function webChatBackend(
  db: Db,
  channel: string,
  handle: (m: Inbound) => Promise<{ inboundId: number }>,
  clock: () => Date = () => new Date(),
) {
  return {
    openConversation: async (id: string) => {
      await db.transaction((tx) => lockConversation(tx, channel, id));
    },
    conversationExists: async (id: string) => (await findConversation(db, channel, id)) !== undefined,
    handle,
    // A bot message outside a turn (a refused upload), in the conversation's language once it has one. With `once`
    // (a refused activity's client id) it is recorded once only: the key is kept in the notice's payload, and the
    // conversation's row lock makes a concurrent retry wait for the first notice's COMMIT and then find it.
    notice: async (id: string, text: (language: string | undefined) => string, once?: string) => {
      await db.transaction(async (tx) => {
        const conv = await lockConversation(tx, channel, id);
        if (once !== undefined && (await noticeGiven(tx, conv.id, once))) return;
        // A conversation starts with an empty state ('{}'): its language is the default until a first turn.
        const talked = Object.keys((conv.state as object | null) ?? {}).length > 0;
        const [sent] = await recordOutbound(tx, conv, [text(talked ? conv.language : undefined)], {});
        if (once !== undefined && sent)
          await tx.query(`UPDATE messages SET payload = jsonb_build_object('notice', $2::text) WHERE id = $1`, [
            sent.id,
            once,
          ]);
      });
    },
    activitiesAfter: async (id: string, watermark: number, maxBytes: number) => {
      const page = await messagesAfter(db, channel, id, watermark, { maxBytes });
      // The page is reading: the customer is there, so what is sent now needs no email copy (src/core/reach.ts).
      if (page) await markSeen(db, { channel, key: id, now: clock(), everySeconds: SEEN_EVERY_SECONDS });
      return page;
    },
    saveResume: (key: string, digest: Buffer, expiresAt: Date) => saveResume(db, { channel, key, digest, expiresAt }),
    useResume: (digest: Buffer, now: Date, expiresAt: Date) => useResume(db, { channel, digest, now, expiresAt }),
    revokeResume: (digest: Buffer, now: Date) => revokeResume(db, digest, now),
    // Streaming: which conversation a NOTIFY names, and typing told to the process holding the socket.
    live: {
      conversationNumber: async (id: string) => (await findConversation(db, channel, id))?.id,
      notifyTyping: (id: string) => notifyTyping(db, id),
      notifyStreams: (text: string) => notifyStreams(db, text),
      listen: (h: LiveHandlers) => listenLive(db, h),
    },
  };
}
