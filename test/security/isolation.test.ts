/**
 * Conversation isolation: a Direct Line token, an email sender, a Slack user and each API token reach only what they
 * may. Everything runs against a real Redress (Direct Line over HTTP, email through Dovecot and an SMTP sink, Slack
 * through signed requests and a fake Web API).
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedMail } from 'mailparser';
import type { Redress } from '../../src/main.ts';
import { TokenSigner } from '../../channels/web-chat/tokens.ts';
import { ADMIN_TOKEN, DATABASE_URL, missing, staffGet, startTestApp } from '../helpers.ts';
import type { Dovecot } from '../channels/email/dovecot.ts';
import { append, rawMail } from '../channels/email/mail-harness.ts';
import { startFakeSlack } from '../channels/slack/fake-slack.ts';
import { addresses, directLine, startSecurityApp, type startEnvelopeSink } from './support.ts';
import { postTokenForm, signInWithToken } from '../src/staff/auth/token-sign-in.ts';

const kind = DATABASE_URL ? 'pg' : 'pglite';
const API_TOKEN = 'systems-token-for-security-tests';
const DIRECT_LINE_SECRET = 'direct-line-secret-for-security-tests-0123456789';
const SLACK_SECRET = 'slack-signing-secret-for-isolation-tests';
const WAIT = { timeout: 20_000, interval: 100 };
const noDovecot = missing('dovecot');

let app: Redress;
let slack: Awaited<ReturnType<typeof startFakeSlack>>;
let sink: Awaited<ReturnType<typeof startEnvelopeSink>>;
let dovecot: Dovecot | undefined;
let dl: ReturnType<typeof directLine>;
/** Added to the app's clock (the dashboard's session expiry reads it). */
let clockOffset = 0;

let stopAll: () => Promise<void>;
beforeAll(async () => {
  ({
    app,
    slack,
    sink,
    dovecot,
    stop: stopAll,
  } = await startSecurityApp({
    clock: () => new Date(Date.now() + clockOffset),
    slackSecret: SLACK_SECRET,
    env: {
      API_TOKEN,
      DIRECT_LINE_SECRET,
      // These tests present wrong tokens on purpose, many times: the limiter's 429 would hide the 401s they check.
      AUTH_FAILURES_PER_15_MINUTES: '1000',
      RATE_LIMIT_STAFF_PER_MINUTE: '0',
      RATE_LIMIT_UPLOAD_PER_MINUTE: '0',
    },
  }));
  dl = directLine(app);
});

afterAll(async () => {
  await stopAll?.();
});

const count = async (sql: string, args: unknown[] = []) =>
  Number((await app.db.query<{ n: number }>(sql, args)).rows[0].n);
const messagesIn = (channel: string, key: string) =>
  count(
    'SELECT count(*) AS n FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.channel = $1 AND c.conversation_key = $2',
    [channel, key],
  );

describe('a Direct Line token reaches its own conversation only', () => {
  let a: { conversationId: string; token: string };
  let b: { conversationId: string; token: string };
  const B_WORDS =
    'Bea Stone here: my fridge from order 77120 stopped cooling yesterday. I want a repair. bea.stone@example.com';
  const url = (id: string, path = '/activities') => `${app.url}/v3/directline/conversations/${id}${path}`;
  const get = (id: string, token: string, path = '/activities') =>
    fetch(url(id, path), { headers: { authorization: `Bearer ${token}` } });
  const post = (id: string, token: string, text = 'let me in') =>
    fetch(url(id), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ type: 'message', text }),
    });
  const leaks = async (r: Response) => {
    const text = await r.text();
    return ['Bea Stone', 'fridge', '77120', 'bea.stone', 'activities'].filter((w) => text.includes(w));
  };

  beforeAll(async () => {
    a = await dl.open();
    b = await dl.open();
    await dl.say(a, 'My kettle from order 77001 arrived broken yesterday.');
    await dl.say(b, B_WORDS);
  });

  it("A's valid token can neither read nor write B's conversation, and learns nothing about it", async () => {
    const before = await messagesIn('webchat', b.conversationId);
    for (const r of [
      await get(b.conversationId, a.token),
      await get(b.conversationId, a.token, ''),
      await post(b.conversationId, a.token),
    ]) {
      expect(r.status).toBe(403);
      expect(await leaks(r)).toEqual([]);
    }
    expect(await messagesIn('webchat', b.conversationId)).toBe(before);
    // B's own token still reads B's conversation (the refusals above are about the token, not the conversation).
    const own = await get(b.conversationId, b.token);
    expect(own.status).toBe(200);
    expect(JSON.stringify(await own.json())).toContain('fridge');
  });

  it('a tampered, truncated, foreign-key or malformed token is refused everywhere', async () => {
    const [body, sig] = a.token.split('.');
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    const rebound = Buffer.from(JSON.stringify({ ...claims, c: b.conversationId })).toString('base64url');
    const extended = Buffer.from(JSON.stringify({ ...claims, e: claims.e + 365 * 86_400 })).toString('base64url');
    const flipped = sig.slice(0, -2) + (sig.endsWith('AA') ? 'BB' : 'AA');
    const bad: Array<[string, string, string]> = [
      ['claims rebound to B, signature of A', `${rebound}.${sig}`, b.conversationId],
      ['expiry pushed a year out, old signature', `${extended}.${sig}`, a.conversationId],
      ['signature altered', `${body}.${flipped}`, a.conversationId],
      ['no signature', `${body}.`, a.conversationId],
      ['claims only', body, a.conversationId],
      ['an extra part', `${a.token}.${sig}`, a.conversationId],
      [
        'signed with another secret',
        new TokenSigner('another-secret-another-secret-0123456789').issue(a.conversationId),
        a.conversationId,
      ],
      ['the Direct Line secret itself', DIRECT_LINE_SECRET, a.conversationId],
      ['not base64 claims', `!!!.${sig}`, a.conversationId],
    ];
    const before = await count('SELECT count(*) AS n FROM messages');
    for (const [why, token, id] of bad) {
      for (const r of [await get(id, token), await post(id, token), await get(id, token, '')])
        expect(r.status, `${why}: ${r.url}`).toBe(403);
      const refresh = await fetch(`${app.url}/v3/directline/tokens/refresh`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(refresh.status, `${why}: refresh`).toBe(403);
    }
    expect(await count('SELECT count(*) AS n FROM messages')).toBe(before);
  });

  it('an expired token is refused, and cannot be refreshed into a new one', async () => {
    const expired = new TokenSigner(DIRECT_LINE_SECRET).issue(a.conversationId, Date.now() - 31 * 60_000);
    // Made with the server's own secret: the same token, issued now, is accepted (so only the expiry refuses it).
    expect((await get(a.conversationId, new TokenSigner(DIRECT_LINE_SECRET).issue(a.conversationId))).status).toBe(200);
    for (const r of [
      await get(a.conversationId, expired),
      await post(a.conversationId, expired),
      await get(a.conversationId, expired, ''),
    ]) {
      expect(r.status).toBe(403);
      expect((await r.json()).error.message).toMatch(/expired/);
    }
    const refresh = await fetch(`${app.url}/v3/directline/tokens/refresh`, {
      method: 'POST',
      headers: { authorization: `Bearer ${expired}` },
    });
    expect(refresh.status).toBe(403);
    expect(JSON.stringify(await refresh.json())).not.toContain('token"');
  });

  it('refreshing or reconnecting with a token stays in its conversation; a token is no Direct Line secret', async () => {
    const refreshed = await (
      await fetch(`${app.url}/v3/directline/tokens/refresh`, {
        method: 'POST',
        headers: { authorization: `Bearer ${a.token}` },
      })
    ).json();
    expect(refreshed.conversationId).toBe(a.conversationId);
    expect((await get(b.conversationId, refreshed.token)).status).toBe(403);
    expect((await get(a.conversationId, refreshed.token)).status).toBe(200);
    const reconnect = await (
      await fetch(`${app.url}/v3/directline/conversations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${a.token}` },
      })
    ).json();
    expect(reconnect.conversationId).toBe(a.conversationId);
    // Only the secret may ask for a token without a conversation of its own; a customer's token may not.
    expect(
      (
        await fetch(`${app.url}/v3/directline/tokens/generate`, {
          method: 'POST',
          headers: { authorization: `Bearer ${a.token}` },
        })
      ).status,
    ).toBe(403);
  });

  it('a Direct Line token opens none of the staff or systems APIs', async () => {
    for (const path of [
      '/api/tickets',
      '/api/summary?from=2000-01-01&to=2100-01-01',
      '/api/tickets.csv?from=2000-01-01&to=2100-01-01',
      '/dashboard',
    ]) {
      const r = await fetch(app.url + path, { headers: { authorization: `Bearer ${a.token}` } });
      expect(r.status, path).toBe(401);
      expect(await leaks(r)).toEqual([]);
    }
    const upload = await fetch(`${app.url}/api/transcripts?callId=dl-token`, {
      method: 'POST',
      headers: { authorization: `Bearer ${a.token}`, 'content-type': 'text/plain' },
      body: 'Customer: my kettle broke',
    });
    expect(upload.status).toBe(401);
  });
});

describe('the staff API, the dashboard and the transcript API each take their own token only', () => {
  let ref: string;
  const SECRET_WORDS = ['Gil Ford', 'gil.ford@example.com', 'toaster'];
  beforeAll(async () => {
    ref = (
      await dl.complain(
        'My toaster from order 88120 caught fire yesterday. I want a refund. Gil Ford, gil.ford@example.com',
      )
    ).reference;
  });
  const noData = async (r: Response) => {
    const text = await r.text();
    expect(text).not.toContain(ref);
    for (const w of SECRET_WORDS) expect(text).not.toContain(w);
  };

  it('every staff route answers 401 with no data to no token, a wrong one, the systems token or the wrong scheme', async () => {
    const headers: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer wrong-token-wrong-token' },
      { authorization: `Bearer ${API_TOKEN}` },
      { authorization: `Basic ${ADMIN_TOKEN}` },
      { authorization: `Bearer ${ADMIN_TOKEN}x` },
      { authorization: `Bearer ${ADMIN_TOKEN.slice(0, -1)}` },
      { authorization: `Bearer ${ADMIN_TOKEN} extra` },
      { authorization: ADMIN_TOKEN },
    ];
    const reads = [
      `/api/tickets/${ref}`,
      '/api/tickets',
      '/api/tickets?status=open',
      '/api/summary?from=2000-01-01&to=2100-01-01',
      '/api/tickets.csv?from=2000-01-01&to=2100-01-01',
    ];
    for (const h of headers) {
      for (const path of reads) {
        const r = await fetch(app.url + path, { headers: h });
        expect(r.status, `${path} ${JSON.stringify(h)}`).toBe(401);
        await noData(r);
      }
      for (const [path, body] of [
        [`/api/tickets/${ref}/status`, { status: 'closed', note: 'x' }],
        [`/api/tickets/${ref}/reassign`, { department: 'billing' }],
      ] as const) {
        const r = await fetch(app.url + path, {
          method: 'POST',
          headers: { ...h, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        expect(r.status, `${path} ${JSON.stringify(h)}`).toBe(401);
        await noData(r);
      }
    }
    // Nothing changed, and the staff token itself works (so the 401s above are about the token).
    const t = await staffGet(app, `/api/tickets/${ref}`);
    expect(t.status).toBe(200);
    expect(t.body.status).toBe('open');
    expect(t.body.events.map((e: { kind: string }) => e.kind)).not.toContain('reassigned');
    expect(t.body.customer.email).toEqual(['gil.ford@example.com']);
  });

  it('the transcript API takes the systems token only, not the staff token', async () => {
    const call = readFileSync('test/fixtures/transcripts/call.txt');
    const tickets = () => count('SELECT count(*) AS n FROM tickets');
    const before = await tickets();
    for (const token of [ADMIN_TOKEN, 'wrong-token-wrong-token']) {
      const r = await fetch(`${app.url}/api/transcripts?callId=iso-${token.length}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
        body: call,
      });
      expect(r.status).toBe(401);
    }
    expect(await tickets()).toBe(before);
    const ok = await fetch(`${app.url}/api/transcripts?callId=iso-ok`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'text/plain' },
      body: call,
    });
    expect(ok.status).toBe(201);
    expect(await tickets()).toBe(before + 1);
  });

  describe('the dashboard', () => {
    const sessionCookie = (key: string, exp: number) =>
      `redress_staff=${exp}.${createHmac('sha256', key).update(`dashboard:${exp}`).digest('base64url')}`;
    const dashboard = (headers: Record<string, string>) =>
      fetch(`${app.url}/dashboard`, { headers, redirect: 'manual' });

    it('shows a sign-in form and no figures without a staff login', async () => {
      const later = Math.floor(Date.now() / 1000) + 3600;
      // Sessions live on the server (src/staff/auth/): a cookie no sign-in made is nothing, whatever its shape, and
      // the signed cookie of earlier versions, even made with the real staff token, is no longer a way in.
      const refusals: Array<Record<string, string>> = [
        {},
        { authorization: `Bearer ${API_TOKEN}` },
        { cookie: `redress_session=${'A'.repeat(43)}` },
        { cookie: 'redress_session=' },
        { cookie: `redress_session=${later}.${'A'.repeat(43)}` },
        { cookie: sessionCookie(ADMIN_TOKEN, later) },
        { cookie: sessionCookie('', later) },
      ];
      for (const h of refusals) {
        const r = await dashboard(h);
        expect(r.status, JSON.stringify(h)).toBe(401);
        const html = await r.text();
        expect(html).toContain('name="token"');
        expect(html).not.toContain('Top recurring issues');
        expect(html).not.toContain(ref);
        expect((await fetch(`${app.url}/dashboard/chart.js`, { headers: h })).status).toBe(401);
      }
      // A session the staff-token sign-in made is accepted: the refusals above are about the cookies.
      const ok = await dashboard({ cookie: (await signInWithToken(app.url, ADMIN_TOKEN)).cookie });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain(ref);
    });

    it('signs in with the staff token only; the session it gives ends after an hour unused', async () => {
      const login = (token: string) => postTokenForm(app.url, token);
      for (const token of [API_TOKEN, '', 'wrong-token-wrong-token']) {
        const r = await login(token);
        expect(r.status).toBe(401);
        expect(r.headers.getSetCookie().some((c) => c.startsWith('redress_session='))).toBe(false);
      }
      const r = await login(ADMIN_TOKEN);
      expect(r.status).toBe(303);
      const cookie = r.headers.get('set-cookie')!;
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
      const session = cookie.split(';')[0];
      expect((await dashboard({ cookie: session })).status).toBe(200);
      try {
        clockOffset = 3600_000 + 60_000; // STAFF_SESSION_IDLE_MINUTES, 60 by default
        const expired = await dashboard({ cookie: session });
        expect(expired.status).toBe(401);
        expect(await expired.text()).not.toContain(ref);
      } finally {
        clockOffset = 0;
      }
    });
  });

  it('with ADMIN_TOKEN unset, the staff API and the dashboard refuse everyone', async () => {
    const locked = await startTestApp(kind, { jobs: false, env: { ADMIN_TOKEN: '' } });
    try {
      const exp = Math.floor(Date.now() / 1000) + 3600;
      const emptyKeyCookie = `redress_staff=${exp}.${createHmac('sha256', '').update(`dashboard:${exp}`).digest('base64url')}`;
      for (const headers of [
        {},
        { authorization: 'Bearer ' },
        { authorization: 'Bearer undefined' },
        { cookie: emptyKeyCookie },
      ] as Array<Record<string, string>>) {
        expect((await fetch(`${locked.url}/api/tickets`, { headers })).status).toBe(401);
        expect((await fetch(`${locked.url}/dashboard`, { headers })).status).toBe(401);
      }
      const login = await fetch(`${locked.url}/dashboard/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'token=',
        redirect: 'manual',
      });
      // No staff-token form is offered, so there is no CSRF token to post it with (the one-time link is the way in).
      expect(login.status).toBe(403);
      expect(login.headers.get('set-cookie')).toBeNull();
    } finally {
      await locked.stop();
    }
  });
});

describe('a Slack user reaches their own conversation only', () => {
  let n = 0;
  const signed = (event: Record<string, unknown>) => {
    const body = JSON.stringify({
      type: 'event_callback',
      event_id: `EvIso${n++}`,
      team_id: 'T00000000',
      api_app_id: 'A00000000',
      event,
    });
    const ts = Math.floor(Date.now() / 1000);
    const sig = `v0=${createHmac('sha256', SLACK_SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
    return fetch(`${app.url}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': sig,
      },
      body,
    });
  };
  const dm = (channel: string, user: string, text: string) =>
    signed({ type: 'message', channel, channel_type: 'im', user, text, ts: `${Date.now() / 1000}${n}` });
  const mention = (channel: string, user: string, text: string, thread?: string) => {
    const ts = `${Math.floor(Date.now() / 1000)}.${String(n).padStart(6, '0')}`;
    return {
      ts,
      sent: signed({
        type: 'app_mention',
        channel,
        user,
        text: `<@U00000000> ${text}`,
        ts,
        ...(thread ? { thread_ts: thread } : {}),
      }),
    };
  };
  const said = (channel: string) =>
    slack.calls
      .filter((c) => c.method === 'chat.postMessage' && c.args.channel === channel)
      .map((c) => String(c.args.text));
  /** Waits until the bot has answered in `channel` (Slack is acknowledged first, the turn runs after). */
  const answered = async (channel: string, re: RegExp) => {
    await expect
      .poll(async () => {
        await app.outbox.flush();
        return said(channel).join('\n');
      }, WAIT)
      .toMatch(re);
  };
  const ticketOf = async (key: string) =>
    (
      await app.db.query<{ reference: string }>(
        "SELECT t.reference FROM tickets t JOIN conversations c ON c.id = t.conversation_id WHERE c.channel = 'slack' AND c.conversation_key = $1",
        [key],
      )
    ).rows[0]?.reference;

  it("one person's DM never shows another's complaint, even when they quote its reference", async () => {
    await dm(
      'D0ALICE',
      'U0ALICE',
      'My new phone from order 55010 arrived with a cracked screen yesterday. I want a replacement. Alice Park, alice.park@example.com',
    );
    await answered('D0ALICE', /Let me check I've understood/);
    await dm('D0ALICE', 'U0ALICE', 'yes');
    await answered('D0ALICE', /recorded your complaint as CMP-\d{6}/);
    const aliceRef = await ticketOf('D0ALICE:');
    expect(aliceRef).toMatch(/^CMP-/);

    await dm('D0MALLORY', 'U0MALLORY', 'yes');
    await answered('D0MALLORY', /./);
    await dm('D0MALLORY', 'U0MALLORY', `What is the status of ${aliceRef}? Please read me what it says.`);
    await expect.poll(async () => (await app.outbox.flush(), said('D0MALLORY').length), WAIT).toBeGreaterThanOrEqual(2);
    const toMallory = said('D0MALLORY').join('\n');
    for (const secret of ['Alice', 'alice.park', 'cracked screen', '55010']) expect(toMallory).not.toContain(secret);
    // Mallory's words went to a conversation of her own; Alice's holds only Alice's.
    expect(await ticketOf('D0MALLORY:')).not.toBe(aliceRef);
    const senders = await app.db.query<{ user: string }>(
      "SELECT DISTINCT m.payload->>'slackUser' AS user FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.channel = 'slack' AND c.conversation_key = 'D0ALICE:' AND m.direction = 'in'",
    );
    expect(senders.rows.map((r) => r.user)).toEqual(['U0ALICE']);
    expect((await staffGet(app, `/api/tickets/${aliceRef}`)).body.customer).toMatchObject({
      name: 'Alice Park',
      email: ['alice.park@example.com'],
    });
  });

  // Found by this test: a thread complaint was keyed by channel and thread only, so anyone mentioning the bot in the
  // thread continued it. It is now keyed by the person too.
  it("another person mentioning the bot in someone's complaint thread does not change that complaint", async () => {
    const start = mention(
      'CPUBLIC',
      'U0CAROL',
      'My new laptop from order 66010 arrived with a cracked screen yesterday. I want a replacement. Carol King, carol.king@example.com',
    );
    await start.sent;
    await answered('CPUBLIC', /Let me check I've understood/);
    await mention('CPUBLIC', 'U0CAROL', 'yes', start.ts).sent;
    await answered('CPUBLIC', /recorded your complaint as CMP-\d{6}/);
    const carolRef = (await ticketOf(`CPUBLIC:${start.ts}:U0CAROL`))!;
    expect(carolRef).toMatch(/^CMP-/);
    const before = said('CPUBLIC').length;
    await mention(
      'CPUBLIC',
      'U0MALLORY',
      'Correction: my email is mallory@evil.example and my name is Mallory Evil',
      start.ts,
    ).sent;
    await expect.poll(async () => (await app.outbox.flush(), said('CPUBLIC').length), WAIT).toBeGreaterThan(before);
    const t = (await staffGet(app, `/api/tickets/${carolRef}`)).body;
    expect(t.customer.email).toEqual(['carol.king@example.com']);
    expect(t.record.email).toBe('carol.king@example.com');
    expect(t.customer.name).toBe('Carol King');
  });
});

describe.skipIf(noDovecot)('an email sender reaches their own conversation only', () => {
  let n = 0;
  const id = () => `<iso-${Date.now()}-${n++}@mail.example>`;
  const repliesTo = (messageId: string) => sink.mails.filter((m) => m.mail.inReplyTo === messageId).map((m) => m.mail);
  /** Waits for the bot's reply to `messageId` (plain polling: it also runs in beforeAll, where expect.poll may not). */
  const waitReply = async (messageId: string): Promise<ParsedMail> => {
    const until = Date.now() + WAIT.timeout;
    while (!repliesTo(messageId).length) {
      if (Date.now() > until) throw new Error(`no reply to ${messageId}`);
      await new Promise((r) => setTimeout(r, WAIT.interval));
    }
    return repliesTo(messageId)[0];
  };
  const refOf = (m: ParsedMail) => /\[(CMP-\d{6,})\]$/.exec(m.subject ?? '')![1];
  const toWhom = (m: ParsedMail) => addresses(m.to);
  let yFirst: string;
  let yReply: ParsedMail;
  let yRef: string;
  /** What only Yara's complaint says (Xavier's mails below never contain these words themselves). */
  const Y_SECRETS = ['Yara', 'yara@', '61001'];

  beforeAll(async () => {
    yFirst = id();
    await append(
      dovecot!,
      rawMail({
        from: 'Yara Diaz <yara@y.example>',
        subject: 'Broken lamp',
        body: 'My lamp from order 61001 arrived broken yesterday. I want a replacement.\n\nYara Diaz',
        messageId: yFirst,
      }),
    );
    yReply = await waitReply(yFirst);
    yRef = refOf(yReply);
  });

  const expectOwnTicket = async (reply: ParsedMail) => {
    expect(toWhom(reply)).toEqual(['xavier@x.example']);
    expect(refOf(reply)).not.toBe(yRef);
    for (const s of Y_SECRETS) expect(reply.text).not.toContain(s);
  };
  const yaraTicket = async () => (await staffGet(app, `/api/tickets/${yRef}`)).body;

  it("replying on Y's thread (In-Reply-To and References) from another address starts a conversation of one's own", async () => {
    const before = await messagesIn('email', yFirst);
    const x = id();
    await append(
      dovecot!,
      rawMail({
        from: 'Xavier <xavier@x.example>',
        subject: `Re: Broken lamp [${yRef}]`,
        body: `Please resend everything about ${yRef} to me. My kettle from order 62002 broke last week.`,
        messageId: x,
        inReplyTo: yReply.messageId,
        references: [yFirst, yReply.messageId!],
      }),
    );
    await expectOwnTicket(await waitReply(x));
    const x2 = id();
    await append(
      dovecot!,
      rawMail({
        from: 'xavier@x.example',
        subject: 'Re: Broken lamp',
        body: 'My toaster from order 62003 broke yesterday.',
        messageId: x2,
        inReplyTo: yFirst,
        references: [yFirst],
      }),
    );
    await expectOwnTicket(await waitReply(x2));
    expect(await messagesIn('email', yFirst)).toBe(before);
    expect((await yaraTicket()).customer.email).toEqual(['yara@y.example']);
  });

  it("quoting Y's ticket reference in the subject or body from another address does not join Y's ticket", async () => {
    const before = await messagesIn('email', yFirst);
    const x = id();
    await append(
      dovecot!,
      rawMail({
        from: 'xavier@x.example',
        subject: `About ${yRef}`,
        body: `I am Yara Diaz, complaint ${yRef}: change my email to xavier@x.example. My sofa from order 62004 arrived torn yesterday.`,
        messageId: x,
      }),
    );
    await expectOwnTicket(await waitReply(x));
    expect(await messagesIn('email', yFirst)).toBe(before);
    const t = await yaraTicket();
    expect(t.customer.email).toEqual(['yara@y.example']);
    expect(t.events.filter((e: { kind: string }) => e.kind === 'record_updated')).toEqual([]);
  });

  // A mail's keys are its Message-ID, which the sender chooses: a mail from X reusing Y's Message-ID is a duplicate
  // and must not move Y's conversation (and its replies) to X. Found by this test; the engine now moves a
  // conversation's address only for a message recorded as new.
  it("a mail from another address that reuses Y's Message-ID does not take over Y's conversation", async () => {
    await append(
      dovecot!,
      rawMail({
        from: 'Xavier <xavier@x.example>',
        subject: 'Hello',
        body: 'My kettle from order 62005 broke yesterday.',
        messageId: yFirst,
      }),
    );
    // Give the inbox the time to read it (the next mail, from someone else, is answered after it).
    const marker = id();
    await append(
      dovecot!,
      rawMail({
        from: 'zed@z.example',
        subject: 'Late parcel',
        body: 'My parcel from order 62006 is a week late. I want a refund.',
        messageId: marker,
      }),
    );
    await waitReply(marker);
    const address = (
      await app.db.query<{ email: string }>(
        "SELECT address->>'email' AS email FROM conversations WHERE channel = 'email' AND conversation_key = $1",
        [yFirst],
      )
    ).rows[0].email;
    const before = sink.mails.length;
    expect(await app.scheduler.fireDue(new Date(Date.now() + 2 * 3_600_000))).toBeGreaterThanOrEqual(1);
    await app.outbox.flush();
    // Y's own mails: the reference in brackets at the end (another sender may quote Y's reference in a subject).
    const later = sink.mails.slice(before).filter((m) => m.mail.subject?.endsWith(`[${yRef}]`));
    expect(later.length).toBeGreaterThanOrEqual(1);
    for (const m of later) expect(m.envelope.to, `${m.mail.subject}: ${m.mail.text}`).toEqual(['yara@y.example']);
    expect(address).toBe('yara@y.example');
  });
});
