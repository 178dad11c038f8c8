/**
 * Direct Line streaming with the official client (botframework-directlinejs, webSocket: true, the `ws` package): a
 * whole complaint over the stream with typing before each answer and no polling, then a dropped connection, a
 * follow-up written meanwhile, and the client's reconnection from its watermark: every stored message exactly once.
 */
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redress } from '../../../src/main.ts';
import { DATABASE_URL, startTestApp, sweepUntil } from '../../helpers.ts';
import { fileComplaint, newChat, requestLog, storedIds, streamingClient } from './stream-client.ts';

const kind = DATABASE_URL ? 'pg' : 'pglite';

describe(`a complaint over the Direct Line stream (${kind})`, () => {
  let app: Redress;
  let requests: string[];
  const upgraded: Duplex[] = [];
  beforeAll(async () => {
    app = await startTestApp(kind, { jobs: false });
    requests = requestLog(app);
    // The server side of each stream's connection, to drop it as a network would.
    app.server.server.on('upgrade', (_req: unknown, socket: Duplex) => upgraded.push(socket));
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('streams the conversation with typing, and a reconnection gets what was sent meanwhile, once', async () => {
    const chat = await newChat(app.url);
    expect(chat.streamUrl).toMatch(
      new RegExp(
        `^ws://127\\.0\\.0\\.1:\\d+/v3/directline/conversations/${chat.conversationId}/stream\\?watermark=&t=`,
      ),
    );
    const client = streamingClient(app.url, chat);
    const sent = await fileComplaint(client.turn, () => client.bot().at(-1) ?? '', '30017');
    const reference = /CMP-\d{6}/.exec(client.bot().join('\n'))![0];

    // Nothing was polled: every activity came over the socket.
    expect(requests.filter((r) => r.includes('/activities') && r.startsWith('GET'))).toEqual([]);
    expect(upgraded).toHaveLength(1);

    // From the second turn on the socket is surely open when the customer posts: the bot's typing comes right
    // before the customer's own message is shown back (the turn records it together with the replies).
    const seen = client.seen;
    for (let k = 2; k <= sent; k++) {
      const echo = seen.findIndex((a) => a.channelData?.clientActivityID === `c-${k}`);
      expect(echo).toBeGreaterThan(0);
      expect(seen[echo - 1]).toMatchObject({ type: 'typing', from: { role: 'bot' } });
    }
    // Typing is never stored: its ids are no message ids, and the messages seen are exactly those stored.
    const typing = seen.filter((a) => a.type === 'typing');
    expect(typing.length).toBeGreaterThanOrEqual(3);
    for (const t of typing) expect(t.id).toMatch(new RegExp(`^${chat.conversationId}\\|typing-`));
    const before = await storedIds(app, chat.conversationId);
    expect(seen.filter((a) => a.type === 'message').map((a) => a.id)).toEqual(before);

    // The connection drops; the acknowledgement follow-up is written while the client is away.
    upgraded[0].destroy();
    expect(await sweepUntil(app, new Date(Date.now() + 2 * 3_600_000))).toBeGreaterThanOrEqual(1);
    await expect
      .poll(() => client.bot().join('\n'), { timeout: 30_000, interval: 100 })
      .toMatch(new RegExp(`confirm we have received complaint ${reference}`));
    // The client asked for a new stream from the last activity it had, and got the rest on it.
    expect(requests).toContain(
      `GET /v3/directline/conversations/${chat.conversationId}?watermark=${before[before.length - 1]}`,
    );
    expect(upgraded).toHaveLength(2);
    const after = await storedIds(app, chat.conversationId);
    expect(after.length).toBeGreaterThan(before.length);
    // No gap, no duplicate: the ids seen are the stored ones, each once, in order.
    await expect
      .poll(() => seen.filter((a) => a.type === 'message').map((a) => a.id), { timeout: 10_000, interval: 100 })
      .toEqual(after);
    client.end();
  });

  it('still serves polling clients: GET activities answers as before, without typing', async () => {
    const chat = await newChat(app.url);
    const auth = { authorization: `Bearer ${chat.token}`, 'content-type': 'application/json' };
    const base = `${app.url}/v3/directline/conversations/${chat.conversationId}`;
    const posted = await fetch(`${base}/activities`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ type: 'message', from: { id: 'u' }, text: 'The delivery was two weeks late' }),
    });
    expect(posted.status).toBe(200);
    const page = await (await fetch(`${base}/activities?watermark=`, { headers: auth })).json();
    expect(page.activities.map((a: any) => a.type)).not.toContain('typing');
    expect(page.activities.map((a: any) => a.id)).toEqual(await storedIds(app, chat.conversationId));
    expect(page.watermark).toBe(page.activities.at(-1).id);
  });
});
