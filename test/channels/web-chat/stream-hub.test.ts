/**
 * The stream hub on a real database with a short heartbeat: heartbeats are empty messages, each heartbeat re-reads
 * the conversation (so a message whose notification never came still arrives), and a peer that stops answering
 * pings is dropped, which frees its conversation for the client's next socket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { StreamHub } from '../../../channels/web-chat/stream-hub.ts';
import type { Db } from '../../../src/store/db.ts';
import { webChatBackend } from '../../../src/store/web-chat.ts';
import { notifyConversation } from '../../../src/store/live-messages.ts';
import { DATABASE_URL, missing, testDb } from '../../helpers.ts';

const kind = DATABASE_URL ? 'pg' : 'pglite';

describe(`stream hub heartbeats (${kind})`, () => {
  let db: Db;
  let hub: StreamHub;
  let wss: WebSocketServer;
  let url: string;
  let backend: ReturnType<typeof webChatBackend>;
  beforeAll(async () => {
    db = await testDb(kind);
    backend = webChatBackend(db, 'webchat', async () => ({ inboundId: 0 }));
    hub = new StreamHub({
      backend: { ...backend.live, activitiesAfter: backend.activitiesAfter },
      maxSockets: 10,
      heartbeatMs: 100,
      pageBytes: 32_768,
    });
    wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    wss.on('connection', (ws, req) => hub.attach(new URL(req.url!, 'http://x').searchParams.get('c')!, ws, 0));
    await new Promise((r) => wss.once('listening', r));
    url = `ws://127.0.0.1:${(wss.address() as { port: number }).port}/?c=`;
  });
  afterAll(async () => {
    await hub?.close();
    await new Promise((r) => wss?.close(r));
    await db?.close();
  });

  it('sends empty heartbeats and, on each, reads what no notification announced', async () => {
    await backend.openConversation('hub-1');
    const got: string[] = [];
    const ws = new WebSocket(url + 'hub-1');
    ws.on('message', (d) => got.push(String(d)));
    await expect.poll(() => got.includes(''), { timeout: 10_000, interval: 20 }).toBe(true);
    // Written behind the listener's back: no NOTIFY, so only a heartbeat's read can bring it.
    const conversation = await backend.live.conversationNumber('hub-1');
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO messages (conversation_id, direction, channel, text) VALUES ($1, 'out', 'webchat', 'no one told') RETURNING id`,
      [conversation],
    );
    await expect
      .poll(() => got.filter(Boolean).map((s) => JSON.parse(s)), { timeout: 10_000, interval: 20 })
      .toEqual([
        {
          activities: [expect.objectContaining({ type: 'message', id: String(rows[0].id), text: 'no one told' })],
          watermark: String(rows[0].id),
        },
      ]);
    ws.close();
  });

  it('drops a peer that answers no ping, so the same conversation opens again without a collision', async () => {
    await backend.openConversation('hub-2');
    const silent = new WebSocket(url + 'hub-2', { autoPong: false });
    silent.on('error', () => undefined);
    const gone = await new Promise<number>((resolve) => silent.once('close', (code) => resolve(code)));
    expect(gone).toBe(1006); // terminated, no closing handshake
    const next = new WebSocket(url + 'hub-2');
    const first = await new Promise<string>((resolve) => next.once('message', (d) => resolve(String(d))));
    expect(first).toBe(''); // a heartbeat, not a collision
    expect(hub.size).toBe(1);
    next.close();
  });
});

describe.skipIf(missing('postgres'))('stream hub when its LISTEN connection is lost (pg)', () => {
  let db: Db;
  let hub: StreamHub;
  let wss: WebSocketServer;
  let url: string;
  let backend: ReturnType<typeof webChatBackend>;
  beforeAll(async () => {
    db = await testDb('pg');
    backend = webChatBackend(db, 'webchat', async () => ({ inboundId: 0 }));
    // A heartbeat far off: whatever arrives here came through LISTEN or the re-read after it reconnected.
    hub = new StreamHub({
      backend: { ...backend.live, activitiesAfter: backend.activitiesAfter },
      maxSockets: 10,
      heartbeatMs: 600_000,
      pageBytes: 32_768,
    });
    wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    wss.on('connection', (ws, req) => hub.attach(new URL(req.url!, 'http://x').searchParams.get('c')!, ws, 0));
    await new Promise((r) => wss.once('listening', r));
    url = `ws://127.0.0.1:${(wss.address() as { port: number }).port}/?c=`;
  });
  afterAll(async () => {
    await hub?.close();
    await new Promise((r) => wss?.close(r));
    await db?.close();
  });

  const listener = async () =>
    (
      await db.query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = $1',
        [`LISTEN "redress_${db.schema}"`],
      )
    ).rows.map((r) => r.pid);
  const insert = async (conversation: number, text: string) =>
    (
      await db.query<{ id: number }>(
        `INSERT INTO messages (conversation_id, direction, channel, text) VALUES ($1, 'out', 'webchat', $2) RETURNING id`,
        [conversation, text],
      )
    ).rows[0].id;

  it('reconnects, reads what was written while it was away, and hears notifications again', async () => {
    await backend.openConversation('hub-3');
    const conversation = (await backend.live.conversationNumber('hub-3'))!;
    const texts: string[] = [];
    const ws = new WebSocket(url + 'hub-3');
    ws.on('message', (d) => {
      if (d.toString()) for (const a of JSON.parse(String(d)).activities) texts.push(a.text);
    });
    await new Promise((r) => ws.once('open', r));
    // Heard while listening.
    await insert(conversation, 'first');
    await notifyConversation(db, conversation);
    await expect.poll(() => texts, { timeout: 10_000, interval: 20 }).toEqual(['first']);
    const [pid] = await listener();
    expect(pid).toBeGreaterThan(0);
    await db.query('SELECT pg_terminate_backend($1)', [pid]);
    // Written while the listener is away, with no notification at all: the re-read after reconnecting brings it.
    await insert(conversation, 'while away');
    await expect.poll(() => texts, { timeout: 15_000, interval: 50 }).toEqual(['first', 'while away']);
    await expect.poll(listener, { timeout: 10_000, interval: 50 }).not.toContain(pid);
    await insert(conversation, 'after');
    await notifyConversation(db, conversation);
    await expect.poll(() => texts, { timeout: 10_000, interval: 20 }).toEqual(['first', 'while away', 'after']);
    ws.close();
  });
});
