/**
 * The benchmarks' baseline: a bare botbuilder echo bot (an ActivityHandler that answers `You said: …`) behind the
 * same Direct Line backend as Redress, stored in the same tables under channel 'echo'. Only the bot differs.
 */
import type { Activity, ConversationAccount, ResourceResponse } from 'botbuilder';
import type { Inbound } from '../../src/core/ports.ts';
import type { Db } from '../../src/store/db.ts';

/** Direct Line backend for a bare botbuilder echo bot, stored in the same tables under channel 'echo'. */
export async function echoBackend(db: Db) {
  const { ActivityHandler, BotAdapter, TurnContext } = await import('botbuilder');
  const { lockConversation } = await import('../../src/store/conversations.ts');
  const { recordInbound, recordOutbound } = await import('../../src/store/messages.ts');
  const { webChatBackend } = await import('../../src/store/web-chat.ts');
  const ECHO = 'echo';
  const REPLIES = Symbol('replies');

  /** Runs a bot on one activity and collects what it sends (no connector, nothing leaves the process). */
  class CollectingAdapter extends BotAdapter {
    async sendActivities(
      context: InstanceType<typeof TurnContext>,
      activities: Partial<Activity>[],
    ): Promise<ResourceResponse[]> {
      (context.turnState.get(REPLIES) as Partial<Activity>[]).push(...activities);
      return activities.map((_, i) => ({ id: String(i) }));
    }
    async updateActivity(): Promise<void> {
      throw new Error('not supported');
    }
    async deleteActivity(): Promise<void> {
      throw new Error('not supported');
    }
    async continueConversation(): Promise<void> {
      throw new Error('not supported');
    }
    async process(
      activity: Partial<Activity>,
      logic: (c: InstanceType<typeof TurnContext>) => Promise<void>,
    ): Promise<Partial<Activity>[]> {
      const context = new TurnContext(this, activity);
      const replies: Partial<Activity>[] = [];
      context.turnState.set(REPLIES, replies);
      await this.runMiddleware(context, logic);
      return replies;
    }
  }

  const bot = new ActivityHandler();
  bot.onMessage(async (context, next) => {
    await context.sendActivity(`You said: ${context.activity.text}`);
    await next();
  });
  const adapter = new CollectingAdapter();

  // The same Direct Line storage as Redress; only the turn differs.
  return webChatBackend(db, ECHO, (m: Inbound) =>
    db.transaction(async (tx) => {
      const conv = await lockConversation(tx, ECHO, m.conversationKey);
      const inboundId = await recordInbound(tx, {
        conversationId: conv.id,
        channel: ECHO,
        messageKey: m.messageKey,
        text: m.text,
        payload: { ...m.payload, sender: m.sender },
      });
      if (inboundId === undefined) {
        const first = await tx.query<{ id: number }>(
          'SELECT id FROM messages WHERE channel = $1 AND message_key = $2',
          [ECHO, m.messageKey],
        );
        return { inboundId: first.rows[0].id };
      }
      const replies = await adapter.process(
        {
          type: 'message',
          id: m.messageKey,
          text: m.text,
          channelId: 'directline',
          serviceUrl: 'http://127.0.0.1',
          timestamp: new Date(),
          from: { id: m.sender.id, name: m.sender.name ?? m.sender.id },
          recipient: { id: 'echo', name: 'Echo' },
          conversation: { id: m.conversationKey } as ConversationAccount,
        },
        (context) => bot.run(context),
      );
      await recordOutbound(tx, conv, replies.map((a) => a.text ?? '').filter(Boolean), { replyTo: inboundId });
      return { inboundId };
    }),
  );
}
