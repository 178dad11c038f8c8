import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { Redress } from '../../../src/main.ts';
import { DATABASE_URL, staffGet, startTestApp } from '../../helpers.ts';
import { startFakeSlack } from './fake-slack.ts';

const routing = parse(readFileSync('dialogs/routing.yaml', 'utf8'));
for (const d of routing.departments) d.slack_channel = `C${d.id.toUpperCase().replace(/_/g, '')}`;
routing.departments.find((d: any) => d.id === 'quality').staff = ['U0LEAD01'];
const dir = mkdtempSync(join(tmpdir(), 'redress-socket-'));
writeFileSync(join(dir, 'routing.yaml'), stringify(routing));

let app: Redress;
let slack: Awaited<ReturnType<typeof startFakeSlack>>;
beforeAll(async () => {
  slack = await startFakeSlack();
  for (const d of routing.departments) slack.members(d.slack_channel, ['U0STAFF01']);
  // No signing secret and no public URL: Socket Mode with an app-level token.
  app = await startTestApp(DATABASE_URL ? 'pg' : 'pglite', {
    jobs: false,
    env: {
      ROUTING_CONFIG: join(dir, 'routing.yaml'),
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_APP_TOKEN: 'xapp-1-test',
      SLACK_API_URL: slack.url,
    },
  });
  for (let i = 0; i < 100 && slack.socket.connected() < 1; i++) await new Promise((r) => setTimeout(r, 100));
});
afterAll(async () => {
  await app?.stop();
  await slack?.close();
});

const dmEnvelope = (eventId: string, text: string, ts: string) => ({
  type: 'events_api',
  payload: {
    token: 'x',
    team_id: 'T00000000',
    api_app_id: 'A00000000',
    type: 'event_callback',
    event_id: eventId,
    event_time: 1,
    event: { type: 'message', channel: 'D0SOCKET1', channel_type: 'im', user: 'U0CUSTOMER', text, ts },
  },
});

describe('Slack in Socket Mode', () => {
  it('opens the connection with the app token and does not mount POST /slack/events', async () => {
    expect(slack.calls.some((c) => c.method === 'apps.connections.open')).toBe(true);
    expect(
      (
        await fetch(`${app.url}/slack/events`, {
          method: 'POST',
          body: '{}',
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(404);
  });

  it('a DM over the socket is acknowledged and goes through the dialog once, even when Slack redelivers it', async () => {
    const envelope = dmEnvelope(
      'Ev0SOCK1',
      'My new phone from order 55099 arrived with a cracked screen yesterday. I want a replacement. Ivy Lam, ivy@example.com',
      '1700000000.000100',
    );
    await slack.socket.send(envelope);
    // Every reply the turn wrote is posted (the apology and the restatement are two posts, which the outbox may send
    // on two different wake-ups): counting after the first one alone raced with the second.
    const posted = () =>
      slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === 'D0SOCKET1').length;
    const written = async () =>
      Number(
        (
          await app.db.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM messages WHERE channel = 'slack' AND direction = 'out'",
          )
        ).rows[0].n,
      );
    await expect
      .poll(
        async () => {
          await app.outbox.flush();
          const n = posted();
          return n > 0 && n === (await written());
        },
        { timeout: 5000 },
      )
      .toBe(true);
    const answered = posted();
    await slack.socket.send({ ...envelope, retry_attempt: 1 });
    await app.outbox.flush();
    expect(slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === 'D0SOCKET1')).toHaveLength(
      answered,
    );
    expect((await app.db.query("SELECT 1 FROM messages WHERE channel = 'slack' AND direction = 'in'")).rowCount).toBe(
      1,
    );
  });

  it('a Claim over the socket changes the ticket once; a configured staff member may act without channel membership', async () => {
    await slack.socket.send(dmEnvelope('Ev0SOCK2', 'yes', '1700000000.000200'));
    const ref = await expect
      .poll(
        async () =>
          (await app.db.query<{ reference: string }>("SELECT reference FROM tickets WHERE channel = 'slack'")).rows[0]
            ?.reference,
        { timeout: 5000 },
      )
      .toMatch(/^CMP-/)
      .then(
        async () =>
          (await app.db.query<{ reference: string }>("SELECT reference FROM tickets WHERE channel = 'slack'")).rows[0]
            .reference,
      );
    const claim = (user: string, actionTs: string) => ({
      type: 'interactive',
      payload: {
        type: 'block_actions',
        user: { id: user },
        team: { id: 'T00000000' },
        api_app_id: 'A00000000',
        trigger_id: 't',
        channel: { id: 'CQUALITY' },
        actions: [{ action_id: 'claim', block_id: `ticket:${ref}`, type: 'button', value: ref, action_ts: actionTs }],
      },
    });
    await slack.socket.send(claim('U0LEAD01', '1700000001.1'));
    await slack.socket.send({ ...claim('U0LEAD01', '1700000001.1'), retry_attempt: 1 });
    await expect
      .poll(async () => (await staffGet(app, `/api/tickets/${ref}`)).body.claimedBy, { timeout: 5000 })
      .toBe('U0LEAD01');
    await new Promise((r) => setTimeout(r, 200));
    expect(
      (await staffGet(app, `/api/tickets/${ref}`)).body.events.filter((e: any) => e.kind === 'claimed'),
    ).toHaveLength(1);
  });
});
