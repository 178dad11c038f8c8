import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { Redress } from '../../../src/main.ts';
import { DATABASE_URL, staffGet, startTestApp } from '../../helpers.ts';
import { startFakeSlack } from './fake-slack.ts';

// `/complaints` answers about a department only to members of its channel (conversations.members, through the fake
// Slack at its HTTP edge) or its named staff, wherever the command is typed.
const SECRET = 'slack-signing-secret-for-tests';
const QUALITY = 'U0QUAL01'; // member of #quality only
const BILLING = 'U0BILL01'; // member of #billing only
const BOSS = 'U0BOSS01'; // billing's named staff, in no channel
const OUTSIDER = 'U0OUTSIDE'; // any workspace member
const routing = parse(readFileSync('dialogs/routing.yaml', 'utf8'));
for (const d of routing.departments) d.slack_channel = `C${d.id.toUpperCase().replace(/_/g, '')}`;
routing.departments.find((d: any) => d.id === 'billing').staff = [BOSS];
const dir = mkdtempSync(join(tmpdir(), 'redress-slack-cmd-'));
writeFileSync(join(dir, 'routing.yaml'), stringify(routing));

let app: Redress;
let slack: Awaited<ReturnType<typeof startFakeSlack>>;
beforeAll(async () => {
  slack = await startFakeSlack();
  for (const d of routing.departments)
    slack.members(d.slack_channel, d.id === 'quality' ? [QUALITY] : d.id === 'billing' ? [BILLING] : []);
  app = await startTestApp(DATABASE_URL ? 'pg' : 'pglite', {
    jobs: false,
    env: {
      ROUTING_CONFIG: join(dir, 'routing.yaml'),
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.url,
    },
  });
});
afterAll(async () => {
  await app?.stop();
  await slack?.close();
});

/** `/complaints <text>` typed by `user` in `channel`, signed as Slack signs it; the ephemeral answer's text. */
async function command(user: string, channel: string, text: string): Promise<string> {
  const body = new URLSearchParams({
    token: 'legacy',
    team_id: 'T00000000',
    channel_id: channel,
    channel_name: 'x',
    user_id: user,
    user_name: 'someone',
    command: '/complaints',
    text,
    response_url: 'https://hooks.slack.com/commands/T0/1/x',
    trigger_id: '1.2.3',
    api_app_id: 'A00000000',
  }).toString();
  const ts = Math.floor(Date.now() / 1000);
  const sig = `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  const r = await fetch(`${app.url}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': sig,
    },
    body,
  });
  expect(r.status).toBe(200);
  const answer = await r.json();
  expect(answer.response_type).toBe('ephemeral');
  return answer.text;
}

let k = 0;
const complain = async (key: string, text: string) => {
  await app.engine.handle({
    channel: 'webchat',
    conversationKey: key,
    messageKey: `${key}-${k++}`,
    text,
    sender: { id: key },
  });
  return (
    await app.engine.handle({
      channel: 'webchat',
      conversationKey: key,
      messageKey: `${key}-${k++}`,
      text: 'yes',
      sender: { id: key },
    })
  ).ticketReference!;
};
/** The answer with ticket references made anonymous, to compare "not yours" with "does not exist". */
const anon = (s: string) => s.replace(/CMP-\d{6}/g, 'CMP-x');

describe('/complaints', () => {
  let quality: string;
  let billing: string;
  beforeAll(async () => {
    quality = await complain(
      'cmd-q',
      'My new phone from order 66001 arrived with a cracked screen yesterday. I want a replacement. Di Ho, di@example.com',
    );
    billing = await complain(
      'cmd-b',
      'I was charged twice for my subscription, account 778121, yesterday. I want a refund. Mo Diaz, mo@example.com',
    );
    expect((await staffGet(app, `/api/tickets/${quality}`)).body.department).toBe('quality');
    expect((await staffGet(app, `/api/tickets/${billing}`)).body.department).toBe('billing');
  });

  // First, while nothing is cached: the membership lookups fail, and the answer says so without telling anything.
  it('while Slack cannot be asked, refuses and says why, and a real ticket looks like an unknown one', async () => {
    slack.down();
    try {
      expect(await command(QUALITY, 'CQUALITY', 'open')).toBe(
        "Some departments' channels could not be checked just now; try again in a minute.",
      );
      const real = await command(QUALITY, 'CQUALITY', quality);
      expect(real).toMatch(/^No ticket CMP-\d{6}\./);
      expect(anon(real)).toBe(anon(await command(QUALITY, 'CQUALITY', 'CMP-999999')));
    } finally {
      slack.up();
    }
  });

  it('a non-member, in the department channel or elsewhere, is refused the list and sees no ticket', async () => {
    for (const where of ['CQUALITY', 'C0RANDOM']) {
      expect(await command(OUTSIDER, where, 'open')).toBe(
        "Sorry, `/complaints` shows tickets only to members of a department's Slack channel (or its named staff), and you are not one.",
      );
      expect(await command(OUTSIDER, where, '')).toMatch(/^Sorry/);
      // Another department's ticket gets the same answer as a reference that does not exist.
      expect(await command(OUTSIDER, where, quality)).toBe(`No ticket ${quality}.`);
      expect(anon(await command(OUTSIDER, where, quality))).toBe(anon(await command(OUTSIDER, where, 'CMP-999999')));
    }
    const everything = slack.calls
      .filter((c) => c.method === 'chat.postEphemeral' || c.method === 'chat.postMessage')
      .map((c) => JSON.stringify(c.args))
      .join('\n');
    expect(everything).not.toMatch(/cracked screen|charged twice/);
  });

  it("a member sees their department's tickets only, wherever they type the command", async () => {
    for (const where of ['CQUALITY', 'C0RANDOM', 'CBILLING']) {
      const list = await command(QUALITY, where, 'open');
      expect(list).toContain(quality);
      expect(list).not.toContain(billing);
      expect(await command(QUALITY, where, quality)).toMatch(
        new RegExp(`^${quality} — .*quality.*\\n.*cracked screen`, 's'),
      );
      expect(await command(QUALITY, where, billing)).toBe(`No ticket ${billing}.`);
    }
    const other = await command(BILLING, 'CBILLING', 'open');
    expect(other).toContain(billing);
    expect(other).not.toContain(quality);
  });

  it("a department's named staff see its tickets without being a channel member, and only its tickets", async () => {
    const list = await command(BOSS, 'C0RANDOM', 'open');
    expect(list).toContain(billing);
    expect(list).not.toContain(quality);
    expect(await command(BOSS, 'C0RANDOM', billing)).toMatch(
      new RegExp(`^${billing} — .*billing.*\\n.*charged you twice`, 's'),
    );
    expect(await command(BOSS, 'C0RANDOM', quality)).toBe(`No ticket ${quality}.`);
    // In the channel of a department the person cannot see, they get their own departments' list, not that one.
    expect(await command(BOSS, 'CQUALITY', 'open')).toContain(billing);
    expect(await command(BOSS, 'CQUALITY', 'open')).not.toContain(quality);
  });

  it('a member asking for an unknown reference or with a typo gets the plain answers', async () => {
    expect(await command(QUALITY, 'CQUALITY', 'CMP-999999')).toBe('No ticket CMP-999999.');
    expect(await command(QUALITY, 'CQUALITY', 'nonsense')).toMatch(/^Usage/);
  });
});

describe('a Slack customer', () => {
  let sent = 0;
  /** A mention of the bot; Slack is answered before the turn runs, so this waits until the turn is recorded. */
  const mention = async (id: string, user: string, text: string, ts: string, threadTs?: string) => {
    await post(id, user, text, ts, threadTs);
    sent++;
    const turns = async () =>
      Number(
        (
          await app.db.query<{ n: number }>(
            "SELECT count(*) AS n FROM messages WHERE channel = 'slack' AND direction = 'in'",
          )
        ).rows[0].n,
      );
    await expect.poll(turns, { timeout: 15_000 }).toBe(sent);
  };
  const post = (id: string, user: string, text: string, ts: string, threadTs?: string) => {
    const body = JSON.stringify({
      type: 'event_callback',
      event_id: id,
      team_id: 'T00000000',
      event: {
        type: 'app_mention',
        channel: 'C0GENERAL',
        user,
        text: `<@U00000000> ${text}`,
        ts,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      },
    });
    const now = Math.floor(Date.now() / 1000);
    const sig = `v0=${createHmac('sha256', SECRET).update(`v0:${now}:${body}`).digest('hex')}`;
    return fetch(`${app.url}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-slack-request-timestamp': String(now),
        'x-slack-signature': sig,
      },
      body,
    });
  };
  const tickets = async (user: string) =>
    (
      await app.db.query<{ reference: string; routing: { reasons: string[] } }>(
        "SELECT t.reference, t.routing FROM tickets t JOIN conversations c ON c.id = t.conversation_id WHERE c.channel = 'slack' AND c.conversation_key LIKE $1 ORDER BY t.id",
        [`%:${user}`],
      )
    ).rows;

  it('is recognised by their Slack user id in another thread (the console vouches for it)', async () => {
    await mention(
      'EvRep1',
      'U0CUST01',
      'My kettle from order 70011 stopped working yesterday. I want a refund. Bo Lin, bo@example.com',
      '1700000001.000100',
    );
    await mention('EvRep2', 'U0CUST01', 'yes', '1700000001.000200', '1700000001.000100');
    await mention(
      'EvRep3',
      'U0CUST01',
      'My toaster from order 70022 stopped working yesterday. I want a refund. Bo Lin, bo@example.com',
      '1700000002.000100',
    );
    await mention('EvRep4', 'U0CUST01', 'yes', '1700000002.000200', '1700000002.000100');
    expect(await tickets('U0CUST01')).toHaveLength(2);
    const [first, second] = await tickets('U0CUST01');
    expect(first.routing.reasons.filter((r) => /repeat/.test(r))).toEqual([]);
    expect(second.routing.reasons.filter((r) => /repeat/.test(r))).toEqual([
      'serious: repeat complaint by the same customer (1 earlier ticket in 180 days)',
    ]);
    // Another Slack user typing the same email is not that customer.
    await mention(
      'EvRep5',
      'U0CUST02',
      'My heater from order 70033 stopped working yesterday. I want a refund. Bo Lin, bo@example.com',
      '1700000003.000100',
    );
    await mention('EvRep6', 'U0CUST02', 'yes', '1700000003.000200', '1700000003.000100');
    expect(await tickets('U0CUST02')).toHaveLength(1);
    expect((await tickets('U0CUST02'))[0].routing.reasons.filter((r) => /repeat/.test(r))).toEqual([]);
  });
});
