/** POST /api/messages mounted at start, botbuilder loaded on first use: ~33 MB a process need not hold unless used. */
import type { Request, Response, Server } from 'restify';
import { RedressError } from '../../src/core/errors.ts';
import { sendError } from '../../src/http/http.ts';
import type { PushChannel } from '../../src/core/ports.ts';
import type { BotFrameworkOptions } from './bot-framework-options.ts';
import { serviceUrlPolicy } from './service-urls.ts';

/** Mounts POST /api/messages on `server` (a worker passes none: it only pushes follow-ups); returns the push side. */
export function mountBotFramework(server: Server | undefined, o: BotFrameworkOptions): PushChannel {
  const policy = serviceUrlPolicy(o.settings);
  if (policy.mode === 'off') {
    // Unauthenticated, the endpoint would let anyone make the bot POST to a URL of their choosing (serviceUrl).
    if (server)
      o.log?.info(
        'POST /api/messages is off: set MicrosoftAppId (Azure Bot) or BOT_FRAMEWORK_OPEN=1 (local testing with the Emulator)',
      );
    server?.post('/api/messages', async (_req: Request, res: Response) =>
      sendError(
        res,
        new RedressError(
          'CHANNEL_OFF',
          'the Bot Framework endpoint is off: set MicrosoftAppId and MicrosoftAppPassword, or BOT_FRAMEWORK_OPEN=1 for local testing',
        ),
      ),
    );
    // A stored address from before (or from a process with credentials) is not followed: nothing verified it here.
    return {
      send: async () =>
        Promise.reject(new RedressError('SERVICE_URL_REFUSED', 'not sent: the Bot Framework channel is off')),
    };
  }
  if (policy.mode === 'open' && server)
    o.log?.warn(
      'POST /api/messages is open without authentication (BOT_FRAMEWORK_OPEN=1): for local testing only; replies go only to loopback or listed serviceUrls',
    );
  let loaded: ReturnType<typeof load> | undefined;
  const load = () => import('./bot-framework.ts').then((m) => m.botFramework(o, policy));
  const impl = () => (loaded ??= load());
  server?.post('/api/messages', async (req: Request, res: Response) => (await impl()).handle(req, res));
  return { send: async (group) => (await impl()).push.send(group) };
}
