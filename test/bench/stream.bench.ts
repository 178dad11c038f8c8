/**
 * Benchmark (issue #18): the time from a customer's post to the bot's reply reaching the client, p50 and p99, at 100
 * and 1,000 conversations at once, over a Direct Line WebSocket stream beside polling. Goal: p50 under 50 ms at 100.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node bin/run-ts.mjs test/bench/stream.bench.ts
 *
 * Redress runs in this process (startRedress on PostgreSQL in a throw-away schema, dropped at the end; PGlite in
 * memory without DATABASE_URL), the clients in a child process (stream-client.ts). Each level runs four times, each
 * time with fresh conversations, the same complaint as load.bench.ts (every other conversation in Chinese):
 *   - paced, over the stream and by polling every second (Web Chat's interval): each conversation waits 2–6 s before
 *     each post, as a customer typing. This is the latency a customer sees with that many chats open.
 *   - closed loop, over the stream and by polling every 20 ms (the other benches' client): each conversation posts again
 *     as soon as its reply is in, which saturates the machine: throughput, and the latency under it.
 * Rate limits are lifted for the run (every client is 127.0.0.1): RATE_LIMIT_PUBLIC_PER_MINUTE and
 * WEB_CHAT_STREAM_OPENS_PER_MINUTE are 0.
 *
 * Environment: BENCH_LEVELS (100,1000), BENCH_TURNS (6), BENCH_THINK_MS (2000-6000), BENCH_WEB_CHAT_POLL_MS (1000),
 * BENCH_POLL_MS (20), BENCH_CLOSED_MIN_TURNS (1800: closed-loop rounds per level to reach that many turns),
 * DATABASE_POOL_SIZE (10). Results also go to test-artifacts/stream-report.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { intEnv, pct, scriptFor, scriptForZh } from './direct-line-load.ts';
import { forkStreamClient, type StreamRequest, type StreamResult } from './stream-client.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LEVELS = (process.env.BENCH_LEVELS ?? '100,1000').split(',').map(Number).filter(Boolean);
const TURNS = intEnv('BENCH_TURNS', 6);
const [THINK_MIN, THINK_MAX] = (process.env.BENCH_THINK_MS ?? '2000-6000').split('-').map(Number);
const WEB_CHAT_POLL_MS = intEnv('BENCH_WEB_CHAT_POLL_MS', 1000);
const POLL_MS = intEnv('BENCH_POLL_MS', 20);
const CLOSED_MIN_TURNS = intEnv('BENCH_CLOSED_MIN_TURNS', 1800);

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
  load: 'paced' | 'closed';
  transport: string;
  conversations: number;
  turns: number;
  expected: number;
  failures: number;
  turnsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  postP50Ms: number;
  getsPerSecond: number;
  typingPerTurn: number;
  /** CPU of this process (Redress) per completed turn. */
  serverCpuMsPerTurn: number;
  machineBusy: number;
  setupSeconds: number;
  errors: string[];
}

const f = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '-');

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const { testConfig, schemaName } = await import('../helpers.ts');
  const { startRedress } = await import('../../src/main.ts');
  const { openDb } = await import('../../src/store/db.ts');
  const pg = (await import('pg')).default;

  const schema = schemaName('bench');
  const config = testConfig({
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...(process.env.DATABASE_POOL_SIZE ? { DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE } : {}),
    RATE_LIMIT_PUBLIC_PER_MINUTE: '0',
    WEB_CHAT_STREAM_OPENS_PER_MINUTE: '0',
  });
  const ownDb = databaseUrl ? undefined : await openDb({ schema });
  const app = await startRedress(config, { schema, jobs: false, db: ownDb });
  const client = forkStreamClient();
  const script = scriptFor(TURNS);
  const altScript = process.env.BENCH_MIX_ZH === '0' ? undefined : scriptForZh(TURNS);

  const run = async (req: Omit<StreamRequest, 'url' | 'script' | 'altScript' | 'turnTimeoutMs' | 'deadlineMs'>) => {
    const cpu0 = process.cpuUsage();
    const cores0 = os.cpus();
    const r = await client.run({ ...req, url: app.url, script, altScript, turnTimeoutMs: 30_000, deadlineMs: 120_000 });
    const cpu = process.cpuUsage(cpu0);
    return { ...r, cpuMs: (cpu.user + cpu.system) / 1000, busy: busy(cores0, os.cpus()) };
  };
  type Run = Awaited<ReturnType<typeof run>>;

  const summarise = (load: Row['load'], transport: string, conversations: number, runs: Run[]): Row => {
    const lat = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
    const posts = runs.flatMap((r) => r.posts).sort((a, b) => a - b);
    const wallMs = runs.reduce((a, r) => a + r.wallMs, 0);
    const sum = (k: keyof Pick<StreamResult, 'gets' | 'failures' | 'typing' | 'setupMs'> | 'cpuMs') =>
      runs.reduce((a, r) => a + r[k], 0);
    return {
      load,
      transport,
      conversations,
      turns: lat.length,
      expected: runs.length * conversations * TURNS,
      failures: sum('failures'),
      turnsPerSecond: (lat.length / wallMs) * 1000,
      p50Ms: pct(lat, 50),
      p99Ms: pct(lat, 99),
      maxMs: lat.at(-1) ?? NaN,
      postP50Ms: pct(posts, 50),
      getsPerSecond: (sum('gets') / wallMs) * 1000,
      typingPerTurn: lat.length ? sum('typing') / lat.length : NaN,
      serverCpuMsPerTurn: lat.length ? sum('cpuMs') / lat.length : NaN,
      machineBusy: runs.reduce((a, r) => a + r.busy * r.wallMs, 0) / wallMs,
      setupSeconds: sum('setupMs') / runs.length / 1000,
      errors: runs.flatMap((r) => r.errors).slice(0, 5),
    };
  };

  const rows: Row[] = [];
  let failed = false;
  const began = performance.now();
  const log = (msg: string) =>
    console.log(`[stream ${((performance.now() - began) / 1000).toFixed(0).padStart(3)} s] ${msg}`);
  try {
    log(
      `Redress on ${app.db.kind === 'pg' ? `PostgreSQL (pool ${config.DATABASE_POOL_SIZE}), schema ${schema}` : 'PGlite'}; ` +
        `levels ${LEVELS.join(', ')}, ${TURNS} turns, think ${THINK_MIN}-${THINK_MAX} ms; node ${process.version}, ` +
        `${os.cpus().length} cores, load average ${os
          .loadavg()
          .map((x) => x.toFixed(2))
          .join(' ')}`,
    );
    // Warm-up: JIT, pool connections, the dialog's lazy parts, both transports; not reported.
    for (const transport of ['ws', 'poll'] as const)
      await run({ label: `warm-${transport}`, transport, conversations: 20, pollMs: POLL_MS });
    for (const n of LEVELS) {
      const paced = { conversations: n, thinkMs: [THINK_MIN, THINK_MAX] as [number, number] };
      for (const [transport, pollMs, name] of [
        ['ws', 0, 'WebSocket'],
        ['poll', WEB_CHAT_POLL_MS, `polling ${WEB_CHAT_POLL_MS} ms`],
      ] as const) {
        const r = await run({ label: `paced-${transport}-${n}`, transport, pollMs, ...paced });
        rows.push(summarise('paced', name, n, [r]));
        log(line(rows.at(-1)!));
      }
      const rounds = Math.max(1, Math.ceil(CLOSED_MIN_TURNS / (n * TURNS)));
      for (const [transport, pollMs, name] of [
        ['ws', 0, 'WebSocket'],
        ['poll', POLL_MS, `polling ${POLL_MS} ms`],
      ] as const) {
        const rs: Run[] = [];
        for (let i = 0; i < rounds; i++)
          rs.push(await run({ label: `closed-${transport}-${n}-${i}`, transport, pollMs, conversations: n }));
        rows.push(summarise('closed', name, n, rs));
        log(line(rows.at(-1)!));
      }
    }
    print(rows);
    const goal = rows.find((r) => r.load === 'paced' && r.transport === 'WebSocket' && r.conversations === 100);
    if (goal)
      console.log(
        `\ngoal p50 < 50 ms at 100 conversations over the stream: ${f(goal.p50Ms)} ms, ${goal.p50Ms < 50 ? 'MET' : 'NOT MET'}`,
      );
    if (rows.some((r) => r.failures || r.turns !== r.expected)) failed = true;
  } catch (err) {
    failed = true;
    console.error(err);
  } finally {
    await client.close();
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
  mkdirSync(`${ROOT}test-artifacts`, { recursive: true });
  writeFileSync(
    `${ROOT}test-artifacts/stream-report.json`,
    `${JSON.stringify({ at: new Date().toISOString(), cpus: os.cpus().length, rows }, null, 2)}\n`,
  );
  console.log(`${((performance.now() - began) / 1000).toFixed(1)} s`);
  if (failed) process.exitCode = 1;
}

const line = (r: Row) =>
  `${r.load} ${r.transport} x ${r.conversations}: ${r.turns}/${r.expected} turns${r.failures ? ` (${r.failures} failed: ${r.errors.join(' | ')})` : ''}, ` +
  `${f(r.turnsPerSecond)} turns/s, p50 ${f(r.p50Ms)} p99 ${f(r.p99Ms)} ms, machine ${f(r.machineBusy * 100, 0)}%`;

function print(rows: Row[]): void {
  console.log('');
  console.log(
    '| load | transport | conversations | turns | turns/s | p50 ms | p99 ms | max ms | POST p50 ms | GETs/s | typing/turn | server CPU ms/turn | machine CPU | setup s |',
  );
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(
      `| ${r.load} | ${r.transport} | ${r.conversations} | ${r.turns}${r.failures ? ` (${r.failures} failed)` : ''} | ${f(r.turnsPerSecond)} | ${f(r.p50Ms)} | ${f(r.p99Ms)} | ${f(r.maxMs)} | ${f(r.postP50Ms)} | ${f(r.getsPerSecond, 0)} | ${f(r.typingPerTurn, 2)} | ${f(r.serverCpuMsPerTurn, 2)} | ${f(r.machineBusy * 100, 0)}% | ${f(r.setupSeconds)} |`,
    );
    for (const e of r.errors) console.log(`  ${r.load} ${r.transport} ${r.conversations} error: ${e}`);
  }
}

await main();
