/**
 * The stream's upgrade guards, with the `ws` client and raw HTTP: the token binds a stream to its conversation, a
 * second socket is closed as a collision, malformed upgrades get a clear refusal, the client may send nothing but
 * empty keep-alives, and one address cannot flood the process with sockets.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Redress } from '../../../src/main.ts';
import { DATABASE_URL, startTestApp } from '../../helpers.ts';
import { newChat } from './stream-client.ts';

const kind = DATABASE_URL ? 'pg' : 'pglite';

type Opened = { ws: WebSocket; status: 101 } | { status: number; body: any; headers: Record<string, unknown> };

/** Opens `url` with the `ws` client: the socket, or the refusal's status, JSON body and headers. */
function open(url: string): Promise<Opened> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve({ ws, status: 101 }));
    ws.once('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(text || 'null'), headers: res.headers }),
      );
    });
    ws.once('error', (e) => reject(e));
  });
}

/** A raw GET with `headers` (an upgrade the `ws` client would not send): the status and the body. */
function raw(url: string, headers: Record<string, string>, method = 'GET'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, body: '' });
    });
    req.on('error', reject);
    req.end();
  });
}

/** The sets received on `ws` (empty heartbeats skipped) until one holds a message, parsed. */
const untilMessage = (ws: WebSocket): Promise<any[]> =>
  new Promise((resolve) => {
    const sets: any[] = [];
    const on = (data: Buffer) => {
      if (!data.length) return;
      sets.push(JSON.parse(String(data)));
      if (!sets.at(-1).activities.some((a: any) => a.type === 'message')) return;
      ws.off('message', on);
      resolve(sets);
    };
    ws.on('message', on);
  });
const closed = (ws: WebSocket): Promise<{ code: number; reason: string }> =>
  new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })));

describe(`stream guards (${kind})`, () => {
  let app: Redress;
  beforeAll(async () => {
    app = await startTestApp(kind, { jobs: false, env: { WEB_CHAT_STREAM_OPENS_PER_MINUTE: '0' } });
  });
  afterAll(async () => {
    await app?.stop();
  });
  const post = (chat: { conversationId: string; token: string }, text: string) =>
    fetch(`${app.url}/v3/directline/conversations/${chat.conversationId}/activities`, {
      method: 'POST',
      headers: { authorization: `Bearer ${chat.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', from: { id: 'u' }, text }),
    });

  it("binds a stream to its token's conversation: another conversation's, a bearer token or none are refused", async () => {
    const a = await newChat(app.url);
    const b = await newChat(app.url);
    const other = await open(
      a.streamUrl.replace(`/conversations/${a.conversationId}/`, `/conversations/${b.conversationId}/`),
    );
    expect(other).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    const url = new URL(a.streamUrl);
    url.searchParams.set('t', a.token);
    expect(await open(String(url))).toMatchObject({
      status: 403,
      body: { error: { message: 'invalid stream token' } },
    });
    url.searchParams.delete('t');
    expect(await open(String(url))).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } } });
    const own = await open(a.streamUrl);
    expect(own.status).toBe(101);
    if ('ws' in own) own.ws.close();
  });

  it('closes a second socket for a conversation as a collision and keeps the first', async () => {
    const chat = await newChat(app.url);
    const first = await open(chat.streamUrl);
    if (!('ws' in first)) throw new Error(`first socket refused: ${first.status}`);
    // The reconnection call hands out a fresh streamUrl for the same conversation.
    const again = await (
      await fetch(`${app.url}/v3/directline/conversations/${chat.conversationId}?watermark=`, {
        headers: { authorization: `Bearer ${chat.token}` },
      })
    ).json();
    const second = await open(again.streamUrl);
    if (!('ws' in second)) throw new Error(`second socket refused: ${second.status}`);
    expect(await closed(second.ws)).toEqual({ code: 1008, reason: 'collision' });
    const sets = untilMessage(first.ws);
    expect((await post(chat, 'The parcel never arrived')).status).toBe(200);
    expect((await sets).at(-1).activities[0]).toMatchObject({ type: 'message', text: 'The parcel never arrived' });
    first.ws.close();
  });

  it('refuses malformed upgrades with a clear HTTP status', async () => {
    const chat = await newChat(app.url);
    const stream = new URL(chat.streamUrl.replace(/^ws/, 'http'));
    const ws = { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13' };
    const key = { 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' };
    const wrongPath = new URL(stream);
    wrongPath.pathname += 's';
    expect(await raw(String(wrongPath), { ...ws, ...key })).toMatchObject({ status: 404 });
    expect(await raw(String(stream), { connection: 'Upgrade', upgrade: 'h2c' })).toMatchObject({
      status: 400,
      body: expect.stringContaining('upgrades to websocket only'),
    });
    expect(await raw(String(stream), ws)).toMatchObject({ status: 400 }); // no Sec-WebSocket-Key
    expect(await raw(String(stream), { ...ws, ...key }, 'POST')).toMatchObject({ status: 405 });
    const badMark = new URL(stream);
    badMark.searchParams.set('watermark', '-1');
    expect(await raw(String(badMark), { ...ws, ...key })).toMatchObject({
      status: 400,
      body: expect.stringContaining('watermark'),
    });
    // The same stream opens when asked properly.
    expect(await raw(String(stream), { ...ws, ...key })).toMatchObject({ status: 101 });
  });

  it("takes the client's empty keep-alives and closes on anything else", async () => {
    const chat = await newChat(app.url);
    const o = await open(chat.streamUrl);
    if (!('ws' in o)) throw new Error(`refused: ${o.status}`);
    o.ws.send(''); // what botframework-directlinejs sends every 20 s
    const sets = untilMessage(o.ws);
    expect((await post(chat, 'My order was wrong')).status).toBe(200);
    const [typing, reply] = await sets;
    // Typing first, at the watermark the socket stands at (nothing sent yet), then the turn's messages.
    expect(typing).toMatchObject({ activities: [{ type: 'typing', from: { role: 'bot' } }], watermark: '0' });
    expect(reply.activities[0]).toMatchObject({ type: 'message', text: 'My order was wrong' });
    expect(reply.watermark).toBe(reply.activities.at(-1).id);
    const end = closed(o.ws);
    o.ws.send('hello');
    expect(await end).toEqual({ code: 1008, reason: 'this stream takes no messages' });
  });
});

describe(`a flood of sockets from one address (${kind})`, () => {
  let app: Redress;
  beforeAll(async () => {
    app = await startTestApp(kind, {
      jobs: false,
      env: { WEB_CHAT_STREAM_OPENS_PER_MINUTE: '3', WEB_CHAT_STREAMS_MAX: '1' },
    });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('is capped per process (503) and rate-limited per address (429), before any upgrade', async () => {
    const a = await newChat(app.url);
    const b = await newChat(app.url);
    const first = await open(a.streamUrl);
    expect(first.status).toBe(101);
    // One socket per process here: the next is refused while the first is open.
    const full = await open(b.streamUrl);
    expect(full).toMatchObject({
      status: 503,
      body: { error: { code: 'SERVER_BUSY' } },
      headers: { 'retry-after': '5' },
    });
    expect((await open(b.streamUrl)).status).toBe(503);
    // Three opens a minute: the fourth is refused whatever it asks.
    const limited = await open(b.streamUrl);
    expect(limited).toMatchObject({ status: 429, body: { error: { code: 'RATE_LIMITED' } } });
    if (!('ws' in limited)) expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Ordinary requests have budgets of their own.
    expect((await fetch(`${app.url}/v3/directline/tokens/generate`, { method: 'POST' })).status).toBe(200);
    if ('ws' in first) first.ws.close();
  });
});
