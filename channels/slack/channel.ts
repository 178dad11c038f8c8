/** Slack as a channel: the staff console's routes and socket, its sync, and Slack DMs as a customer channel. */
import { z } from 'zod';
import type { Channel } from '../../src/core/channel.ts';
import { SlackConsole } from './console.ts';
import { SLACK_CHANNEL, slackCustomerSender } from './customer.ts';

/** A Slack customer conversation is reached in its channel, in its thread when it has one. */
export const slackAddressSchema = z.object({ channel: z.string(), thread_ts: z.string().nullish() }).loose();

/** The Slack channel over the console built from `o` (whose `store` is the port channels/slack/port.ts declares). */
export function slackChannel(
  o: ConstructorParameters<typeof SlackConsole>[0] & {
    /** Sync cards every so many seconds (a worker). */ syncSeconds?: number;
  },
): Channel & { console: SlackConsole } {
  const console = new SlackConsole(o);
  return {
    name: SLACK_CHANNEL,
    addressSchema: slackAddressSchema,
    console,
    push: slackCustomerSender(console.app),
    mount: (server) => console.mount(server),
    start() {
      console.start();
      if (o.syncSeconds) console.startSync(o.syncSeconds);
    },
    stop: () => console.stop(),
  };
}
