/** Wires the Slack channel when SLACK_BOT_TOKEN and a way in (signing secret or app token) are set. */
import type { SlackConsole } from '../../channels/slack/console.ts';
import type { Channel } from '../core/channel.ts';
import type { Core } from '../core/build-core.ts';
import { slackStore } from '../staff/slack.ts';
import { withTiers } from '../staff/tier-slack.ts';
import { slackLoggedComplaints } from '../staff/slack-logged.ts';
import { recoverySlackStore } from '../staff/recovery-slack.ts';

/** The Slack channel and its console (the digests post with its client), or undefined when not configured. */
export async function slackChannel(
  core: Core,
  background: boolean,
): Promise<{ channel: Channel; console: SlackConsole } | undefined> {
  const { config, db, routing, deliver, outbox, engine, clock, log, jobs } = core;
  if (!config.SLACK_BOT_TOKEN || !(config.SLACK_SIGNING_SECRET || config.SLACK_APP_TOKEN)) return undefined;
  // Bolt is loaded only when Slack is configured.
  const slack = await import('../../channels/slack/channel.ts');
  const channel = slack.slackChannel({
    token: config.SLACK_BOT_TOKEN,
    signingSecret: config.SLACK_SIGNING_SECRET ?? '',
    appToken: config.SLACK_APP_TOKEN,
    apiUrl: config.SLACK_API_URL,
    store: {
      // Cards show the customer's tier, and its select sets it (src/staff/tier-slack.ts).
      ...withTiers(
        slackStore(db, {
          routing,
          deliver,
          onOutbound: () => outbox.kick(),
          satisfactionDays: config.SATISFACTION_CHECK_DAYS,
          clock,
        }),
        db,
        routing,
      ),
      // `/complaints new` takes POST /api/tickets's path (src/staff/staff-logged.ts).
      logComplaint: slackLoggedComplaints({ db, handle: (m) => engine.handle(m), clock }),
      // A low score's recovery contact, recorded from the thread's button (src/staff/recovery-slack.ts).
      ...recoverySlackStore(db, { clock, queue: jobs }),
    },
    routing,
    maxBodyBytes: config.MAX_BODY_BYTES,
    log,
    clock,
    handle: (m) => engine.handle(m),
    syncSeconds: background ? config.SLACK_SYNC_SECONDS : undefined,
  });
  return { channel, console: channel.console };
}
