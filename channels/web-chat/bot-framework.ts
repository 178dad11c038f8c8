/** The Bot Framework endpoint (POST /api/messages) through botbuilder's CloudAdapter: Azure Bot Service channels, the Emulator. */
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, TurnContext, type ConversationReference } from 'botbuilder';
import type { Request, Response } from 'restify';
import { readJson, sendError } from '../../src/http.ts';
import type { PushChannel } from '../../src/ports.ts';

import { BOT_FRAMEWORK_CHANNEL, type BotFrameworkOptions } from './bot-framework-lazy.ts';

/** The handler of POST /api/messages, and the push side that delivers follow-ups proactively. */
export function botFramework(o: BotFrameworkOptions): { handle(req: Request, res: Response): Promise<void>; push: PushChannel } {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: o.settings.MicrosoftAppId,
    MicrosoftAppPassword: o.settings.MicrosoftAppPassword,
    MicrosoftAppType: o.settings.MicrosoftAppType,
    MicrosoftAppTenantId: o.settings.MicrosoftAppTenantId,
  });
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (_ctx, err) => {
    o.log?.error({ err }, 'bot framework turn failed');
    throw err;
  };

  const handle = async (req: Request, res: Response) => {
    try {
      (req as unknown as { body: unknown }).body = await readJson(req, o.maxBodyBytes);
      await adapter.process(req as never, res as never, async (ctx) => {
        const a = ctx.activity;
        if (a.type !== 'message') return;
        const result = await o.handle({
          channel: BOT_FRAMEWORK_CHANNEL,
          conversationKey: `${a.channelId}:${a.conversation.id}`,
          messageKey: `${a.channelId}:${a.conversation.id}:${a.id ?? `${a.timestamp}`}`,
          text: a.text ?? '',
          sender: { id: a.from?.id ?? 'user', name: a.from?.name },
          attachments: (a.attachments ?? []).map((x) => ({ name: x.name ?? 'attachment', contentType: x.contentType ?? 'application/octet-stream', url: x.contentUrl })),
          address: TurnContext.getConversationReference(a) as unknown as Record<string, unknown>,
          payload: { channelId: a.channelId, locale: a.locale },
        });
        await ctx.sendActivities(result.replies.map((r) => ({ type: 'message', text: r.text })));
      });
    } catch (e) {
      sendError(res, e, o.log);
    }
  };

  return {
    handle,
    push: {
      async send(group) {
        const ref = group[0].address as unknown as ConversationReference;
        await adapter.continueConversationAsync(o.settings.MicrosoftAppId ?? '', ref, async (ctx) => {
          await ctx.sendActivities(group.map((m) => ({ type: 'message', text: m.text })));
        });
      },
    },
  };
}
