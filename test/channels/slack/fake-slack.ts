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
  // Messages in channels, in posting order, for conversations.replies and chat.delete.
  const posted = new Map<
    string,
    Array<{ ts: string; thread_ts?: string; text?: string; user: string; bot_id?: string }>
  >();
  const inChannel = (channel: string) => posted.get(channel) ?? (posted.set(channel, []), posted.get(channel)!);
  const thread = (channel: string, ts: string) => inChannel(channel).filter((m) => m.ts === ts || m.thread_ts === ts);
  const replies = (args: Record<string, any>) => {
    const all = thread(String(args.channel), String(args.ts));
    if (!all.some((m) => m.ts === args.ts)) return { ok: false, error: 'thread_not_found' };
    const from = args.cursor ? all.findIndex((m) => m.ts === args.cursor) + 1 : 0;
    const limit = Number(args.limit) || 1000;
    const page = all.slice(from, from + limit);
    const more = from + limit < all.length;
    return {
      ok: true,
      messages: page,
      has_more: more,
      response_metadata: { next_cursor: more ? page.at(-1)!.ts : '' },
    };
  };
  const remove = (args: Record<string, any>) => {
    const list = inChannel(String(args.channel));
    const i = list.findIndex((m) => m.ts === args.ts);
    if (i < 0) return { ok: false, error: 'message_not_found' };
    // Slack's bot token may delete only the bot's own messages.
    if (!list[i].bot_id) return { ok: false, error: 'cant_delete_message' };
    list.splice(i, 1);
    return { ok: true, channel: args.channel, ts: args.ts };
  };
  let unavailable = false;
  // Channels the bot was removed from: what it does there fails with not_in_channel.
  const away = new Set<string>();
  let n = 0;
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0];
      const type = String(req.headers['content-type'] ?? '');
      const args: Record<string, any> = type.includes('json')
        ? JSON.parse(raw || '{}')
        : Object.fromEntries(new URLSearchParams(raw));
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
      if (
        away.has(String(args.channel)) &&
        ['chat.delete', 'chat.update', 'conversations.replies', 'chat.postMessage'].includes(method)
      ) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: false, error: 'not_in_channel' }));
        return;
      }
      const ts = `${Math.floor(Date.now() / 1000)}.${String(++n).padStart(6, '0')}`;
      if (method === 'chat.update') {
        const m = inChannel(String(args.channel)).find((x) => x.ts === args.ts);
        if (m) m.text = args.text;
      }
      if (method === 'chat.postMessage')
        inChannel(String(args.channel)).push({
          ts,
          thread_ts: args.thread_ts,
          text: args.text,
          user: 'U00000000',
          bot_id: 'B00000000',
        });
      const answers: Record<string, unknown> = {
        'chat.postMessage': { ok: true, channel: args.channel, ts, message: { text: args.text, ts } },
        'chat.update': { ok: true, channel: args.channel, ts: args.ts, text: args.text },
        'chat.delete': method === 'chat.delete' ? remove(args) : undefined,
        'conversations.replies': method === 'conversations.replies' ? replies(args) : undefined,
        'auth.test': { ok: true, user_id: 'U00000000', bot_id: 'B00000000', team_id: 'T00000000' },
        'chat.postEphemeral': { ok: true, message_ts: ts },
        'views.open': { ok: true, view: { id: `V${n}`, type: 'modal', ...args.view } },
        'conversations.members': members.has(args.channel)
          ? { ok: true, members: members.get(args.channel), response_metadata: { next_cursor: '' } }
          : { ok: false, error: 'channel_not_found' },
        'apps.connections.open': {
          ok: true,
          url: `ws://127.0.0.1:${(server.address() as { port: number }).port}/link/?ticket=t${n}`,
        },
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
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: 1,
        debug_info: { host: 'applink-fake' },
        connection_info: { app_id: 'A00000000' },
      }),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/api/`,
    calls,
    rateLimit: (method: string, times: number, retryAfter: number) => limits.set(method, { times, retryAfter }),
    members: (channel: string, users: string[]) => members.set(channel, users),
    /** A message a person (not the bot) wrote in a thread. */
    humanPost: (channel: string, threadTs: string, user: string, text: string) => {
      const ts = `${Math.floor(Date.now() / 1000)}.${String(++n).padStart(6, '0')}`;
      inChannel(channel).push({ ts, thread_ts: threadTs, text, user });
      return ts;
    },
    /** A thread as Slack holds it now: the parent, then the replies not deleted. */
    thread,
    /** The bot is removed from `channel` (its calls there answer not_in_channel). */
    removeBot: (channel: string) => void away.add(channel),
    down: () => void (unavailable = true),
    up: () => void (unavailable = false),
    socket: {
      connected: () => sockets.size,
      send(envelope: { type: string; payload: unknown; retry_attempt?: number }): Promise<unknown> {
        const envelope_id = `env-${++n}`;
        const acked = new Promise((resolve) => acks.set(envelope_id, resolve));
        for (const ws of sockets)
          ws.send(
            JSON.stringify({
              envelope_id,
              accepts_response_payload: envelope.type !== 'events_api',
              retry_attempt: 0,
              retry_reason: '',
              ...envelope,
            }),
          );
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
