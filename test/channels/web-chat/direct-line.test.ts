import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redress } from '../../../src/main.ts';
import { ADMIN_TOKEN, DATABASE_URL, staffGet, startTestApp } from '../../helpers.ts';

const require = createRequire(import.meta.url);
// The official client expects browser globals, even with webSocket: false.
(globalThis as any).XMLHttpRequest = require('xhr2');
(globalThis as any).WebSocket = require('ws');
const { DirectLine } = await import('botframework-directlinejs');

const kind = DATABASE_URL ? 'pg' : 'pglite';
let app: Redress;
beforeAll(async () => {
  // BOT_FRAMEWORK_OPEN: the /api/messages test below posts unsigned, as the Emulator does.
  app = await startTestApp(kind, { jobs: false, env: { BOT_FRAMEWORK_OPEN: '1' } });
});
afterAll(async () => {
  await app?.stop();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(app.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const newToken = async () =>
  (await (await post('/v3/directline/tokens/generate', {})).json()) as { conversationId: string; token: string };
const messageCount = async () =>
  Number((await app.db.query<{ n: number }>('SELECT count(*) AS n FROM messages')).rows[0].n);

describe('official Direct Line client', () => {
  it('holds a complete complaint conversation and gets a ticket that reads back through the staff API', async () => {
    const { token } = await newToken();
    const dl = new DirectLine({ domain: `${app.url}/v3/directline`, token, webSocket: false, pollingInterval: 150 });
    const bot: string[] = [];
    const echoed: string[] = [];
    const sub = dl.activity$.subscribe((a: any) =>
      a.from.role === 'bot' ? bot.push(a.text) : echoed.push(a.channelData?.clientActivityID),
    );
    const turn = async (text: string, expected: RegExp) => {
      const before = bot.length;
      await new Promise<string>((resolve, reject) =>
        dl
          .postActivity({
            type: 'message',
            from: { id: 'customer-1', name: 'Customer' },
            text,
            channelData: { clientActivityID: `c-${text.length}-${before}` },
          } as any)
          .subscribe({ next: resolve, error: reject }),
      );
      await expect.poll(() => bot.slice(before).join('\n'), { timeout: 15_000, interval: 100 }).toMatch(expected);
    };
    await turn(
      'My washing machine from order 30017 has been leaking since last Saturday and I want a repair.',
      /Let me check I've understood: your washing machine has been leaking/,
    );
    await turn('yes', /What would you like|your name/);
    await turn('Dana Cruz', /email address or phone/);
    await turn('dana.cruz@example.com', /recorded your complaint as CMP-\d{6}/);
    const reference = /CMP-\d{6}/.exec(bot.join('\n'))![0];
    expect(echoed.filter(Boolean).length).toBeGreaterThanOrEqual(4);
    // A follow-up fired while the customer is away is waiting in the same conversation when they come back.
    expect(await app.scheduler.fireDue(new Date(Date.now() + 2 * 3_600_000))).toBeGreaterThanOrEqual(1);
    await expect
      .poll(() => bot.join('\n'), { timeout: 15_000, interval: 100 })
      .toMatch(new RegExp(`confirm we have received complaint ${reference}`));
    sub.unsubscribe();
    dl.end();

    const { status, body } = await staffGet(app, `/api/tickets/${reference}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      reference,
      status: 'open',
      channel: 'webchat',
      language: 'en',
      customer: { name: 'Dana Cruz', email: ['dana.cruz@example.com'] },
    });
    expect(body.record).toMatchObject({ orderNumber: '30017', product: 'washing machine', resolution: 'repair' });
    expect(['quality', 'after_sales']).toContain(body.department);
    expect(body.followups.map((f: any) => f.kind).sort()).toEqual(['acknowledgement', 'sla_breach', 'sla_reminder']);
    expect(body.events.map((e: any) => e.kind)).toContain('opened');

    const listed = await staffGet(app, '/api/tickets?status=open');
    expect(listed.body.tickets.map((t: any) => t.reference)).toContain(reference);
    const resolved = await fetch(`${app.url}/api/tickets/${reference}/status`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'resolved', note: 'engineer visit booked' }),
    });
    expect(resolved.status).toBe(200);
    const after = await resolved.json();
    expect(after.status).toBe('resolved');
    expect(after.followups.find((f: any) => f.kind === 'satisfaction_check')).toMatchObject({ state: 'scheduled' });
  });

  it('echoes the user activity with its clientActivityID, and a retried post is not answered twice', async () => {
    const { conversationId, token } = await newToken();
    const auth = { authorization: `Bearer ${token}` };
    const activity = {
      type: 'message',
      from: { id: 'u' },
      text: 'The hotel room was dirty and the staff were rude',
      channelData: { clientActivityID: 'retry-me' },
    };
    const a = await (await post(`/v3/directline/conversations/${conversationId}/activities`, activity, auth)).json();
    const b = await (await post(`/v3/directline/conversations/${conversationId}/activities`, activity, auth)).json();
    expect(b.id).toBe(a.id);
    const list = await (
      await fetch(`${app.url}/v3/directline/conversations/${conversationId}/activities?watermark=`, { headers: auth })
    ).json();
    const users = list.activities.filter((x: any) => x.from.role === 'user');
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({ id: a.id, channelData: { clientActivityID: 'retry-me' } });
    const bots = list.activities.filter((x: any) => x.from.role === 'bot');
    expect(bots.length).toBeGreaterThan(0);
    const more = await (
      await fetch(`${app.url}/v3/directline/conversations/${conversationId}/activities?watermark=${list.watermark}`, {
        headers: auth,
      })
    ).json();
    expect(more.activities).toEqual([]);
  });
});

describe('bad input gets a clear 4xx and writes nothing', () => {
  it.each([
    ['malformed JSON', '{"type": "message", "text": ', 'application/json', 400, 'BAD_REQUEST'],
    ['wrong content type', 'type=message&text=hi', 'application/x-www-form-urlencoded', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['not an activity', JSON.stringify({ text: 42 }), 'application/json', 400, 'BAD_REQUEST'],
    [
      'a 1 MB message',
      JSON.stringify({ type: 'message', text: 'x'.repeat(1_048_576) }),
      'application/json',
      413,
      'PAYLOAD_TOO_LARGE',
    ],
  ])('%s', async (_name, body, type, status, code) => {
    const { conversationId, token } = await newToken();
    const before = await messageCount();
    const r = await fetch(`${app.url}/v3/directline/conversations/${conversationId}/activities`, {
      method: 'POST',
      headers: { 'content-type': type, authorization: `Bearer ${token}` },
      body,
    });
    expect(r.status).toBe(status);
    expect((await r.json()).error.code).toBe(code);
    expect(await messageCount()).toBe(before);
  });

  it('forged, missing and foreign tokens, and unknown conversations', async () => {
    const mine = await newToken();
    const theirs = await newToken();
    const before = await messageCount();
    const act = { type: 'message', text: 'hello' };
    const forged = `${mine.token.split('.')[0]}.${'A'.repeat(43)}`;
    expect(
      (
        await post(`/v3/directline/conversations/${mine.conversationId}/activities`, act, {
          authorization: `Bearer ${forged}`,
        })
      ).status,
    ).toBe(403);
    expect((await post(`/v3/directline/conversations/${mine.conversationId}/activities`, act)).status).toBe(401);
    // A valid token never reads or writes another conversation.
    expect(
      (
        await post(`/v3/directline/conversations/${theirs.conversationId}/activities`, act, {
          authorization: `Bearer ${mine.token}`,
        })
      ).status,
    ).toBe(403);
    const read = await fetch(`${app.url}/v3/directline/conversations/${theirs.conversationId}/activities`, {
      headers: { authorization: `Bearer ${mine.token}` },
    });
    expect(read.status).toBe(403);
    expect(JSON.stringify(await read.json())).not.toContain('activities');
    expect(
      (
        await fetch(`${app.url}/v3/directline/conversations/no-such-conversation`, {
          headers: { authorization: `Bearer ${mine.token}` },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await fetch(`${app.url}/v3/directline/conversations/${mine.conversationId}/activities?watermark=abc`, {
          headers: { authorization: `Bearer ${mine.token}` },
        })
      ).status,
    ).toBe(400);
    expect(await messageCount()).toBe(before);
  });

  it('the staff API refuses without the token and leaks no ticket data', async () => {
    const { body: list } = await staffGet(app, '/api/tickets');
    const ref = list.tickets[0]?.reference ?? 'CMP-000001';
    for (const headers of [
      {},
      { authorization: 'Bearer wrong-token-wrong-token' },
      { authorization: `Basic ${ADMIN_TOKEN}` },
    ] as Record<string, string>[]) {
      for (const path of [`/api/tickets/${ref}`, '/api/tickets?status=open']) {
        const r = await fetch(app.url + path, { headers });
        expect(r.status).toBe(401);
        const text = await r.text();
        expect(text).not.toContain(ref);
        expect(text).not.toContain('restatement');
      }
    }
    const r = await fetch(`${app.url}/api/tickets/${ref}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"status":"resolved"}',
    });
    expect(r.status).toBe(401);
    const bad = await fetch(`${app.url}/api/tickets/${ref}/status`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: '{"status":"deleted"}',
    });
    expect(bad.status).toBe(400);
    expect((await staffGet(app, '/api/tickets/CMP-999999')).status).toBe(404);
    expect((await staffGet(app, '/api/tickets/DROP%20TABLE')).status).toBe(400);
    expect((await staffGet(app, '/api/tickets?since=yesterday')).status).toBe(400);
  });
});

describe('health and the Bot Framework endpoint', () => {
  it('GET /healthz is ok once migrated', async () => {
    const r = await fetch(`${app.url}/healthz`);
    expect(await r.json()).toEqual({ status: 'ok' });
  });

  it('POST /api/messages runs the same dialog through botbuilder and answers with expectReplies', async () => {
    const activity = {
      type: 'message',
      id: 'bf-1',
      channelId: 'emulator',
      serviceUrl: 'http://127.0.0.1:9/',
      deliveryMode: 'expectReplies',
      from: { id: 'user-bf' },
      recipient: { id: 'bot' },
      conversation: { id: 'bf-conv-1' },
      text: 'My invoice shows a fee I never agreed to',
    };
    const r = await post('/api/messages', activity);
    expect(r.status).toBe(200);
    const body = await r.json();
    expect(body.activities.map((a: any) => a.text).join('\n')).toMatch(/Let me check I've understood/);
    const again = await post('/api/messages', activity);
    expect((await again.json()).activities.map((a: any) => a.text)).toEqual(body.activities.map((a: any) => a.text));
    const n = await app.db.query<{ n: number }>(
      "SELECT count(*) AS n FROM messages WHERE channel = 'botframework' AND direction = 'in'",
    );
    expect(Number(n.rows[0].n)).toBe(1);
  });
});
