/** What both halves of the Bot Framework endpoint share: the channel (bot-framework-channel.ts) and botbuilder's side (bot-framework.ts). */
import type { Config } from '../../src/core/config.ts';
import type { Logger } from '../../src/core/log.ts';
import type { Inbound, Outbound } from '../../src/core/ports.ts';

/** The channel name Bot Framework conversations are stored under (the service's own channelId is in the address). */
export const BOT_FRAMEWORK_CHANNEL = 'botframework';

/** What the Bot Framework endpoint needs. */
export interface BotFrameworkOptions {
  settings: Pick<
    Config,
    | 'MicrosoftAppId'
    | 'MicrosoftAppPassword'
    | 'MicrosoftAppType'
    | 'MicrosoftAppTenantId'
    | 'BOT_FRAMEWORK_OPEN'
    | 'BOT_FRAMEWORK_SERVICE_URLS'
    | 'TRUST_PROXY'
  >;
  handle: (m: Inbound) => Promise<{ replies: Outbound[] }>;
  maxBodyBytes: number;
  log?: Logger;
}
