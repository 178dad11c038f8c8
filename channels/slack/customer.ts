/** Slack as a customer channel: a direct message to the bot, or a mention of it, is a customer's turn with the engine. */
import type { App } from '@slack/bolt';
import type { Inbound, PushChannel } from '../../src/core/ports.ts';
import { escapeSlack, unescapeSlack } from './blocks.ts';

/** The channel name complaints made in Slack are stored under. */
export const SLACK_CHANNEL = 'slack';

/** The parts of a Slack message a customer's turn is made of. */
interface CustomerMessage {
  channel: string;
  user?: string;
  text?: string;
  ts?: string;
  thread_ts?: string;
}

/** Registers the customer listeners on `app`: each DM or mention is a turn for `handle`, the same dialog as web chat. */
export function listenCustomers(app: App, handle: ((m: Inbound) => Promise<unknown>) | undefined): void {
  const customer = async (m: CustomerMessage, threaded: boolean) => {
    if (!handle || !m.user || !m.ts) return;
    const thread = threaded ? (m.thread_ts ?? m.ts) : undefined;
    await handle({
      channel: SLACK_CHANNEL,
      // A channel thread may hold several people: each one's complaint is their own conversation. A DM has one.
      conversationKey: thread ? `${m.channel}:${thread}:${m.user}` : `${m.channel}:`,
      messageKey: `${m.channel}:${m.ts}`,
      text: unescapeSlack((m.text ?? '').replace(/<@U[A-Z0-9]+>/g, '')).trim(),
      sender: { id: m.user },
      // Slack signed the request: the user id is theirs, and links their complaints in other threads or DMs.
      verified: { account: `slack:${m.user}` },
      address: { channel: m.channel, thread_ts: thread ?? null },
      payload: { slackUser: m.user },
    });
  };
  app.event('app_mention', async ({ event }) => {
    await customer(event, true);
  });
  app.message(async ({ message }) => {
    const m = message as CustomerMessage & { subtype?: string; bot_id?: string; channel_type?: string };
    // Only a person's own DM: edits, joins and the bot's own posts are not a customer speaking. Everything else in a
    // channel is for the staff listeners (actions.ts).
    if (m.channel_type === 'im' && !m.subtype && !m.bot_id) await customer(m, false);
  });
}

/** The push side of the Slack complaint channel: the bot's replies and follow-ups, in the DM or thread. */
export function slackCustomerSender(app: App): PushChannel {
  return {
    async send(group) {
      const a = group[0].address as { channel?: string; thread_ts?: string | null };
      if (!a.channel) throw new Error('conversation has no Slack channel');
      for (const m of group)
        await app.client.chat.postMessage({
          channel: a.channel,
          ...(a.thread_ts ? { thread_ts: a.thread_ts } : {}),
          text: escapeSlack(m.text),
          unfurl_links: false,
        });
    },
  };
}
