import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type restify from 'restify';
import { RedressError } from '../../../src/core/errors.ts';
import { bearer, readJson, sameSecret, sendError } from '../../../src/http/http.ts';
import {
  ADDRESS_FACTOR,
  clientKey,
  routeClass,
  type RateLimitOptions,
  type RouteClass,
} from '../../../src/http/rate-limit.ts';
import { createServer } from '../../../src/http/server.ts';
import type { Db } from '../../../src/store/db.ts';
import { DATABASE_URL, testDb } from '../../helpers.ts';

const kind = DATABASE_URL ? 'pg' : 'pglite';
const STAFF = 'staff-token-0123456789abcdef';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let db: Db;
beforeAll(async () => {
  db = await testDb(kind);
});
afterAll(async () => {
  await db?.close();
});

/** A server with the shared behaviour and a few routes like the real ones (a public one, a staff one, failing ones). */
async function serve(opts: { rateLimit?: RateLimitOptions } = {}) {
  const server = createServer(db, opts);
  server.get('/hello', async (_req, res) => void res.send(200, { hello: 'world' }));
  server.get('/api/tickets', async (req, res) => {
    try {
      if (!sameSecret(bearer(req), STAFF))
        throw new RedressError('UNAUTHORIZED', 'staff API needs Authorization: Bearer <ADMIN_TOKEN>');
      res.send(200, { tickets: [] });
    } catch (e) {
      sendError(res, e);
    }
  });
  // Thrown, not sent: these reach restify's error path, as a forgotten try/catch would.
  server.get('/boom/sql', async () => void (await db.query('SELECT secret_column FROM no_such_table')));
  server.get('/boom/db', async () => {
    throw new RedressError(
      'DB_CONNECT',
      'cannot open the database: password authentication failed for user "redress" at db.internal:5432',
    );
  });
  server.get('/boom/conflict', async () => {
    throw new RedressError('CONFLICT', 'ticket CMP-000001 changed meanwhile');
  });
  server.post(
    '/echo',
    async (req: restify.Request, res: restify.Response) => void res.send(200, await readJson(req, 64)),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${server.address().port}`;
  const get = (path: string, headers: Record<string, string> = {}) => fetch(url + path, { headers });
  return { server, url, get, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe(`per-client rate limits on ${kind}`, () => {
  const limited: Array<[RouteClass, string]> = [];
  let app: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    app = await serve({
      rateLimit: {
        trustProxy: true,
        budgets: {
          public: { points: 3, seconds: 1 },
          auth: { points: 100, seconds: 60, failedAuth: { points: 2, seconds: 60 } },
        },
        onLimited: (cls, reason) => void limited.push([cls, reason]),
      },
    });
  });
  afterAll(async () => {
    await app?.close();
  });
  const from = (ip: string, extra: Record<string, string> = {}) => ({ 'x-forwarded-for': ip, ...extra });

  it('answers a burst over the budget with 429, Retry-After and a coded body, and serves the client again after it', async () => {
    const statuses: number[] = [];
    let refused: Response | undefined;
    // Outside a chat the address is the client, with ADDRESS_FACTOR times the public budget.
    for (let i = 0; i < 10 * ADDRESS_FACTOR && !refused; i++) {
      const r = await app.get('/hello', from('198.51.100.1'));
      statuses.push(r.status);
      if (r.status === 429) refused = r;
      else await r.arrayBuffer();
    }
    expect(statuses.slice(0, 3 * ADDRESS_FACTOR)).toEqual(Array(3 * ADDRESS_FACTOR).fill(200));
    expect(refused).toBeDefined();
    const retryAfter = Number(refused!.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true);
    expect(await refused!.json()).toEqual({
      error: { code: 'RATE_LIMITED', message: expect.stringMatching(/retry after/) },
    });
    expect(limited).toContainEqual(['public', 'requests']);

    // Another client is unaffected, and so is the health check for the limited one.
    expect((await app.get('/hello', from('198.51.100.2'))).status).toBe(200);
    for (let i = 0; i < 10; i++) expect((await app.get('/healthz', from('198.51.100.1'))).status).toBe(200);

    await sleep(retryAfter * 1000 + 100);
    expect((await app.get('/hello', from('198.51.100.1'))).status).toBe(200);
  });

  it('counts an open chat by its Direct Line token, so customers behind one address do not share a budget; the address has a cap', async () => {
    const chats = await serve({ rateLimit: { trustProxy: true, budgets: { public: { points: 3, seconds: 60 } } } });
    try {
      const office = '203.0.113.50';
      const poll = (token: string) =>
        chats
          .get('/v3/directline/conversations/abc/activities', from(office, { authorization: `Bearer ${token}` }))
          .then((r) => r.status);
      const a = 'token-a-0123456789abcdef';
      const b = 'token-b-0123456789abcdef';
      const statusesA = [await poll(a), await poll(a), await poll(a), await poll(a)];
      expect(statusesA.slice(0, 3)).not.toContain(429);
      expect(statusesA[3]).toBe(429);
      // Another chat from the same office still has its own budget.
      expect([await poll(b), await poll(b), await poll(b)]).not.toContain(429);
      // The page and new tokens count against the address's own budget, ADDRESS_FACTOR chats' worth; so do made-up
      // tokens, each of which looks like a new chat.
      const page = [];
      for (let i = 0; i < 3; i++) page.push((await chats.get('/hello', from(office))).status);
      expect(page).toEqual([200, 200, 200]);
      const invented: number[] = [];
      for (let i = 0; i < 3 * ADDRESS_FACTOR; i++) invented.push(await poll(`made-up-token-${i}-0123456789`));
      // 10 requests from the office (7 in chats, the refused one included, and 3 for the page) counted already.
      expect(invented.filter((x) => x !== 429)).toHaveLength(3 * ADDRESS_FACTOR - 10);
      expect(invented.at(-1)).toBe(429);
      // A chat from another address is not affected; chat A stays refused wherever it comes from (it is one chat).
      const elsewhere = (token: string) =>
        chats
          .get(
            '/v3/directline/conversations/abc/activities',
            from('203.0.113.51', { authorization: `Bearer ${token}` }),
          )
          .then((r) => r.status);
      expect(await elsewhere('token-c-0123456789abcdef')).not.toBe(429);
      expect(await elsewhere(a)).toBe(429);
    } finally {
      await chats.close();
    }
  });

  it('counts a client by the address the trusted proxy saw, whatever it claims to its left', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10 * ADDRESS_FACTOR && !statuses.includes(429); i++)
      statuses.push((await app.get('/hello', from(`10.0.0.${i}, 198.51.100.9`))).status);
    expect(statuses).toContain(429);
    expect(clientKey({ socket: { remoteAddress: '::ffff:192.0.2.4' }, headers: {} } as never)).toBe('192.0.2.4');
    expect(clientKey({ socket: { remoteAddress: '2001:db8:1:2:3:4:5:6' }, headers: {} } as never)).toBe(
      clientKey({ socket: { remoteAddress: '2001:db8:1:2::9' }, headers: {} } as never),
    );
    // Without a trusted proxy the header is the client's own word and is ignored.
    expect(
      clientKey({ socket: { remoteAddress: '192.0.2.4' }, headers: { 'x-forwarded-for': '203.0.113.1' } } as never),
    ).toBe('192.0.2.4');
  });

  it('locks a client out of staff routes after a few failed tokens, even with the right one, and no one else', async () => {
    const wrong = { authorization: 'Bearer not-the-staff-token-000000' };
    const right = { authorization: `Bearer ${STAFF}` };
    expect((await app.get('/api/tickets', from('203.0.113.5', wrong))).status).toBe(401);
    expect((await app.get('/api/tickets', from('203.0.113.5', wrong))).status).toBe(401);
    const locked = await app.get('/api/tickets', from('203.0.113.5', right));
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(1);
    expect((await locked.json()).error.code).toBe('RATE_LIMITED');
    expect(limited).toContainEqual(['auth', 'failed_auth']);
    expect((await app.get('/api/tickets', from('203.0.113.6', right))).status).toBe(200);
    expect((await app.get('/api/%74ickets', from('203.0.113.5', right))).status).toBe(429);
    // A signed-out visit (no credential at all) is not a guess and never locks anyone out.
    for (let i = 0; i < 4; i++) expect((await app.get('/api/tickets', from('203.0.113.7'))).status).toBe(401);
    expect((await app.get('/api/tickets', from('203.0.113.7', right))).status).toBe(200);
    // Public routes have their own budget: the locked-out client can still chat.
    expect((await app.get('/hello', from('203.0.113.5'))).status).toBe(200);
  });

  it('classifies routes: staff, metrics and dashboard as auth, uploads, webhooks, health not at all', () => {
    expect(routeClass('/healthz')).toBeUndefined();
    expect(
      [
        '/api/tickets',
        '/api/tickets.csv',
        '/api/tickets/CMP-000001/status',
        '/api/summary',
        '/dashboard',
        '/dashboard/login',
        '/metrics',
      ].map(routeClass),
    ).toEqual(Array(7).fill('auth'));
    expect(routeClass('/api/transcripts')).toBe('upload');
    expect(routeClass('/slack/events')).toBe('webhook');
    expect(routeClass('/api/messages')).toBe('webhook');
    expect(['/', '/webchat.js', '/v3/directline/conversations', '/unknown'].map(routeClass)).toEqual(
      Array(4).fill('public'),
    );
  });
});

describe(`error responses on ${kind}`, () => {
  let app: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    app = await serve(); // the signature without options still works, and nothing is rate limited
  });
  afterAll(async () => {
    await app?.close();
  });
  const leaks = /no_such_table|secret_column|SELECT|password|db\.internal|\.ts:\d|\bat\s+\S+\s+\(|stack/i;

  it('answers unknown routes and wrong methods in the usual error shape', async () => {
    const nf = await app.get('/nope/<script>');
    expect(nf.status).toBe(404);
    expect(await nf.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'no such resource' } });
    const wrong = await fetch(`${app.url}/hello`, { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toMatch(/GET/);
    expect(await wrong.json()).toEqual({
      error: { code: 'METHOD_NOT_ALLOWED', message: 'DELETE is not allowed here' },
    });
  });

  it('turns a thrown SQL error into a generic 500 and hides the message of a 5xx RedressError', async () => {
    const sql = await app.get('/boom/sql');
    expect(sql.status).toBe(500);
    const text = await sql.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'INTERNAL', message: 'internal error' } });
    expect(text).not.toMatch(leaks);
    const down = await app.get('/boom/db');
    expect(down.status).toBe(503);
    const downText = await down.text();
    // A database that cannot be reached is a 503 the client may retry, in our words, never the driver's.
    expect(JSON.parse(downText)).toEqual({
      error: { code: 'DB_UNAVAILABLE', message: 'the database is unavailable; try again shortly' },
    });
    expect(down.headers.get('retry-after')).toBe('5');
    expect(downText).not.toMatch(leaks);
  });

  it('keeps the message of a thrown 4xx RedressError, and the size and content-type checks of the helpers', async () => {
    const c = await app.get('/boom/conflict');
    expect(c.status).toBe(409);
    expect(await c.json()).toEqual({ error: { code: 'CONFLICT', message: 'ticket CMP-000001 changed meanwhile' } });
    const big = await fetch(`${app.url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ x: 'y'.repeat(100) }),
    });
    expect(big.status).toBe(413);
    expect((await big.json()).error.code).toBe('PAYLOAD_TOO_LARGE');
    const type = await fetch(`${app.url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(type.status).toBe(415);
    expect((await type.json()).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });
});
