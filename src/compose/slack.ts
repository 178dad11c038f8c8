/** Wires the Slack staff console (and Slack as a customer channel) when SLACK_BOT_TOKEN and a way in are set. */
import { z } from 'zod';
import type { SlackConsole } from '../../channels/slack/console.ts';
import type { Channel } from '../core/channel.ts';
import type { Core } from '../core/build-core.ts';
import { slackStore } from '../staff/slack.ts';

/** A Slack customer conversation is reached in its channel, in its thread when it has one. */
export const slackAddressSchema = z.object({ channel: z.string(), thread_ts: z.string().nullish() }).loose();

/** The Slack channel and its console (the digests post with the console's client), or undefined when not configured. */
export async function slackChannel(
  core: Core,
  background: boolean,
): Promise<{ channel: Channel; console: SlackConsole } | undefined> {
  const { config, db, routing, deliver, outbox, engine, clock, log } = core;
  if (!config.SLACK_BOT_TOKEN || !(config.SLACK_SIGNING_SECRET || config.SLACK_APP_TOKEN)) return undefined;
  // Bolt is loaded only when Slack is configured.
  const slack = await import('../../channels/slack/console.ts');
  const console = new slack.SlackConsole({
    token: config.SLACK_BOT_TOKEN,
    signingSecret: config.SLACK_SIGNING_SECRET ?? '',
    appToken: config.SLACK_APP_TOKEN,
    apiUrl: config.SLACK_API_URL,
    store: slackStore(db, {
      routing,
      deliver,
      onOutbound: () => outbox.kick(),
      satisfactionDays: config.SATISFACTION_CHECK_DAYS,
      clock,
    }),
    routing,
    maxBodyBytes: config.MAX_BODY_BYTES,
    log,
    clock,
    handle: (m) => engine.handle(m),
  });
  const channel: Channel = {
    name: slack.SLACK_CHANNEL,
    addressSchema: slackAddressSchema,
    push: slack.slackCustomerSender(console.app),
    mount: (server) => console.mount(server),
    start() {
      console.start();
      if (background) console.startSync(config.SLACK_SYNC_SECONDS);
    },
    stop: () => console.stop(),
  };
  return { channel, console };
}
