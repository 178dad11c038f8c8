/** A stand-in for the Slack Web API at its HTTP boundary: records every call and answers as Slack does. */
import { createServer, type Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';

/** One recorded Web API call. */
export interface SlackCall {
  method: string;
  args: Record<string, any>;
}

/**
 * Starts the fake on a free loopback port; `rateLimit` makes the next calls of a method answer 429; `members` sets a
 * channel's members (conversations.members); `socket` is the Socket Mode side: apps.connections.open hands out its
 * WebSocket URL, `send` delivers an envelope and resolves with the client's acknowledgement.
 */
export async function startFakeSlack() {
  const calls: SlackCall[] = [];
  const members = new Map<string, string[]>();
  const sockets = new Set<WebSocket>();
  const acks = new Map<string, (payload: unknown) => void>();
  const limits = new Map<string, { times: number; retryAfter: number }>();
  let unavailable = false;
  let n = 0;
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const method = (req.url ?? '').replace(/^\/api\//, '').replace(/\?.*$/, '');
      const type = String(req.headers['content-type'] ?? '');
      const args: Record<string, any> = type.includes('json') ? JSON.parse(raw || '{}') : Object.fromEntries(new URLSearchParams(raw));
      // The web client sends blocks as a JSON string inside the form, like Slack's own clients.
      if (typeof args.blocks === 'string') args.blocks = JSON.parse(args.blocks);
      if (unavailable) {
        // What a Slack outage looks like from outside: 503 with an HTML body, nothing recorded as done.
        calls.push({ method: `${method} (503)`, args });
        res.writeHead(503, { 'content-type': 'text/html' });
        res.end('<html><body>Service Unavailable</body></html>');
        return;
      }
      const limit = limits.get(method);
      if (limit && limit.times > 0) {
        limit.times--;
        calls.push({ method: `${method} (429)`, args });
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(limit.retryAfter) });
        res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
        return;
      }
      calls.push({ method, args });
      const ts = `${Math.floor(Date.now() / 1000)}.${String(++n).padStart(6, '0')}`;
      const answers: Record<string, unknown> = {
        'chat.postMessage': { ok: true, channel: args.channel, ts, message: { text: args.text, ts } },
        'chat.update': { ok: true, channel: args.channel, ts: args.ts, text: args.text },
        'chat.delete': { ok: true, channel: args.channel, ts: args.ts },
        'auth.test': { ok: true, user_id: 'U00000000', bot_id: 'B00000000', team_id: 'T00000000' },
        'chat.postEphemeral': { ok: true, message_ts: ts },
        'views.open': { ok: true, view: { id: `V${n}`, type: 'modal', ...args.view } },
        'conversations.members': members.has(args.channel) ? { ok: true, members: members.get(args.channel), response_metadata: { next_cursor: '' } } : { ok: false, error: 'channel_not_found' },
        'apps.connections.open': { ok: true, url: `ws://127.0.0.1:${(server.address() as { port: number }).port}/link/?ticket=t${n}` },
      };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answers[method] ?? { ok: false, error: 'unknown_method' }));
    });
  });
  // Socket Mode: Slack says hello on connect, then sends envelopes the app must acknowledge by envelope_id.
  const wss = new WebSocketServer({ server, path: '/link/' });
  wss.on('connection', (ws) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as { envelope_id?: string; payload?: unknown };
      if (m.envelope_id) acks.get(m.envelope_id)?.(m.payload);
    });
    ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'applink-fake' }, connection_info: { app_id: 'A00000000' } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/api/`,
    calls,
    rateLimit: (method: string, times: number, retryAfter: number) => limits.set(method, { times, retryAfter }),
    members: (channel: string, users: string[]) => members.set(channel, users),
    down: () => void (unavailable = true),
    up: () => void (unavailable = false),
    socket: {
      connected: () => sockets.size,
      send(envelope: { type: string; payload: unknown; retry_attempt?: number }): Promise<unknown> {
        const envelope_id = `env-${++n}`;
        const acked = new Promise((resolve) => acks.set(envelope_id, resolve));
        for (const ws of sockets) ws.send(JSON.stringify({ envelope_id, accepts_response_payload: envelope.type !== 'events_api', retry_attempt: 0, retry_reason: '', ...envelope }));
        return acked;
      },
    },
    close: async () => {
      for (const ws of sockets) ws.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
