/**
 * What streaming costs a turn, on a real database with hubs standing for processes: typing is told to the other
 * processes (a NOTIFY) only for a conversation whose socket one of them announced, so a polling client's turn sends
 * none, while a socket held by another process still shows the bot typing; and a turn written by the process holding
 * the socket is read once (by its COMMIT's notification), not a second time by the turn's own wake-up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { StreamHub } from '../../../channels/web-chat/stream-hub.ts';
import type { Db } from '../../../src/store/db.ts';
import { webChatBackend } from '../../../src/store/web-chat.ts';
import { listenLive, notifyConversation, notifyStreams } from '../../../src/store/live-messages.ts';
import { missing, testDb } from '../../helpers.ts';

describe.skipIf(missing('postgres'))('typing and reads across processes (pg)', () => {
  let db: Db;
  let backend: ReturnType<typeof webChatBackend>;
  let a: StreamHub;
  let b: StreamHub;
  let c: StreamHub | undefined;
  let wss: WebSocketServer;
  let url: string;
  let stop: (() => Promise<void>) | undefined;
  /** Every notification on the channel, as a LISTEN connection of the test's own hears it: `t:<key>`, `s:<text>`. */
  const heard: string[] = [];
  /** Typing each hub told the other processes (a counter on the real backend's call, which is the NOTIFY). */
  const told = new Map<StreamHub | string, string[]>();
  /** Activities reads made by hub A, by conversation. */
  const reads = new Map<string, number>();
  const newHub = (name: string) => {
    const sent: string[] = [];
    const hub = new StreamHub({
      backend: {
        ...backend.live,
        activitiesAfter: (key, watermark, maxBytes) => {
          reads.set(`${name}:${key}`, (reads.get(`${name}:${key}`) ?? 0) + 1);
          return backend.activitiesAfter(key, watermark, maxBytes);
        },
        notifyTyping: async (key) => {
          sent.push(key);
          await backend.live.notifyTyping(key);
        },
      },
      maxSockets: 10,
      // No heartbeat during the test: whatever a socket gets came from a notification or the hub's own reads.
      heartbeatMs: 600_000,
      pageBytes: 32_768,
    });
    told.set(hub, sent);
    return hub;
  };
  let marks = 0;
  /** Returns once the test's LISTEN has heard everything committed before now (notifications keep commit order). */
  const settled = async () => {
    const mark = `mark-${++marks}`;
    await notifyStreams(db, mark);
    await expect.poll(() => heard.includes(`s:${mark}`), { timeout: 10_000, interval: 10 }).toBe(true);
  };
  /** A socket on hub A for `key`, and the typing and message activities it received. */
  const socket = async (key: string) => {
    await backend.openConversation(key);
    const typing: string[] = [];
    const texts: string[] = [];
    const ws = new WebSocket(url + key);
    ws.on('message', (d) => {
      if (String(d))
        for (const x of JSON.parse(String(d)).activities) (x.type === 'typing' ? typing : texts).push(x.text ?? x.id);
    });
    await new Promise((r) => ws.once('open', r));
    // Hub A announces the socket once it is set up; the test's LISTEN hears it.
    await expect
      .poll(() => heard.some((s) => s.startsWith(`s:open ${key} `)), { timeout: 10_000, interval: 10 })
      .toBe(true);
    return { ws, typing, texts };
  };

  beforeAll(async () => {
    db = await testDb('pg');
    backend = webChatBackend(db, 'webchat', async () => ({ inboundId: 0 }));
    stop = await listenLive(db, {
      messages: () => undefined,
      typing: (key) => heard.push(`t:${key}`),
      streams: (text) => heard.push(`s:${text}`),
      ready: () => undefined,
    });
    a = newHub('a');
    b = newHub('b');
    wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    wss.on('connection', (ws, req) => a.attach(new URL(req.url!, 'http://x').searchParams.get('c')!, ws, 0));
    await new Promise((r) => wss.once('listening', r));
    url = `ws://127.0.0.1:${(wss.address() as { port: number }).port}/?c=`;
  });
  afterAll(async () => {
    await c?.close();
    await b?.close();
    await a?.close();
    await new Promise((r) => wss?.close(r));
    await stop?.();
    await db?.close();
  });

  it('a polling-only turn tells no typing; a socket on another process still gets it, until it closes', async () => {
    await backend.openConversation('poll-1');
    const byB = told.get(b)!;
    // B's first turn: it does not know yet which sockets the other processes hold, so it tells typing as it always
    // did, and starts learning.
    await b.typing('poll-1');
    expect(byB).toEqual(['poll-1']);
    await expect.poll(() => b.peers.trusted, { timeout: 10_000, interval: 20 }).toBe(true);

    // Now a polling client's turn: no NOTIFY is sent, and none arrives on the channel.
    const before = heard.filter((s) => s === 't:poll-1').length;
    await b.typing('poll-1');
    await b.typing('poll-1');
    await settled();
    expect(byB).toEqual(['poll-1']);
    expect(heard.filter((s) => s === 't:poll-1').length).toBe(before);

    // A socket opened on A: B's turns for that conversation show the bot typing on it (B hears A's announcement a
    // moment after the test's LISTEN does, hence the poll).
    const s = await socket('sock-1');
    await expect
      .poll(
        async () => {
          await b.typing('sock-1');
          return s.typing.length;
        },
        { timeout: 10_000, interval: 20 },
      )
      .toBeGreaterThan(0);
    expect(byB).toContain('sock-1');

    // Closed: A announces it, and B stops telling typing for that conversation.
    s.ws.close();
    await expect
      .poll(() => heard.some((x) => x.startsWith('s:close sock-1 ')), { timeout: 10_000, interval: 10 })
      .toBe(true);
    await expect
      .poll(
        async () => {
          const n = byB.length;
          await b.typing('sock-1');
          return byB.length - n;
        },
        { timeout: 10_000, interval: 20 },
      )
      .toBe(0);
  });

  it('a process that starts listening learns the sockets held before it (hello, answered by held)', async () => {
    const s = await socket('sock-2');
    c = newHub('c');
    const byC = told.get(c)!;
    await c.typing('sock-2'); // not knowing yet: told, as before
    await expect.poll(() => s.typing.length, { timeout: 10_000, interval: 20 }).toBe(1);
    await expect.poll(() => c!.peers.trusted, { timeout: 10_000, interval: 20 }).toBe(true);
    byC.length = 0;
    await c.typing('sock-2');
    await c.typing('poll-1');
    expect(byC).toEqual(['sock-2']);
    await expect.poll(() => s.typing.length, { timeout: 10_000, interval: 20 }).toBe(2);
    s.ws.close();
  });

  it('a turn written by the process holding the socket is read once, by its COMMIT’s notification', async () => {
    const one = await socket('read-1');
    const two = await socket('read-2');
    const conversation = async (key: string) => (await backend.live.conversationNumber(key))!;
    const turn = async (key: string, text: string) => {
      const id = await conversation(key);
      await db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO messages (conversation_id, direction, channel, text) VALUES ($1, 'out', 'webchat', $2)`,
          [id, text],
        );
        await notifyConversation(tx, id);
      });
    };
    // Every notification to A has been heard and each socket's first read done.
    await expect.poll(() => a.peers.trusted, { timeout: 10_000, interval: 20 }).toBe(true);
    const first = reads.get('a:read-1') ?? 0;
    await turn('read-1', 'a reply');
    // What direct-line.ts does after a turn.
    a.wake('read-1');
    await expect.poll(() => one.texts, { timeout: 10_000, interval: 10 }).toEqual(['a reply']);
    // A later turn in another conversation, read once it is heard: A's listener took read-1's notification first.
    await turn('read-2', 'another');
    await expect.poll(() => two.texts, { timeout: 10_000, interval: 10 }).toEqual(['another']);
    expect((reads.get('a:read-1') ?? 0) - first).toBe(1);
    one.ws.close();
    two.ws.close();
  });
});
