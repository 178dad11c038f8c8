/** A stand-in for the Slack Web API at its HTTP boundary: records every call and answers as Slack does. */
import { createServer, type Server } from 'node:http';

/** One recorded Web API call. */
export interface SlackCall {
  method: string;
  args: Record<string, any>;
}

/** Starts the fake on a free loopback port; `rateLimit` makes the next calls of a method answer 429. */
export async function startFakeSlack() {
  const calls: SlackCall[] = [];
  const limits = new Map<string, { times: number; retryAfter: number }>();
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
      };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answers[method] ?? { ok: false, error: 'unknown_method' }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/api/`,
    calls,
    rateLimit: (method: string, times: number, retryAfter: number) => limits.set(method, { times, retryAfter }),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
