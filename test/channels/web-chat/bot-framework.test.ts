/**
 * POST /api/messages and the serviceUrl the bot sends to. A real HTTP listener stands for the host an attacker names
 * as serviceUrl: it must receive nothing, neither the turn's replies nor a follow-up fired later, unless the
 * configuration allows that host.
 */
import { createServer, type Server } from 'node:http';
import { networkInterfaces } from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Redress } from '../../../src/main.ts';
import type { Inbound } from '../../../src/core/ports.ts';
import { DATABASE_URL, startTestApp, testClock } from '../../helpers.ts';

const kind = DATABASE_URL ? 'pg' : 'pglite';
const HOUR = 3_600_000;

/** A local HTTP server that records every request and answers like the Bot Connector. */
async function listener(): Promise<{
  port: number;
  received: Array<{ method: string; url: string; body: string }>;
  close(): Promise<void>;
}> {
  const received: Array<{ method: string; url: string; body: string }> = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', body });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ id: `r${received.length}` }));
    });
  });
  // On every interface, so a test can name it by a non-loopback address too.
  await new Promise<void>((r) => server.listen(0, '0.0.0.0', r));
  return {
    port: (server.address() as { port: number }).port,
    received,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** This machine's first non-loopback IPv4 address: a host that is not loopback yet reaches the test's listener. */
const external = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
const noExternal = (() => {
  if (external) return undefined;
  if (process.env.CI) throw new Error('CI must not skip: no non-loopback IPv4 interface');
  console.warn('SKIPPED (network): no non-loopback IPv4 interface to stand for a foreign host');
  return 'no external interface';
})();

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

let n = 0;
/** One Bot Framework message activity. */
const activity = (serviceUrl: string, conversation: string, text: string, extra: Record<string, unknown> = {}) => ({
  type: 'message',
  id: `a${++n}`,
  channelId: 'emulator',
  serviceUrl,
  from: { id: `user-${conversation}` },
  recipient: { id: 'bot' },
  conversation: { id: conversation },
  text,
  ...extra,
});

const TURNS = [
  'My washing machine from order 30017 has been leaking since last Saturday and I want a repair.',
  'yes',
  'Dana Cruz',
  'dana.cruz@example.com',
];

const count = async (app: Redress, sql: string, params: unknown[] = []) =>
  Number((await app.db.query<{ n: number }>(sql, params)).rows[0].n);

/** Fires every follow-up due by `at` and flushes the outbox at that time, as a worker would then. */
async function later(app: Redress, at: Date): Promise<number> {
  const fired = await app.scheduler.fireDue(at);
  await app.outbox.flush(at);
  return fired;
}

describe('without credentials (the default)', () => {
  let app: Redress;
  const clock = testClock();
  let foreign: Awaited<ReturnType<typeof listener>>;
  beforeAll(async () => {
    foreign = await listener();
    app = await startTestApp(kind, { jobs: false, clock: clock.now });
  });
  afterAll(async () => {
    await app?.stop();
    await foreign?.close();
  });

  it('POST /api/messages is off: 404 CHANNEL_OFF, nothing stored, nothing sent now or later', async () => {
    const r = await post(app.url, activity(`http://127.0.0.1:${foreign.port}/`, 'off-1', TURNS[0]));
    expect(r.status).toBe(404);
    expect((await r.json()).error.code).toBe('CHANNEL_OFF');
    expect(await count(app, "SELECT count(*) AS n FROM messages WHERE channel = 'botframework'")).toBe(0);
    await later(app, new Date(clock.now().getTime() + 30 * 24 * HOUR));
    expect(foreign.received).toEqual([]);
  });

  it('an address stored before the fix is not followed: its replies and follow-up fail as refused, the scheduler goes on', async () => {
    // What the old open endpoint stored: a conversation reference naming the caller's host.
    const address = {
      serviceUrl: `http://127.0.0.1:${foreign.port}/prefix/`,
      channelId: 'emulator',
      conversation: { id: 'old-1' },
      bot: { id: 'bot' },
      user: { id: 'u-old' },
    };
    for (const [i, text] of TURNS.entries()) {
      const m: Inbound = {
        channel: 'botframework',
        conversationKey: 'emulator:old-1',
        messageKey: `emulator:old-1:m${i}`,
        text,
        sender: { id: 'u-old' },
        address,
      };
      await app.engine.handle(m);
    }
    await app.outbox.flush(clock.now());
    const reference = (
      await app.db.query<{ reference: string }>(
        "SELECT t.reference FROM tickets t JOIN conversations c ON c.id = t.conversation_id WHERE c.conversation_key = 'emulator:old-1'",
      )
    ).rows[0]?.reference;
    expect(reference).toMatch(/^CMP-\d{6}$/);

    expect(await later(app, new Date(clock.now().getTime() + 2 * HOUR))).toBeGreaterThanOrEqual(1);
    expect(foreign.received).toEqual([]);
    const out = await app.db.query<{ delivery: string; last_error: string; followup_id: number | null }>(
      "SELECT m.delivery, m.last_error, m.followup_id FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.conversation_key = 'emulator:old-1' AND m.direction = 'out'",
    );
    // The four replies and the acknowledgement: each given up at its first try, with the reason recorded.
    expect(out.rows.length).toBeGreaterThanOrEqual(5);
    expect(out.rows.some((r) => r.followup_id !== null)).toBe(true);
    for (const r of out.rows)
      expect(r).toMatchObject({ delivery: 'failed', last_error: expect.stringContaining('not sent') });
    expect(
      await count(
        app,
        "SELECT count(*) AS n FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE t.reference = $1 AND e.kind = 'delivery_gave_up'",
        [reference],
      ),
    ).toBeGreaterThanOrEqual(1);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });
});

describe('BOT_FRAMEWORK_OPEN=1 (the Emulator, no credentials)', () => {
  let app: Redress;
  const clock = testClock();
  let emulator: Awaited<ReturnType<typeof listener>>;
  let foreign: Awaited<ReturnType<typeof listener>>;
  beforeAll(async () => {
    emulator = await listener();
    foreign = await listener();
    // On every interface, so a client on another address can be tried too.
    app = await startTestApp(kind, {
      jobs: false,
      clock: clock.now,
      env: { BOT_FRAMEWORK_OPEN: '1', HOST: '0.0.0.0' },
    });
  });
  afterAll(async () => {
    await app?.stop();
    await emulator?.close();
    await foreign?.close();
  });
  afterEach(() => {
    // Whatever a test did, the host nothing allows never heard from the bot.
    expect(foreign.received).toEqual([]);
  });

  it('a loopback serviceUrl from this machine gets the replies and, later, the follow-up', async () => {
    const serviceUrl = `http://127.0.0.1:${emulator.port}/`;
    for (const text of TURNS) {
      const r = await post(app.url, activity(serviceUrl, 'emu-1', text));
      expect(r.status).toBe(200);
    }
    await app.outbox.flush(clock.now());
    const texts = () => emulator.received.map((x) => (JSON.parse(x.body) as { text?: string }).text ?? '').join('\n');
    expect(
      emulator.received.every((x) => x.method === 'POST' && x.url.startsWith('/v3/conversations/emu-1/activities')),
    ).toBe(true);
    expect(texts()).toMatch(/recorded your complaint as CMP-\d{6}/);
    const reference = /CMP-\d{6}/.exec(texts())![0];
    expect(await later(app, new Date(clock.now().getTime() + 2 * HOUR))).toBeGreaterThanOrEqual(1);
    expect(texts()).toMatch(new RegExp(`confirm we have received complaint ${reference}`));
  });

  it.skipIf(noExternal)(
    'a serviceUrl on another host is refused with 403 SERVICE_URL_REFUSED: nothing stored, nothing sent now or later',
    async () => {
      const before = await count(app, 'SELECT count(*) AS n FROM messages');
      for (const extra of [{}, { deliveryMode: 'expectReplies' }]) {
        const r = await post(app.url, activity(`http://${external}:${foreign.port}/`, 'foreign-1', TURNS[0], extra));
        expect(r.status).toBe(403);
        expect((await r.json()).error.code).toBe('SERVICE_URL_REFUSED');
      }
      expect(await count(app, 'SELECT count(*) AS n FROM messages')).toBe(before);
      await later(app, new Date(clock.now().getTime() + 30 * 24 * HOUR));
    },
  );

  it.skipIf(noExternal)(
    'a loopback serviceUrl sent from another machine is refused (it would reach services on the bot host)',
    async () => {
      const port = new URL(app.url).port;
      const before = emulator.received.length;
      const r = await post(
        `http://${external}:${port}`,
        activity(`http://127.0.0.1:${emulator.port}/`, 'remote-1', TURNS[0]),
      );
      expect(r.status).toBe(403);
      expect((await r.json()).error.code).toBe('SERVICE_URL_REFUSED');
      await app.outbox.flush(clock.now());
      expect(emulator.received.length).toBe(before);
    },
  );

  it.skipIf(noExternal)('a stored address whose host is not allowed is refused at send time', async () => {
    const serviceUrl = `http://127.0.0.1:${emulator.port}/`;
    for (const text of TURNS) expect((await post(app.url, activity(serviceUrl, 'moved-1', text))).status).toBe(200);
    await app.outbox.flush(clock.now());
    // The stored reference now names a host nothing allows (as an address written before the check would).
    await app.db.query(
      "UPDATE conversations SET address = jsonb_set(address, '{serviceUrl}', to_jsonb($1::text)) WHERE conversation_key = 'emulator:moved-1'",
      [`http://${external}:${foreign.port}/`],
    );
    const at = new Date(clock.now().getTime() + 2 * HOUR);
    expect(await app.scheduler.fireDue(at)).toBeGreaterThanOrEqual(1);
    expect(await app.outbox.flush(at)).toMatchObject({ failed: expect.any(Number) });
    const ack = await app.db.query<{ delivery: string }>(
      "SELECT m.delivery FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.conversation_key = 'emulator:moved-1' AND m.followup_id IS NOT NULL",
    );
    expect(ack.rows.map((r) => r.delivery)).toEqual(['failed']);
  });

  it('the serviceUrl must be an http(s) URL without credentials', async () => {
    for (const serviceUrl of ['file:///etc/passwd', `http://user:pw@127.0.0.1:${emulator.port}/`, 'not a url', 42]) {
      const r = await post(
        app.url,
        activity(serviceUrl as string, 'bad-1', TURNS[0], { deliveryMode: 'expectReplies' }),
      );
      expect(r.status).toBe(403);
      expect((await r.json()).error.code).toBe('SERVICE_URL_REFUSED');
    }
  });
});

describe('with Azure Bot credentials', () => {
  let app: Redress;
  let foreign: Awaited<ReturnType<typeof listener>>;
  beforeAll(async () => {
    foreign = await listener();
    app = await startTestApp(kind, {
      jobs: false,
      env: { MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'not-a-real-secret' },
    });
  });
  afterAll(async () => {
    await app?.stop();
    await foreign?.close();
  });

  it('an unsigned activity is refused with 401, and a serviceUrl outside Microsoft channel hosts with 403, before any turn', async () => {
    const unsigned = await post(app.url, activity('https://webchat.botframework.com/', 'v-1', TURNS[0]));
    expect(unsigned.status).toBe(401);
    const forged = await post(app.url, activity(`http://127.0.0.1:${foreign.port}/`, 'v-2', TURNS[0]), {
      authorization: 'Bearer not.a.token',
    });
    expect(forged.status).toBe(403);
    expect((await forged.json()).error.code).toBe('SERVICE_URL_REFUSED');
    expect(await count(app, "SELECT count(*) AS n FROM messages WHERE channel = 'botframework'")).toBe(0);
    expect(foreign.received).toEqual([]);
  });
});
