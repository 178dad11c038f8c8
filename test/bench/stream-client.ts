/**
 * Load client of stream.bench.ts, run in a process of its own: N Direct Line conversations that each post a complaint
 * turn by turn and wait for the bot's reply, either over a WebSocket stream (the streamUrl of POST /conversations, as
 * botframework-directlinejs with `webSocket: true`) or by polling `GET …/activities?watermark=` every `pollMs` for as
 * long as the conversation is open (as botframework-directlinejs with `webSocket: false`; Web Chat's interval is 1 s).
 *
 * A turn's latency runs from the moment its POST is sent to the moment the first bot message with a higher id than the
 * posted activity's arrives (on the socket, or in a GET's answer). The bot's typing is counted, not measured. With
 * `thinkMs`, each conversation waits a random time in that range before each post (its first one too, so the posts
 * spread out): the load of customers typing; without, it posts again as soon as the reply is in (a closed loop).
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { forkWorker } from './fork-worker.ts';

/** One measured run. */
export interface StreamRequest {
  label: string;
  url: string;
  transport: 'ws' | 'poll';
  conversations: number;
  script: string[];
  /** Said instead by every other conversation (odd ones): a mix of languages. */
  altScript?: string[];
  /** Polling: milliseconds between GETs. */
  pollMs: number;
  /** Random wait before each post, [min, max] ms; undefined: post again at once (closed loop). */
  thinkMs?: [number, number];
  turnTimeoutMs: number;
  deadlineMs: number;
}

/** What one run measured. */
export interface StreamResult {
  label: string;
  /** Post → reply, ms. */
  latencies: number[];
  /** POST round trips alone, ms. */
  posts: number[];
  gets: number;
  typing: number;
  failures: number;
  errors: string[];
  setupMs: number;
  /** From the first post to the last reply. */
  wallMs: number;
  timedOut: boolean;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

function call(
  method: 'GET' | 'POST',
  url: string,
  token?: string,
  body?: unknown,
): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string | number> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (data) Object.assign(headers, { 'content-type': 'application/json', 'content-length': data.length });
    const req = http.request(url, { method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown = text;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          // Not JSON (a proxy's or a crash's page): kept as text for the error message.
        }
        resolve({ status: res.statusCode ?? 0, json });
      });
      res.on('error', reject);
    });
    req.on('error', (e) => reject(new Error(`${method} ${url}: ${e.message}`)));
    req.end(data);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Activity {
  type?: string;
  id?: string;
  from?: { role?: string };
}

/** One conversation: what the bot said and when, and the turn waiting for a reply. */
class Conversation {
  /** Bot messages not yet matched to a post: id and arrival time. */
  private said: Array<{ id: number; at: number }> = [];
  private waiter?: { after: number; resolve: (at: number) => void };
  watermark = '';
  ws?: WebSocket;
  closed = false;

  constructor(
    readonly id: string,
    readonly token: string,
    readonly streamUrl: string | undefined,
    private readonly out: StreamResult,
  ) {}

  /** Takes one `{activities, watermark}` set (a socket message or a GET answer). */
  take(set: { activities?: Activity[]; watermark?: string }, at: number): void {
    if (set.watermark) this.watermark = set.watermark;
    for (const a of set.activities ?? []) {
      if (a.from?.role !== 'bot') continue;
      if (a.type === 'typing') this.out.typing++;
      else if (a.type === 'message') this.said.push({ id: Number(a.id), at });
    }
    if (this.waiter) {
      const at2 = this.reply(this.waiter.after);
      if (at2 !== undefined) this.waiter.resolve(at2);
    }
  }

  /** Arrival of the first bot message after activity `after`, or waits for it (undefined after `timeoutMs`). */
  async replyAfter(after: number, timeoutMs: number): Promise<number | undefined> {
    const now = this.reply(after);
    if (now !== undefined) return now;
    let timer: NodeJS.Timeout | undefined;
    const at = await new Promise<number | undefined>((resolve) => {
      this.waiter = { after, resolve };
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    });
    clearTimeout(timer);
    this.waiter = undefined;
    return at;
  }

  private reply(after: number): number | undefined {
    const hit = this.said.find((s) => s.id > after);
    if (!hit) return undefined;
    this.said = this.said.filter((s) => s.id > after && s !== hit);
    return hit.at;
  }
}

/** Runs one request (in the client process). */
export async function runStream(r: StreamRequest): Promise<StreamResult> {
  const base = `${r.url}/v3/directline`;
  const out: StreamResult = {
    label: r.label,
    latencies: [],
    posts: [],
    gets: 0,
    typing: 0,
    failures: 0,
    errors: [],
    setupMs: 0,
    wallMs: 0,
    timedOut: false,
  };
  const fail = (msg: string) => {
    out.failures++;
    if (out.errors.length < 5) out.errors.push(msg);
  };

  // Every conversation is started (and its socket open) before the measured part.
  const t0 = performance.now();
  const convs = await Promise.all(
    Array.from({ length: r.conversations }, async () => {
      const gen = await call('POST', `${base}/tokens/generate`);
      if (gen.status !== 200) throw new Error(`tokens/generate: ${gen.status} ${JSON.stringify(gen.json)}`);
      const start = await call('POST', `${base}/conversations`, gen.json.token);
      if (start.status !== 201) throw new Error(`conversations: ${start.status} ${JSON.stringify(start.json)}`);
      const c = new Conversation(start.json.conversationId, start.json.token, start.json.streamUrl, out);
      if (r.transport === 'ws') {
        if (!c.streamUrl) throw new Error('POST /conversations gave no streamUrl');
        const ws = new WebSocket(c.streamUrl, { perMessageDeflate: false });
        c.ws = ws;
        ws.on('message', (data: Buffer) => {
          const at = performance.now();
          // An empty message is the service's heartbeat.
          if (data.length) c.take(JSON.parse(data.toString('utf8')), at);
        });
        ws.on('close', (code: number, reason: Buffer) => {
          if (!c.closed) fail(`socket closed: ${code} ${reason.toString()}`);
        });
        await new Promise<void>((resolve, reject) => {
          ws.once('open', () => resolve());
          ws.once('error', reject);
          ws.once('unexpected-response', (_req, res) => reject(new Error(`stream upgrade: ${res.statusCode}`)));
        });
      }
      return c;
    }),
  );
  out.setupMs = performance.now() - t0;

  const start = performance.now();
  const deadline = start + r.deadlineMs;
  let running = true;
  // Polling clients ask for activities for as long as the chat is open, each on its own phase.
  const pollers =
    r.transport === 'poll'
      ? convs.map(async (c) => {
          await sleep(Math.random() * r.pollMs);
          while (running) {
            const got = await call(
              'GET',
              `${base}/conversations/${c.id}/activities?watermark=${c.watermark}`,
              c.token,
            ).catch((e: Error) => ({ status: 0, json: e.message }));
            out.gets++;
            if (got.status === 200) c.take(got.json, performance.now());
            else fail(`GET activities: ${got.status} ${JSON.stringify(got.json)}`);
            await sleep(r.pollMs);
          }
        })
      : [];
  let lastReply = start;
  await Promise.all(
    convs.map(async (c, ci) => {
      const script = r.altScript && ci % 2 ? r.altScript : r.script;
      for (let turn = 0; turn < script.length; turn++) {
        if (r.thinkMs) await sleep(r.thinkMs[0] + Math.random() * (r.thinkMs[1] - r.thinkMs[0]));
        if (performance.now() > deadline) {
          out.timedOut = true;
          return;
        }
        const sent = performance.now();
        const post = await call('POST', `${base}/conversations/${c.id}/activities`, c.token, {
          type: 'message',
          from: { id: `user-${ci}`, name: `User ${ci}` },
          text: script[turn],
          locale: 'en-US',
          channelData: { clientActivityID: `${r.label}-${ci}-${turn}-${randomBytes(4).toString('hex')}` },
        }).catch((e: Error) => ({ status: 0, json: e.message }));
        out.posts.push(performance.now() - sent);
        if (post.status !== 200) {
          fail(`POST activity: ${post.status} ${JSON.stringify(post.json)}`);
          continue;
        }
        const at = await c.replyAfter(Number(post.json.id), r.turnTimeoutMs);
        if (at === undefined) {
          fail(`no reply within ${r.turnTimeoutMs} ms`);
          continue;
        }
        out.latencies.push(at - sent);
        lastReply = Math.max(lastReply, at);
      }
    }),
  );
  out.wallMs = lastReply - start;
  running = false;
  await Promise.all(pollers);
  for (const c of convs) {
    c.closed = true;
    c.ws?.close(1000);
  }
  return out;
}

/** The client process's main: answers each { n, req } with { n, result } or { n, error }. */
function clientMain(): void {
  process.on('message', (m: { n: number; req: StreamRequest }) => {
    runStream(m.req).then(
      (result) => process.send!({ n: m.n, result }),
      (e) => process.send!({ n: m.n, error: (e as Error).stack ?? String(e) }),
    );
  });
  process.on('disconnect', () => {
    agent.destroy();
    process.exit(0);
  });
}

/** The client in a child process (this file under the CLI's TypeScript loader): `run(req)`, then `close()`. */
export function forkStreamClient() {
  const w = forkWorker<StreamRequest, StreamResult>(fileURLToPath(import.meta.url), ['--client']);
  return { child: w.child, run: w.call, close: w.close };
}

if (process.argv.includes('--client')) clientMain();
