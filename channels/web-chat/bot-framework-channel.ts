/** POST /api/messages mounted at start, botbuilder loaded on first use: ~33 MB a process need not hold unless used. */
import type { Request, Response } from 'restify';
import { z } from 'zod';
import type { Channel } from '../../src/core/channel.ts';
import { RedressError } from '../../src/core/errors.ts';
import { sendError } from '../../src/http/http.ts';
import type { PushChannel } from '../../src/core/ports.ts';
import { BOT_FRAMEWORK_CHANNEL, type BotFrameworkOptions } from './bot-framework-options.ts';
import { serviceUrlPolicy } from './service-urls.ts';

/** A Bot Framework conversation reference: where the service that carried the conversation takes replies. */
export const botFrameworkAddressSchema = z
  .object({ serviceUrl: z.string(), conversation: z.object({ id: z.string() }).loose() })
  .loose();

/**
 * The Bot Framework channel (Azure Bot Service, Teams, the Emulator): POST /api/messages in (a web process mounts it),
 * replies and follow-ups pushed back (any process).
 */
export function botFrameworkChannel(o: BotFrameworkOptions): Channel {
  const policy = serviceUrlPolicy(o.settings);
  let loaded: ReturnType<typeof load> | undefined;
  const load = () => import('./bot-framework.ts').then((m) => m.botFramework(o, policy));
  const impl = () => (loaded ??= load());
  const push: PushChannel =
    policy.mode === 'off'
      ? // A stored address from before (or from a process with credentials) is not followed: nothing verified it here.
        {
          send: async () =>
            Promise.reject(new RedressError('SERVICE_URL_REFUSED', 'not sent: the Bot Framework channel is off')),
        }
      : { send: async (group) => (await impl()).push.send(group) };
  return {
    name: BOT_FRAMEWORK_CHANNEL,
    addressSchema: botFrameworkAddressSchema,
    push,
    mount(server) {
      if (policy.mode === 'off') {
        // Unauthenticated, the endpoint would let anyone make the bot POST to a URL of their choosing (serviceUrl).
        o.log?.info(
          'POST /api/messages is off: set MicrosoftAppId (Azure Bot) or BOT_FRAMEWORK_OPEN=1 (local testing with the Emulator)',
        );
        server.post('/api/messages', async (_req: Request, res: Response) =>
          sendError(
            res,
            new RedressError(
              'CHANNEL_OFF',
              'the Bot Framework endpoint is off: set MicrosoftAppId and MicrosoftAppPassword, or BOT_FRAMEWORK_OPEN=1 for local testing',
            ),
          ),
        );
        return;
      }
      if (policy.mode === 'open')
        o.log?.warn(
          'POST /api/messages is open without authentication (BOT_FRAMEWORK_OPEN=1): for local testing only; replies go only to loopback or listed serviceUrls',
        );
      server.post('/api/messages', async (req: Request, res: Response) => (await impl()).handle(req, res));
    },
  };
}
