/**
 * Load generation for the Direct Line benchmarks (turns.bench.ts, load.bench.ts): clients that drive conversations
 * over HTTP the way botframework-directlinejs does in polling mode, run in a child process of their own
 * (direct-line-client.ts) so load generation does not share the servers' event loop.
 *
 * For each conversation: `POST /tokens/generate`, `POST /conversations`, then for each turn `POST …/activities` and
 * `GET …/activities?watermark=` every `pollMs` until a bot message arrives. Turn latency runs from the POST to the
 * moment the reply is seen. With several server URLs, conversation i starts on url[i % n] (round-robin, as a load
 * balancer would) and, with `alternate`, its turn t goes to url[(i + t) % n]: any process must serve any turn.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { forkWorker } from './fork-worker.ts';

/**
 * A realistic complaint: opens a ticket (two follow-ups scheduled) on the 6th turn. The order number is written
 * "order #A123" because in "My parcel #A123 never arrived and I want a refund" the dialog does not see it (ORDER_EN in
 * dialogs/extract.ts matches "ref" inside "refund"), asks for it again and opens no ticket within six turns.
 */
export const SCRIPT = [
  'My parcel, order #A123, never arrived and I want a refund',
  'yes',
  'a kettle',
  'last Friday',
  'Sam Lee',
  'sam@example.com',
];
/** Turns past the script: additions to the open complaint. */
const EXTRA = ['Also, the box it came in was soaking wet.', 'Any update on this?'];
export const scriptFor = (turns: number) =>
  Array.from({ length: turns }, (_, i) => SCRIPT[i] ?? EXTRA[(i - SCRIPT.length) % EXTRA.length]);

/**
 * A complaint in Chinese about a product no word list holds (咖啡机), so the Chinese segmenter's dictionary is loaded
 * and its memory counted; the product is the segmenter's reading, confirmed by the customer's "对". It gives the day at
 * once, so its ticket opens on the 4th turn, and two additions follow.
 */
const SCRIPT_ZH = ['我上周五买的这台咖啡机一直没有送到，订单号 A123，我要退款', '对', '李明', 'li@example.com'];
const EXTRA_ZH = ['另外，包装盒也是湿的。', '有进展吗？'];
/** {@link scriptFor} in Chinese. */
export const scriptForZh = (turns: number) =>
  Array.from({ length: turns }, (_, i) => SCRIPT_ZH[i] ?? EXTRA_ZH[(i - SCRIPT_ZH.length) % EXTRA_ZH.length]);

export const intEnv = (name: string, def: number) => {
  const v = Number(process.env[name] ?? def);
  if (!Number.isSafeInteger(v) || v <= 0) throw new Error(`${name} must be a positive integer`);
  return v;
};

/** The p-th percentile (nearest rank) of an ascending array. */
export const pct = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] : NaN;

/** One measured run: `conversations` conversations of `script`, spread over `urls`. */
export interface LoadRequest {
  label: string;
  /** One server URL, or several (round-robin by conversation). */
  url: string | string[];
  /** With several URLs: turn t of conversation i goes to url[(i + t) % n] instead of staying on url[i % n]. */
  alternate?: boolean;
  conversations: number;
  script: string[];
  /** When set, every other conversation (odd ones) says this instead: a mix of languages. Same length as `script`. */
  altScript?: string[];
  pollMs: number;
  turnTimeoutMs: number;
  deadlineMs: number;
}

export interface LoadResult {
  label: string;
  /** Turn latencies (POST sent to bot reply seen), ms. */
  latencies: number[];
  /** The same latencies by turn index (the 6th turn of the script opens the ticket). */
  byTurn: number[][];
  /** POST round trips alone, ms. */
  posts: number[];
  polls: number;
  failures: number;
  errors: string[];
  setupMs: number;
  wallMs: number;
  timedOut: boolean;
  /** Turns served per URL (by the POST). */
  perUrl: Record<string, number>;
  /** Requests sent again after the server closed a keep-alive socket under them. */
  resent: number;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

/** Requests that failed on a reused keep-alive socket the server had just closed, and were sent again. */
export const stats = { resent: 0 };

function call(
  method: 'GET' | 'POST',
  url: string,
  token?: string,
  body?: unknown,
  attempt = 1,
): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string | number> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (data) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = data.length;
    }
    const req = http.request(url, { method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: any;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = text;
        }
        resolve({ status: res.statusCode ?? 0, json });
      });
      res.on('error', reject);
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      // A keep-alive socket the server closed as the request went out (Node's documented race): send it once more,
      // as browsers do. Activities carry a clientActivityID, so a POST that did arrive is not answered twice.
      if (req.reusedSocket && attempt === 1 && (e.code === 'ECONNRESET' || e.message === 'socket hang up')) {
        stats.resent++;
        call(method, url, token, body, 2).then(resolve, reject);
      } else reject(new Error(`${method} ${url}: ${e.message}`));
    });
    req.end(data);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs one load request (in the client process). */
export async function runLoad(r: LoadRequest): Promise<LoadResult> {
  const urls = (Array.isArray(r.url) ? r.url : [r.url]).map((u) => `${u}/v3/directline`);
  const out: LoadResult = {
    label: r.label,
    latencies: [],
    byTurn: r.script.map(() => []),
    posts: [],
    polls: 0,
    failures: 0,
    errors: [],
    setupMs: 0,
    wallMs: 0,
    timedOut: false,
    perUrl: {},
    resent: 0,
  };
  const resent0 = stats.resent;
  const fail = (msg: string) => {
    out.failures++;
    if (out.errors.length < 5) out.errors.push(msg);
  };
  const baseFor = (ci: number, turn: number) => urls[(ci + (r.alternate ? turn : 0)) % urls.length];

  // Start every conversation first (token, then POST /conversations), so the measured part is turns only.
  const t0 = performance.now();
  const convs = await Promise.all(
    Array.from({ length: r.conversations }, async (_, ci) => {
      const base = urls[ci % urls.length];
      const gen = await call('POST', `${base}/tokens/generate`);
      if (gen.status !== 200) throw new Error(`tokens/generate: ${gen.status} ${JSON.stringify(gen.json)}`);
      const start = await call('POST', `${base}/conversations`, gen.json.token);
      if (start.status !== 201) throw new Error(`conversations: ${start.status} ${JSON.stringify(start.json)}`);
      return { id: start.json.conversationId as string, token: start.json.token as string };
    }),
  );
  out.setupMs = performance.now() - t0;

  const start = performance.now();
  const deadline = start + r.deadlineMs;
  await Promise.all(
    convs.map(async (c, ci) => {
      let watermark = '0';
      const user = { id: `user-${ci}`, name: `User ${ci}` };
      const script = r.altScript && ci % 2 ? r.altScript : r.script;
      for (let turn = 0; turn < script.length; turn++) {
        if (performance.now() > deadline) {
          out.timedOut = true;
          return;
        }
        const base = baseFor(ci, turn);
        const sent = performance.now();
        const post = await call('POST', `${base}/conversations/${c.id}/activities`, c.token, {
          type: 'message',
          from: user,
          text: script[turn],
          locale: 'en-US',
          channelData: { clientActivityID: `${r.label}-${ci}-${turn}-${randomBytes(4).toString('hex')}` },
        }).catch((e: Error) => ({ status: 0, json: e.message }));
        out.posts.push(performance.now() - sent);
        if (post.status !== 200) {
          fail(`POST activity: ${post.status} ${JSON.stringify(post.json)}`);
          continue;
        }
        out.perUrl[base] = (out.perUrl[base] ?? 0) + 1;
        // Poll until a bot message newer than the watermark shows up.
        for (;;) {
          const got = await call(
            'GET',
            `${base}/conversations/${c.id}/activities?watermark=${watermark}`,
            c.token,
          ).catch((e: Error) => ({ status: 0, json: e.message }));
          out.polls++;
          if (got.status !== 200) {
            fail(`GET activities: ${got.status} ${JSON.stringify(got.json)}`);
            break;
          }
          watermark = got.json.watermark;
          if ((got.json.activities as Array<{ from?: { role?: string } }>).some((a) => a.from?.role === 'bot')) {
            out.latencies.push(performance.now() - sent);
            out.byTurn[turn].push(performance.now() - sent);
            break;
          }
          if (performance.now() - sent > r.turnTimeoutMs) {
            fail(`no reply within ${r.turnTimeoutMs} ms`);
            break;
          }
          await sleep(r.pollMs);
        }
      }
    }),
  );
  out.wallMs = performance.now() - start;
  out.resent = stats.resent - resent0;
  return out;
}

/** The client process's main: answers each { n, req } message with { n, result } or { n, error }. */
export function clientMain(): void {
  process.on('message', (m: { n: number; req: LoadRequest }) => {
    runLoad(m.req).then(
      (result) => process.send!({ n: m.n, result }),
      (e) => process.send!({ n: m.n, error: (e as Error).stack ?? String(e) }),
    );
  });
  process.on('disconnect', () => {
    agent.destroy();
    process.exit(0);
  });
}

/** A load client in a child process: `load(req)` runs one request there; `close()` ends the child. */
export interface LoadClient {
  child: ChildProcess;
  load(req: LoadRequest): Promise<LoadResult>;
  close(): Promise<void>;
}

/** Forks the client process (direct-line-client.ts under the same TypeScript loader as the CLI). */
export function forkLoadClient(env: NodeJS.ProcessEnv = process.env): LoadClient {
  const w = forkWorker<LoadRequest, LoadResult>(
    fileURLToPath(new URL('./direct-line-client.ts', import.meta.url)),
    [],
    env,
  );
  return { child: w.child, load: w.call, close: w.close };
}
