/** The Bot Framework endpoint (POST /api/messages) through botbuilder's CloudAdapter: Azure Bot Service channels, the Emulator. */
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  TurnContext,
  type ConversationReference,
} from 'botbuilder';
import type { Request, Response } from 'restify';
import { RedressError } from '../../src/core/errors.ts';
import { activityFields } from './activity-fields.ts';
import { readJson, sendError } from '../../src/http/http.ts';
import type { PushChannel } from '../../src/core/ports.ts';

import { BOT_FRAMEWORK_CHANNEL, type BotFrameworkOptions } from './bot-framework-options.ts';
import { fromLoopback, type ServiceUrlPolicy } from './service-urls.ts';

/** The handler of POST /api/messages, and the push side that delivers follow-ups proactively. */
export function botFramework(
  o: BotFrameworkOptions,
  policy: ServiceUrlPolicy,
): { handle(req: Request, res: Response): Promise<void>; push: PushChannel } {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: o.settings.MicrosoftAppId,
    MicrosoftAppPassword: o.settings.MicrosoftAppPassword,
    MicrosoftAppType: o.settings.MicrosoftAppType,
    MicrosoftAppTenantId: o.settings.MicrosoftAppTenantId,
  });
  const refuse = (serviceUrl: unknown, client?: { loopback: boolean }) => {
    const why = policy.refusal(serviceUrl, client);
    if (why) throw new RedressError('SERVICE_URL_REFUSED', `not sent: ${why}`);
  };
  // Every connector botbuilder makes (a turn's replies, a proactive follow-up) is made through these factories: the
  // check there is the last word on where the bot sends, whatever path reached it.
  type Factory = ReturnType<ConfigurationBotFrameworkAuthentication['createConnectorFactory']>;
  const guarded = (f: Factory): Factory => ({
    create: async (serviceUrl, audience) => {
      refuse(serviceUrl);
      return f.create(serviceUrl, audience);
    },
  });
  const authenticate = auth.authenticateRequest.bind(auth);
  auth.authenticateRequest = async (activity, header) => {
    const r = await authenticate(activity, header);
    return { ...r, connectorFactory: r.connectorFactory && guarded(r.connectorFactory) };
  };
  const authenticateStreaming = auth.authenticateStreamingRequest.bind(auth);
  auth.authenticateStreamingRequest = async (header, channel) => {
    const r = await authenticateStreaming(header, channel);
    return { ...r, connectorFactory: r.connectorFactory && guarded(r.connectorFactory) };
  };
  const createFactory = auth.createConnectorFactory.bind(auth);
  auth.createConnectorFactory = (identity) => guarded(createFactory(identity));

  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (_ctx, err) => {
    o.log?.error({ err }, 'bot framework turn failed');
    throw err;
  };

  const handle = async (req: Request, res: Response) => {
    try {
      const body = await readJson(req, o.maxBodyBytes);
      (req as unknown as { body: unknown }).body = body;
      // Refused before the turn, so an activity the bot could not answer leaves no conversation, ticket or follow-up
      // behind whose address would point at the caller's host.
      const loopback = fromLoopback(
        req.socket?.remoteAddress,
        req.headers['x-forwarded-for'] as string | undefined,
        o.settings.TRUST_PROXY,
      );
      const serviceUrl = (body as { serviceUrl?: unknown } | null)?.serviceUrl;
      const why = policy.refusal(serviceUrl, { loopback });
      if (why) {
        o.log?.warn({ serviceUrl: String(serviceUrl).slice(0, 200), reason: why }, 'bot framework activity refused');
        throw new RedressError('SERVICE_URL_REFUSED', `activity refused: ${why}`);
      }
      await adapter.process(req, res as never, async (ctx) => {
        const a = ctx.activity;
        if (a.type !== 'message') return;
        const result = await o.handle({
          channel: BOT_FRAMEWORK_CHANNEL,
          conversationKey: `${a.channelId}:${a.conversation.id}`,
          messageKey: `${a.channelId}:${a.conversation.id}:${a.id ?? `${a.timestamp}`}`,
          ...activityFields(a),
          address: TurnContext.getConversationReference(a),
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
        // Checked at send time too: an address stored before this check, or by a process configured otherwise, may
        // name any host. The refusal is permanent; the outbox records it and does not retry.
        refuse(ref?.serviceUrl);
        await adapter.continueConversationAsync(o.settings.MicrosoftAppId ?? '', ref, async (ctx) => {
          await ctx.sendActivities(group.map((m) => ({ type: 'message', text: m.text })));
        });
      },
    },
  };
}
