/**
 * Two processes on one PostgreSQL database: the customer's stream is held by process A while every turn and a
 * follow-up are handled by process B. B's NOTIFY (sent in the transaction that records the messages, and for typing)
 * brings them to A's socket at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startRedress, type Redress } from '../../../src/main.ts';
import { DATABASE_URL, missing, schemaName, sweepUntil, testConfig } from '../../helpers.ts';
import { fileComplaint, newChat, requestLog, storedIds, streamingClient } from './stream-client.ts';

describe.skipIf(missing('postgres'))('a stream held by one process, replies made by another', () => {
  let a: Redress;
  let b: Redress;
  beforeAll(async () => {
    const schema = schemaName('s');
    a = await startRedress(testConfig({ DATABASE_URL: DATABASE_URL! }), { schema, jobs: false });
    b = await startRedress(testConfig({ DATABASE_URL: DATABASE_URL! }), { schema, jobs: false });
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });

  it('shows on the socket at A what process B records: replies, typing and a follow-up', async () => {
    const onA = requestLog(a);
    const chat = await newChat(a.url);
    const client = streamingClient(a.url, chat);
    let n = 0;
    // The customer's posts go to B, as a load balancer may send them (the Direct Line secret is shared in the database).
    const postToB = async (text: string, expected: RegExp) => {
      const before = client.bot().length;
      const r = await fetch(`${b.url}/v3/directline/conversations/${chat.conversationId}/activities`, {
        method: 'POST',
        headers: { authorization: `Bearer ${chat.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'message',
          from: { id: 'u' },
          text,
          channelData: { clientActivityID: `c-${++n}` },
        }),
      });
      expect(r.status).toBe(200);
      await expect
        .poll(() => client.bot().slice(before).join('\n'), { timeout: 20_000, interval: 100 })
        .toMatch(expected);
    };
    // The first turn may start before the client's socket is open; what it misses comes when the socket opens.
    await fileComplaint(postToB, () => client.bot().at(-1) ?? '', '55120');
    const reference = /CMP-\d{6}/.exec(client.bot().join('\n'))![0];
    expect(n).toBeGreaterThanOrEqual(4);
    // Typing came from B through NOTIFY, before B's turn showed the customer's message back.
    for (let k = 2; k <= n; k++) {
      const echo = client.seen.findIndex((x) => x.channelData?.clientActivityID === `c-${k}`);
      expect(echo).toBeGreaterThan(0);
      expect(client.seen[echo - 1]).toMatchObject({ type: 'typing', from: { role: 'bot' } });
    }

    // A follow-up swept by B reaches the socket on A.
    expect(await sweepUntil(b, new Date(Date.now() + 2 * 3_600_000))).toBeGreaterThanOrEqual(1);
    await expect
      .poll(() => client.bot().join('\n'), { timeout: 20_000, interval: 100 })
      .toMatch(new RegExp(`confirm we have received complaint ${reference}`));
    const stored = await storedIds(a, chat.conversationId);
    await expect
      .poll(() => client.seen.filter((x) => x.type === 'message').map((x) => x.id), { timeout: 10_000, interval: 100 })
      .toEqual(stored);
    // A was only asked for the stream: no posts, no polls.
    expect(onA.filter((r) => r.includes('/activities'))).toEqual([]);
    client.end();
  });

  it('closes a socket opened on B for a conversation whose stream A holds, as a collision', async () => {
    const chat = await newChat(a.url);
    const opened = (url: string) =>
      new Promise<WebSocket>((resolve, reject) => {
        const ws = new WebSocket(url);
        ws.once('open', () => resolve(ws));
        ws.once('error', reject);
      });
    const first = await opened(chat.streamUrl);
    const texts: string[] = [];
    first.on('message', (d) => {
      if (String(d))
        for (const x of JSON.parse(String(d)).activities) texts.push(x.type === 'message' ? x.text : x.type);
    });
    // B hands out its own streamUrl for the same conversation (the reconnection call), and the socket opens on B.
    const onB = await (
      await fetch(`${b.url}/v3/directline/conversations/${chat.conversationId}?watermark=`, {
        headers: { authorization: `Bearer ${chat.token}` },
      })
    ).json();
    expect(onB.streamUrl).toContain(new URL(b.url).host);
    const second = await opened(onB.streamUrl);
    const end = await new Promise<{ code: number; reason: string }>((resolve) =>
      second.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
    );
    expect(end).toEqual({ code: 1008, reason: 'collision' });
    // The first socket, on A, goes on streaming.
    const r = await fetch(`${b.url}/v3/directline/conversations/${chat.conversationId}/activities`, {
      method: 'POST',
      headers: { authorization: `Bearer ${chat.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', from: { id: 'u' }, text: 'The parcel came open' }),
    });
    expect(r.status).toBe(200);
    await expect
      .poll(() => texts.slice(0, 2), { timeout: 10_000, interval: 50 })
      .toEqual(['typing', 'The parcel came open']);
    first.close();
  });
});
