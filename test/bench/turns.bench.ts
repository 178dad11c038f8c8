/**
 * Benchmark: chat turns per second and p50/p99 turn latency through Direct Line, N conversations at once, for
 * (a) the Redress dialog engine and (b) a bare botbuilder echo bot behind the same Direct Line layer and storage.
 * The ratio of the two is the figure that counts: goal throughput ratio >= 0.5 and p99 ratio <= 2.
 *
 *   npm run bench                                                          # PGlite in memory
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench     # PostgreSQL, in a schema dropped at the end
 *
 * Environment: BENCH_CONCURRENCY (conversations at once, 100), BENCH_TURNS (turns per conversation, 6),
 * BENCH_ROUNDS (measured runs per bot, alternating echo and Redress, fresh conversations each; by default enough
 * for at least 1800 turns per bot and never fewer than 3),
 * BENCH_POLL_MS (GET interval while waiting for a reply, 20), BENCH_PHASE_TIMEOUT_S (cap per measured run, 60),
 * DATABASE_POOL_SIZE (passed to Redress, default 10). Only 127.0.0.1 traffic.
 *
 * The clients run in a child process (this same file with BENCH_ROLE=client) so that load generation does not share
 * the servers' event loop. Both bots run in this process on two restify servers over one Db (one pool): Direct Line,
 * tokens and the message tables are the same code; only the bot differs.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Activity, ConversationAccount, ResourceResponse } from 'botbuilder';
import type { Server } from 'restify';
import type { Inbound } from '../../src/ports.ts';
import type { Db } from '../../src/store/db.ts';

/**
 * A realistic complaint: opens a ticket (two follow-ups scheduled) on the 6th turn. The order number is written
 * "order #A123" because in "My parcel #A123 never arrived and I want a refund" the dialog does not see it (ORDER_EN in
 * dialogs/extract.ts matches "ref" inside "refund"), asks for it again and opens no ticket within six turns.
 */
const SCRIPT = ['My parcel, order #A123, never arrived and I want a refund', 'yes', 'a kettle', 'last Friday', 'Sam Lee', 'sam@example.com'];
/** Turns past the script: additions to the open complaint. */
const EXTRA = ['Also, the box it came in was soaking wet.', 'Any update on this?'];
const scriptFor = (turns: number) => Array.from({ length: turns }, (_, i) => SCRIPT[i] ?? EXTRA[(i - SCRIPT.length) % EXTRA.length]);

const intEnv = (name: string, def: number) => {
  const v = Number(process.env[name] ?? def);
  if (!Number.isSafeInteger(v) || v <= 0) throw new Error(`${name} must be a positive integer`);
  return v;
};

// ---------------------------------------------------------------------------------------------------------------
// Client side (child process): drives conversations over HTTP the way botframework-directlinejs does in polling mode.

interface LoadRequest {
  label: string;
  url: string;
  conversations: number;
  script: string[];
  pollMs: number;
  turnTimeoutMs: number;
  deadlineMs: number;
}

interface LoadResult {
  label: string;
  /** Turn latencies (POST sent to bot reply seen), ms. */
  latencies: number[];
  /** POST round trips alone, ms. */
  posts: number[];
  polls: number;
  failures: number;
  errors: string[];
  setupMs: number;
  wallMs: number;
  timedOut: boolean;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

function call(method: 'GET' | 'POST', url: string, token?: string, body?: unknown): Promise<{ status: number; json: any }> {
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
    req.on('error', reject);
    req.end(data);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function runLoad(r: LoadRequest): Promise<LoadResult> {
  const base = `${r.url}/v3/directline`;
  const out: LoadResult = { label: r.label, latencies: [], posts: [], polls: 0, failures: 0, errors: [], setupMs: 0, wallMs: 0, timedOut: false };
  const fail = (msg: string) => {
    out.failures++;
    if (out.errors.length < 5) out.errors.push(msg);
  };

  // Start every conversation first (token, then POST /conversations), so the measured part is turns only.
  const t0 = performance.now();
  const convs = await Promise.all(
    Array.from({ length: r.conversations }, async () => {
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
      for (let turn = 0; turn < r.script.length; turn++) {
        if (performance.now() > deadline) {
          out.timedOut = true;
          return;
        }
        const sent = performance.now();
        const post = await call('POST', `${base}/conversations/${c.id}/activities`, c.token, {
          type: 'message',
          from: user,
          text: r.script[turn],
          locale: 'en-US',
          channelData: { clientActivityID: `${r.label}-${ci}-${turn}-${randomBytes(4).toString('hex')}` },
        }).catch((e: Error) => ({ status: 0, json: e.message }));
        out.posts.push(performance.now() - sent);
        if (post.status !== 200) {
          fail(`POST activity: ${post.status} ${JSON.stringify(post.json)}`);
          continue;
        }
        // Poll until a bot message newer than the watermark shows up.
        for (;;) {
          const got = await call('GET', `${base}/conversations/${c.id}/activities?watermark=${watermark}`, c.token).catch((e: Error) => ({ status: 0, json: e.message }));
          out.polls++;
          if (got.status !== 200) {
            fail(`GET activities: ${got.status} ${JSON.stringify(got.json)}`);
            break;
          }
          watermark = got.json.watermark;
          if ((got.json.activities as Array<{ from?: { role?: string } }>).some((a) => a.from?.role === 'bot')) {
            out.latencies.push(performance.now() - sent);
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
  return out;
}

async function clientMain(): Promise<void> {
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

// ---------------------------------------------------------------------------------------------------------------
// Server side (this process): Redress and the echo bot, the runs, the table.

/** Direct Line backend for a bare botbuilder echo bot, stored in the same tables under channel 'echo'. */
async function echoBackend(db: Db) {
  const { ActivityHandler, BotAdapter, TurnContext } = await import('botbuilder');
  const { lockConversation } = await import('../../src/store/conversations.ts');
  const { recordInbound, recordOutbound } = await import('../../src/store/messages.ts');
  const { webChatBackend } = await import('../../src/web-chat-backend.ts');
  const ECHO = 'echo';
  const REPLIES = Symbol('replies');

  /** Runs a bot on one activity and collects what it sends (no connector, nothing leaves the process). */
  class CollectingAdapter extends BotAdapter {
    async sendActivities(context: InstanceType<typeof TurnContext>, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
      (context.turnState.get(REPLIES) as Partial<Activity>[]).push(...activities);
      return activities.map((_, i) => ({ id: String(i) }));
    }
    async updateActivity(): Promise<void> {
      throw new Error('not supported');
    }
    async deleteActivity(): Promise<void> {
      throw new Error('not supported');
    }
    async continueConversation(): Promise<void> {
      throw new Error('not supported');
    }
    async process(activity: Partial<Activity>, logic: (c: InstanceType<typeof TurnContext>) => Promise<void>): Promise<Partial<Activity>[]> {
      const context = new TurnContext(this, activity);
      const replies: Partial<Activity>[] = [];
      context.turnState.set(REPLIES, replies);
      await this.runMiddleware(context, logic);
      return replies;
    }
  }

  const bot = new ActivityHandler();
  bot.onMessage(async (context, next) => {
    await context.sendActivity(`You said: ${context.activity.text}`);
    await next();
  });
  const adapter = new CollectingAdapter();

  // The same Direct Line storage as Redress; only the turn differs.
  return webChatBackend(db, ECHO, (m: Inbound) =>
      db.transaction(async (tx) => {
        const conv = await lockConversation(tx, ECHO, m.conversationKey);
        const inboundId = await recordInbound(tx, { conversationId: conv.id, channel: ECHO, messageKey: m.messageKey, text: m.text, payload: { ...m.payload, sender: m.sender } });
        if (inboundId === undefined) {
          const first = await tx.query<{ id: number }>('SELECT id FROM messages WHERE channel = $1 AND message_key = $2', [ECHO, m.messageKey]);
          return { inboundId: first.rows[0].id };
        }
        const replies = await adapter.process(
          {
            type: 'message',
            id: m.messageKey,
            text: m.text,
            channelId: 'directline',
            serviceUrl: 'http://127.0.0.1',
            timestamp: new Date(),
            from: { id: m.sender.id, name: m.sender.name ?? m.sender.id },
            recipient: { id: 'echo', name: 'Echo' },
            conversation: { id: m.conversationKey } as ConversationAccount,
          },
          (context) => bot.run(context),
        );
        await recordOutbound(tx, conv, replies.map((a) => a.text ?? '').filter(Boolean), { replyTo: inboundId });
        return { inboundId };
      }),
  );
}

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] : NaN);

/** Busy share of all cores between two os.cpus() samples. */
function busy(a: os.CpuInfo[], b: os.CpuInfo[]): number {
  let idle = 0;
  let total = 0;
  b.forEach((c, i) => {
    const t = (x: os.CpuInfo['times']) => x.user + x.nice + x.sys + x.idle + x.irq;
    total += t(c.times) - t(a[i].times);
    idle += c.times.idle - a[i].times.idle;
  });
  return total ? 1 - idle / total : NaN;
}

interface Row {
  bot: string;
  concurrency: number;
  turns: number;
  failures: number;
  tps: number;
  p50: number;
  p99: number;
  max: number;
  postP50: number;
  pollsPerTurn: number;
  cpuMsPerTurn: number;
  machineBusy: number;
  timedOut: boolean;
  errors: string[];
}

async function serverMain(): Promise<void> {
  const concurrency = intEnv('BENCH_CONCURRENCY', 100);
  const turns = intEnv('BENCH_TURNS', 6);
  const pollMs = intEnv('BENCH_POLL_MS', 20);
  const rounds = intEnv('BENCH_ROUNDS', Math.max(3, Math.ceil(1800 / (concurrency * turns))));
  const phaseTimeoutMs = intEnv('BENCH_PHASE_TIMEOUT_S', 60) * 1000;
  const databaseUrl = process.env.DATABASE_URL || undefined;

  const { testConfig, schemaName } = await import('../helpers.ts');
  const { startRedress } = await import('../../src/main.ts');
  const { openDb } = await import('../../src/store/db.ts');
  const { createServer } = await import('../../src/server.ts');
  const { mountDirectLine } = await import('../../channels/web-chat/direct-line.ts');
  const { TokenSigner } = await import('../../channels/web-chat/tokens.ts');
  const pg = (await import('pg')).default;

  const schema = schemaName('bench');
  const config = testConfig({
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...(process.env.DATABASE_POOL_SIZE ? { DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE } : {}),
  });
  // PGlite: an in-memory database of our own (startRedress leaves a passed-in db open; we close it).
  const ownDb = databaseUrl ? undefined : await openDb({ schema });
  const app = await startRedress(config, { schema, jobs: false, db: ownDb });

  const echo: Server = createServer(app.db);
  const secret = randomBytes(32).toString('base64url');
  mountDirectLine(echo, { backend: await echoBackend(app.db), signer: new TokenSigner(secret), secret, maxBodyBytes: config.MAX_BODY_BYTES, log: app.log });
  await new Promise<void>((resolve, reject) => {
    echo.once('error', reject);
    echo.listen(0, '127.0.0.1', () => resolve());
  });
  const echoUrl = `http://127.0.0.1:${echo.address().port}`;

  const self = fileURLToPath(import.meta.url);
  const runTs = fileURLToPath(new URL('../../bin/run-ts.mjs', import.meta.url));
  const client: ChildProcess = fork(runTs, [self], { env: { ...process.env, BENCH_ROLE: 'client' }, stdio: 'inherit' });
  let n = 0;
  const load = (req: LoadRequest) =>
    new Promise<LoadResult>((resolve, reject) => {
      const id = ++n;
      const onMessage = (m: { n: number; result?: LoadResult; error?: string }) => {
        if (m.n !== id) return;
        client.off('message', onMessage);
        client.off('exit', onExit);
        if (m.error) reject(new Error(`client: ${m.error}`));
        else resolve(m.result!);
      };
      const onExit = (code: number | null) => reject(new Error(`client exited (${code})`));
      client.on('message', onMessage);
      client.once('exit', onExit);
      client.send({ n: id, req });
    });

  /** One run of `conversations` conversations against `url`, with this process's CPU and the machine's busy share. */
  const run = async (bot: string, url: string, conversations: number, script: string[]) => {
    const cpu0 = process.cpuUsage();
    const cores0 = os.cpus();
    const r = await load({ label: `${bot}-${randomBytes(3).toString('hex')}`, url, conversations, script, pollMs, turnTimeoutMs: 30_000, deadlineMs: phaseTimeoutMs });
    const cpu = process.cpuUsage(cpu0);
    return { ...r, cpuMs: (cpu.user + cpu.system) / 1000, busy: busy(cores0, os.cpus()) };
  };
  type Run = Awaited<ReturnType<typeof run>>;

  /** Pools the runs of one bot: throughput is all turns over all measured wall time, percentiles over all turns. */
  const summarise = (bot: string, runs: Run[]): Row => {
    const lat = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
    const posts = runs.flatMap((r) => r.posts).sort((a, b) => a - b);
    const wallMs = runs.reduce((a, r) => a + r.wallMs, 0);
    const sum = (k: 'polls' | 'failures' | 'cpuMs') => runs.reduce((a, r) => a + r[k], 0);
    return {
      bot,
      concurrency: concurrency,
      turns: lat.length,
      failures: sum('failures'),
      tps: (lat.length / wallMs) * 1000,
      p50: pct(lat, 50),
      p99: pct(lat, 99),
      max: lat.at(-1) ?? NaN,
      postP50: pct(posts, 50),
      pollsPerTurn: lat.length ? sum('polls') / lat.length : NaN,
      // CPU of this process (both servers, the pool, PGlite when used) per completed turn, while the runs lasted.
      cpuMsPerTurn: lat.length ? sum('cpuMs') / lat.length : NaN,
      machineBusy: runs.reduce((a, r) => a + r.busy * r.wallMs, 0) / wallMs,
      timedOut: runs.some((r) => r.timedOut),
      errors: runs.flatMap((r) => r.errors).slice(0, 5),
    };
  };

  const script = scriptFor(turns);
  const countTickets = async () => Number((await app.db.query<{ n: number }>('SELECT count(*)::int8 AS n FROM tickets')).rows[0].n);
  const rows: Row[] = [];
  let failed = false;
  const began = performance.now();
  try {
    console.log(
      `Redress turn benchmark: ${app.db.kind === 'pg' ? `PostgreSQL (pool ${config.DATABASE_POOL_SIZE})` : 'PGlite in memory'}, schema ${schema}, ` +
        `${concurrency} conversations x ${turns} turns x ${rounds} rounds per bot, poll every ${pollMs} ms, node ${process.version}, ${os.cpus().length} cores`,
    );
    // Warm-up: JIT, pool connections, botbuilder and the dialog's lazy parts; not reported.
    const warm = Math.min(concurrency, 20);
    await run('echo', echoUrl, warm, script);
    await run('redress', app.url, warm, script);
    const ticketsBefore = await countTickets();
    const runs: Record<'echo' | 'redress', Run[]> = { echo: [], redress: [] };
    for (let i = 0; i < rounds; i++) {
      // Alternate which bot goes first so neither always meets the fuller tables.
      for (const bot of i % 2 ? (['redress', 'echo'] as const) : (['echo', 'redress'] as const)) {
        runs[bot].push(await run(bot, bot === 'echo' ? echoUrl : app.url, concurrency, script));
      }
    }
    rows.push(summarise('echo', runs.echo), summarise('redress', runs.redress));
    const tickets = (await countTickets()) - ticketsBefore;

    const f = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '-');
    console.log('');
    console.log('| bot | concurrency | turns | turns/s | p50 ms | p99 ms | max ms | POST p50 ms | GETs/turn | server CPU ms/turn | machine CPU |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const r of rows) {
      console.log(
        `| ${r.bot} | ${r.concurrency} | ${r.turns}${r.failures ? ` (${r.failures} failed)` : ''}${r.timedOut ? ' (timed out)' : ''} | ${f(r.tps)} | ${f(r.p50)} | ${f(r.p99)} | ${f(r.max)} | ${f(r.postP50)} | ${f(r.pollsPerTurn, 2)} | ${f(r.cpuMsPerTurn, 2)} | ${f(r.machineBusy * 100, 0)}% |`,
      );
      for (const e of r.errors) console.log(`  ${r.bot} error: ${e}`);
    }
    const [e, red] = rows;
    const tRatio = red.tps / e.tps;
    const pRatio = red.p99 / e.p99;
    const complete = rows.every((r) => r.failures === 0 && !r.timedOut && r.turns === rounds * concurrency * turns);
    console.log(`Redress tickets opened in the measured runs: ${tickets} (expected ${turns >= SCRIPT.length ? rounds * concurrency : 0})`);
    const ok = complete && tRatio >= 0.5 && pRatio <= 2;
    console.log('');
    console.log(`throughput ratio (Redress / echo): ${f(tRatio, 2)}  (goal >= 0.5)`);
    console.log(`p99 ratio (Redress / echo):        ${f(pRatio, 2)}  (goal <= 2)`);
    console.log(`goal ${ok ? 'HOLDS' : 'NOT MET'}${complete ? '' : ' (some turns failed or timed out)'}; ${((performance.now() - began) / 1000).toFixed(1)} s`);
    // A goal not met is a result; turns that failed mean the figures are not to be trusted.
    if (!complete) failed = true;
  } catch (err) {
    failed = true;
    console.error(err);
  } finally {
    client.disconnect();
    await new Promise<void>((r) => (client.exitCode !== null ? r() : client.once('exit', () => r())));
    await new Promise<void>((r) => echo.close(() => r()));
    await app.stop();
    if (ownDb) await ownDb.close();
    if (databaseUrl) {
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.query(`DROP SCHEMA IF EXISTS ${schema}_boss CASCADE`);
      await c.end();
    }
  }
  if (failed) process.exitCode = 1;
}

if (process.env.BENCH_ROLE === 'client') await clientMain();
else await serverMain();
