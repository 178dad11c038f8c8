/**
 * The set-up the Slack console tests share: routing.yaml with a Slack channel per department, the real app pointed at
 * the Web API stand-in (fake-slack.ts), and requests signed as Slack signs them.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { Redress } from '../../../src/main.ts';
import { DATABASE_URL, startTestApp } from '../../helpers.ts';
import { startFakeSlack } from './fake-slack.ts';

/** The signing secret the harness configures. */
export const SLACK_SECRET = 'slack-signing-secret-for-tests';

/** A Redress with Slack on, and the stand-in it talks to. */
export interface SlackApp {
  app: Redress;
  slack: Awaited<ReturnType<typeof startFakeSlack>>;
  routing: any;
  stop(): Promise<void>;
}

/**
 * Starts the app on PostgreSQL (PGlite without DATABASE_URL) with routing.yaml changed by `tweak` after each
 * department got its channel C<ID>; `staff` are members of every department's channel.
 */
export async function startSlackApp(
  o: { tweak?: (routing: any) => void; staff?: string[]; env?: Record<string, string> } = {},
): Promise<SlackApp> {
  const routing = parse(readFileSync('dialogs/routing.yaml', 'utf8'));
  for (const d of routing.departments) d.slack_channel = `C${d.id.toUpperCase().replace(/_/g, '')}`;
  o.tweak?.(routing);
  const dir = mkdtempSync(join(tmpdir(), 'redress-slack-'));
  writeFileSync(join(dir, 'routing.yaml'), stringify(routing));
  const slack = await startFakeSlack();
  for (const d of routing.departments) slack.members(d.slack_channel, o.staff ?? []);
  const app = await startTestApp(DATABASE_URL ? 'pg' : 'pglite', {
    jobs: false,
    env: {
      ROUTING_CONFIG: join(dir, 'routing.yaml'),
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SLACK_SECRET,
      SLACK_API_URL: slack.url,
      ...o.env,
    },
  });
  return {
    app,
    slack,
    routing,
    async stop() {
      await app.stop();
      await slack.close();
    },
  };
}

/** POSTs `body` to /slack/events signed with `secret`, as Slack does. */
export function signedSlack(app: Redress, body: string, type: string, secret = SLACK_SECRET): Promise<Response> {
  const ts = Math.floor(Date.now() / 1000);
  const sig = `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
  return fetch(`${app.url}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': type, 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sig },
    body,
  });
}

/** The form body of a button press on a card in `channel`. */
export function buttonPress(actionId: string, value: string, user: string, channel = 'CQUALITY'): string {
  return `payload=${encodeURIComponent(
    JSON.stringify({
      type: 'block_actions',
      user: { id: user, username: 'staff' },
      team: { id: 'T00000000' },
      api_app_id: 'A00000000',
      token: 'legacy',
      trigger_id: `trig-${Math.random()}`,
      channel: { id: channel },
      container: { type: 'message', message_ts: '1.1', channel_id: channel },
      actions: [
        {
          action_id: actionId,
          block_id: 'b',
          type: 'button',
          value,
          action_ts: `${Date.now() / 1000}${Math.random()}`,
        },
      ],
    }),
  )}`;
}

/** The form body of a modal's submission by `user`: `callbackId` with `metadata` and the fields' `values`. */
export function viewSubmission(
  callbackId: string,
  metadata: string,
  values: unknown,
  user: string,
  viewId: string,
): string {
  return `payload=${encodeURIComponent(
    JSON.stringify({
      type: 'view_submission',
      team: { id: 'T00000000' },
      user: { id: user, username: 'staff' },
      api_app_id: 'A00000000',
      token: 'legacy',
      trigger_id: `trig-${Math.random()}`,
      view: {
        id: viewId,
        hash: `h-${Math.random()}`,
        type: 'modal',
        callback_id: callbackId,
        private_metadata: metadata,
        state: { values },
      },
    }),
  )}`;
}

let turns = 0;
/**
 * A complaint on `channel` taken to a ticket through the engine: a chat message confirmed with "yes", an email read
 * as a letter. Returns the ticket reference.
 */
export async function complainTo(
  app: Redress,
  channel: string,
  key: string,
  text: string,
  address: Record<string, unknown> = {},
): Promise<string> {
  const turn = (t: string, extra: object = {}) =>
    app.engine.handle({
      channel,
      conversationKey: key,
      messageKey: `${key}-${turns++}`,
      text: t,
      sender: { id: key },
      ...extra,
    });
  let r = await turn(text, { address, style: channel === 'email' ? 'letter' : 'chat' });
  if (channel !== 'email') r = await turn('yes');
  if (!r.ticketReference) throw new Error(`no ticket from ${JSON.stringify(text)}`);
  return r.ticketReference;
}
