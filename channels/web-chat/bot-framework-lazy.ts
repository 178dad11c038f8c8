/** POST /api/messages mounted at start, botbuilder loaded on first use: ~33 MB a process need not hold unless used. */
import type { Request, Response, Server } from 'restify';
import type { Config } from '../../src/config.ts';
import type { Logger } from '../../src/log.ts';
import type { Inbound, Outbound, PushChannel } from '../../src/ports.ts';

/** The channel name Bot Framework conversations are stored under (the service's own channelId is in the address). */
export const BOT_FRAMEWORK_CHANNEL = 'botframework';

/** What the Bot Framework endpoint needs. */
export interface BotFrameworkOptions {
  settings: Pick<Config, 'MicrosoftAppId' | 'MicrosoftAppPassword' | 'MicrosoftAppType' | 'MicrosoftAppTenantId'>;
  handle: (m: Inbound) => Promise<{ replies: Outbound[] }>;
  maxBodyBytes: number;
  log?: Logger;
}

/** Mounts POST /api/messages on `server` (a worker passes none: it only pushes follow-ups); returns the push side. */
export function mountBotFramework(server: Server | undefined, o: BotFrameworkOptions): PushChannel {
  let loaded: ReturnType<typeof load> | undefined;
  const load = () => import('./bot-framework.ts').then((m) => m.botFramework(o));
  const impl = () => (loaded ??= load());
  server?.post('/api/messages', async (req: Request, res: Response) => (await impl()).handle(req, res));
  return { send: async (group) => (await impl()).push.send(group) };
}
