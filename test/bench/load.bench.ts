/**
 * Load benchmark ("Production readiness", Load): one report from one run of
 *   - chat: turns/s and p50/p99 turn latency at 10, 100 and 1,000 concurrent Direct Line conversations against two
 *     real Redress processes (`node bin/redress.mjs serve --role all`, one database, one DIRECT_LINE_SECRET),
 *     beside two processes of a bare botbuilder echo bot (echo-server.ts) on the same database and machine, and the
 *     ratios; conversations go round-robin to the two processes and, by default, their turns alternate between them;
 *   - memory: the largest resident set (VmRSS) of each process, per concurrency level;
 *   - follow-ups: 100,000 follow-ups inserted with SQL while Redress is stopped, all due within a short window, then
 *     two `--role worker` processes: lag from due time to firing (p50/p99/max), none sent twice;
 *   - emails per second and transcript ingestion time: email.bench.ts and transcript.bench.ts, run as children on the
 *     same database server, their figures taken into the report.
 * It prints one table and writes it as JSON to test-artifacts/load-report.json; server logs go to
 * test-artifacts/load-bench/.
 *
 * Notes on what is measured:
 *   - The servers start one after another: two Redress processes starting at the same moment on a new database can
 *     deadlock in pg-boss's createQueue, and the loser then hangs without listening.
 *   - Redress runs as shipped: `npm run serve`'s node flags (the heap cap) on the compiled dist/ when it is up to date,
 *     pg-boss on, rate limits on (public budget raised, since every request comes from 127.0.0.1). The echo servers have no pg-boss and no rate limiter, like turns.bench.ts's.
 *   - CPU per turn is split into the bot's server processes and the PostgreSQL backends of the bench database; "others"
 *     is what the rest of the machine used meanwhile (other users of a shared machine make the figures noisy).
 *   - Follow-ups inserted with SQL have no pg-boss job (only the engine enqueues one), so the workers' sweep
 *     (FollowupScheduler.fireDue: up to 200 per sweep, every FOLLOWUP_SWEEP_SECONDS) is what fires them. Lag is the
 *     follow-up's message's created_at (now() of the firing transaction) minus due_at; followups.fired_at is the
 *     time the sweep started, which understates the lag of the later ones in a batch, and is shown beside it.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node bin/run-ts.mjs test/bench/load.bench.ts
 *
 * Needs DATABASE_URL (a role that may CREATE DATABASE): the run creates `redress_bench_<random>` on that server and drops
 * it at the end (BENCH_KEEP_DB=1 keeps it). Environment (defaults in brackets):
 *   BENCH_LEVELS [10,100,1000]       concurrent conversations per level
 *   BENCH_TURNS [6]                  turns per conversation (the 6th opens a ticket)
 *   BENCH_MIN_TURNS [1800]           rounds per level: enough for this many turns per bot, at least BENCH_MIN_ROUNDS [2]
 *   BENCH_ROUNDS                     fixed rounds per level instead
 *   BENCH_POLL_MS [20]               GET interval while a client waits for the reply
 *   BENCH_ALTERNATE [1]              0: each conversation stays on its process; 1: turns alternate between processes
 *   BENCH_ROLES [all,all]            roles of the Redress chat processes (e.g. web,all)
 *   BENCH_FOLLOWUPS [100000]         follow-ups to fire (0 skips that part)
 *   BENCH_FOLLOWUP_DUE [all]         how many of them fall due in the window (the rest 30 days later: "scheduled")
 *   BENCH_FOLLOWUP_WINDOW_S [60]     they fall due evenly over this many seconds
 *   BENCH_FOLLOWUP_SWEEP_S [1]       FOLLOWUP_SWEEP_SECONDS of the workers
 *   BENCH_WORKERS [2]                worker processes
 *   BENCH_FOLLOWUP_TIMEOUT_S [600]   give up waiting after this long past the window
 *   BENCH_INCLUDE [email,transcript] the other benches to run first (empty: none)
 *   BENCH_MIX_ZH [1]                 1: every other conversation is in Chinese (about a product no list holds, so the
 *                                    segmenter is loaded); 0: all English
 *   DATABASE_POOL_SIZE [10]          passed to every server process
 */
// @ts-expect-error plain JavaScript module without types (bin/redress.mjs uses it before any loader exists).
import { buildIsFresh } from '../../bin/fresh-build.mjs';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort } from '../helpers.ts';
import {
  forkLoadClient,
  intEnv,
  pct,
  scriptFor,
  scriptForZh,
  type LoadClient,
  type LoadResult,
} from './direct-line-load.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ARTIFACTS = `${ROOT}test-artifacts`;
const LOGS = `${ARTIFACTS}/load-bench`;
const ADMIN_URL = process.env.DATABASE_URL;
const CLK_TCK = 100;

const listEnv = (name: string, def: string) =>
  (process.env[name] ?? def)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const numEnv = (name: string, def: number) => {
  const v = Number(process.env[name] ?? def);
  if (!Number.isFinite(v) || v < 0) throw new Error(`${name} must be a number >= 0`);
  return v;
};
const LEVELS = listEnv('BENCH_LEVELS', '10,100,1000').map(Number);
const TURNS = intEnv('BENCH_TURNS', 6);
const MIN_TURNS = intEnv('BENCH_MIN_TURNS', 1800);
const MIN_ROUNDS = intEnv('BENCH_MIN_ROUNDS', 2);
const POLL_MS = intEnv('BENCH_POLL_MS', 20);
const ALTERNATE = process.env.BENCH_ALTERNATE !== '0';
// Redress runs with the node flags of package.json's `serve` script (the heap cap), as shipped; BENCH_NODE_FLAGS
// replaces them for experiments.
const SHIPPED_FLAGS = (JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')).scripts.serve as string)
  .split(/\s+/)
  .filter((t) => t.startsWith('--') && !['--role'].includes(t));
const COMPILED = buildIsFresh(ROOT) as boolean;
const NODE_FLAGS =
  process.env.BENCH_NODE_FLAGS !== undefined ? process.env.BENCH_NODE_FLAGS.split(' ').filter(Boolean) : SHIPPED_FLAGS;
const ROLES = listEnv('BENCH_ROLES', 'all,all');
const FOLLOWUPS = numEnv('BENCH_FOLLOWUPS', 100_000);
const WINDOW_S = numEnv('BENCH_FOLLOWUP_WINDOW_S', 60);
const SWEEP_S = numEnv('BENCH_FOLLOWUP_SWEEP_S', 0.5);
const WORKERS = intEnv('BENCH_WORKERS', 2);
const FOLLOWUP_TIMEOUT_S = intEnv('BENCH_FOLLOWUP_TIMEOUT_S', 600);
const INCLUDE = listEnv('BENCH_INCLUDE', 'email,transcript');
const POOL = String(intEnv('DATABASE_POOL_SIZE', 10));

const f = (x: number | undefined, d = 1) => (x !== undefined && Number.isFinite(x) ? x.toFixed(d) : '-');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (msg: string) => console.log(`[load ${new Date().toISOString().slice(11, 19)}] ${msg}`);

// ---------------------------------------------------------------------------------------------------------------
// Server processes: spawned children, their resident memory and CPU read from /proc.

interface Proc {
  name: string;
  kind: 'redress' | 'echo' | 'worker';
  child: ChildProcess;
  url: string;
  logFile: string;
  /** Largest VmRSS seen, MB, since the last reset (per level or phase). */
  maxRssMb: number;
}

const procs = new Set<Proc>();

/** VmRSS in MB and CPU time (user + system) in ms of a live process, from /proc. */
function procStat(pid: number): { rssMb: number; cpuMs: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(rest[11]) + Number(rest[12]);
    return { rssMb: rssKb / 1024, cpuMs: (ticks * 1000) / CLK_TCK };
  } catch {
    return undefined;
  }
}

/** Starts a server child and waits until GET /healthz answers 200. */
async function startProc(name: string, kind: Proc['kind'], args: string[], env: Record<string, string>): Promise<Proc> {
  const port = await freePort();
  const logFile = `${LOGS}/${name}.log`;
  // bin/redress.mjs decides at each start: a source edited mid-run makes later processes run through tsx (more memory).
  if (kind !== 'echo' && !buildIsFresh(ROOT)) {
    report.ranTypeScript.push(name);
    log(`${name} runs the TypeScript sources through tsx: dist/ is missing or older than the sources`);
  }
  const fd = openSync(logFile, 'w');
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), DATABASE_POOL_SIZE: POOL, ...env },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const p: Proc = { name, kind, child, url: `http://127.0.0.1:${port}`, logFile, maxRssMb: 0 };
  procs.add(p);
  const started = performance.now();
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}):\n${tail(logFile)}`);
    const ok = await fetch(`${p.url}/healthz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    if (performance.now() - started > 60_000) throw new Error(`${name} not healthy after 60 s:\n${tail(logFile)}`);
    await sleep(200);
  }
  return p;
}

const tail = (file: string, lines = 20) => {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
};

/** SIGTERM (graceful stop), SIGKILL after 20 s. */
async function stopProc(p: Proc): Promise<void> {
  const { child } = p;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }
  procs.delete(p);
}

/** Samples every live process's RSS every 250 ms into its maxRssMb. */
const rssTimer = setInterval(() => {
  for (const p of procs) {
    const s = p.child.pid ? procStat(p.child.pid) : undefined;
    if (s && s.rssMb > p.maxRssMb) p.maxRssMb = s.rssMb;
  }
}, 250);
rssTimer.unref();

/** CPU ms of `pids` and the machine's busy and total core-ms, to take differences of. */
function cpuSnapshot(pids: number[]) {
  const cores = os.cpus();
  let busy = 0;
  let total = 0;
  for (const c of cores) {
    const t = c.times;
    total += t.user + t.nice + t.sys + t.idle + t.irq;
    busy += t.user + t.nice + t.sys + t.irq;
  }
  return { procs: pids.map((pid) => procStat(pid)?.cpuMs ?? NaN), busy, total };
}

/** CPU ms so far of each PostgreSQL backend serving the bench database (the servers' pools, pg-boss). */
async function dbBackendsCpu(admin: pg.Client): Promise<Map<number, number>> {
  const rows = (
    await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database()')
  ).rows;
  return new Map(rows.map((r) => [r.pid, procStat(r.pid)?.cpuMs ?? 0]));
}
const cpuSince = (a: Map<number, number>, b: Map<number, number>) =>
  [...b].reduce((s, [pid, ms]) => s + ms - (a.get(pid) ?? 0), 0);

// ---------------------------------------------------------------------------------------------------------------
// Report.

interface ChatRow {
  bot: 'echo' | 'redress';
  concurrency: number;
  rounds: number;
  turns: number;
  expectedTurns: number;
  failures: number;
  timedOut: boolean;
  turnsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  postP50Ms: number;
  getsPerTurn: number;
  /** CPU of the bot's two server processes per completed turn. */
  serverCpuMsPerTurn: number;
  /** CPU of the PostgreSQL backends serving the bench database per completed turn. */
  dbCpuMsPerTurn: number;
  /** CPU of the load-client process per completed turn. */
  clientCpuMsPerTurn: number;
  /** Share of the machine's cores busy during the runs (everything, including other users of the machine). */
  machineBusy: number;
  /** Share of the machine busy with anything but this bench (its servers, client and database backends). */
  othersBusy: number;
  /** Turns whose POST went to each process. */
  perProcess: Record<string, number>;
  /** p50 / p99 ms of each turn of the script (turn 6 opens the ticket). */
  byTurn: Array<{ turn: number; p50Ms: number; p99Ms: number }>;
  /** Redress only: largest V8 heap used / total and external memory per process, MB (from /metrics). */
  heapMb?: Record<string, Record<string, number>>;
  /** Requests the client sent again because the server closed a keep-alive socket under them. */
  resent: number;
  maxRssMb: Record<string, number>;
  errors: string[];
}

interface Report {
  at: string;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGb: number;
    node: string;
    postgres?: string;
    loadAverageAtStart: number[];
    kernel: string;
  };
  settings: Record<string, unknown>;
  chat: {
    rows: ChatRow[];
    ratios: Array<{ concurrency: number; throughputRatio: number; p99Ratio: number; holds: boolean }>;
    redressTicketsOpened?: Record<string, { opened: number; expected: number }>;
  };
  memory?: { concurrency: number; maxRssMb: Record<string, number>; goalMb: number; holds: boolean };
  followups?: Record<string, unknown>;
  email?: Record<string, unknown>;
  transcript?: Record<string, unknown>;
  goals: Array<{ goal: string; figure: string; holds: boolean | null }>;
  /** Processes that ran the TypeScript sources instead of dist/ (sources edited during the run, or no build). */
  ranTypeScript: string[];
  durationSeconds: number;
}

const began = performance.now();
const report: Report = {
  at: new Date().toISOString(),
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
    kernel: os.release(),
  },
  ranTypeScript: [],
  settings: {
    levels: LEVELS,
    turns: TURNS,
    pollMs: POLL_MS,
    alternate: ALTERNATE,
    roles: ROLES,
    poolSize: Number(POOL),
    followups: FOLLOWUPS,
    followupWindowSeconds: WINDOW_S,
    sweepSeconds: SWEEP_S,
    workers: WORKERS,
    include: INCLUDE,
  },
  chat: { rows: [], ratios: [] },
  goals: [],
  durationSeconds: 0,
};

// ---------------------------------------------------------------------------------------------------------------
// The other benches (email, transcript): children whose printed figures go into the report.

async function runChild(script: string, env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/run-ts.mjs', script], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c;
      process.stdout.write(c);
    });
    child.stderr!.on('data', (c: Buffer) => {
      out += c;
      process.stderr.write(c);
    });
    child.on('exit', (code) => resolve({ code, out }));
  });
}

async function otherBenches(databaseUrl: string): Promise<void> {
  if (INCLUDE.includes('email')) {
    log('email.bench.ts');
    const r = await runChild('test/bench/email.bench.ts', { DATABASE_URL: databaseUrl });
    const raw = /\| imapflow fetch only \| (\d+) \| ([\d.]+) \| (\d+) \|/.exec(r.out);
    const bot = /\| Redress: fetch, parse, turn, reply by SMTP \| (\d+) \| ([\d.]+) \| (\d+) \|/.exec(r.out);
    report.email =
      bot && raw
        ? {
            emails: Number(bot[1]),
            seconds: Number(bot[2]),
            emailsPerSecond: Number(bot[3]),
            imapFetchOnlyPerSecond: Number(raw[3]),
            ratio: Number(bot[3]) / Number(raw[3]),
          }
        : { failed: `exit ${r.code}`, output: r.out.slice(-2000) };
  }
  if (INCLUDE.includes('transcript')) {
    log('transcript.bench.ts');
    const r = await runChild('test/bench/transcript.bench.ts', { DATABASE_URL: databaseUrl });
    const m = /parse only: ([\d.]+) ms .*upload to ticket: ([\d.]+) ms/.exec(r.out);
    const w = /Transcript: a (\d+)-word call \((\d+) lines, (\d+) KB\)/.exec(r.out);
    report.transcript = m
      ? {
          words: Number(w?.[1]),
          lines: Number(w?.[2]),
          kb: Number(w?.[3]),
          parseMs: Number(m[1]),
          uploadToTicketMs: Number(m[2]),
          ratio: Number(m[2]) / Number(m[1]),
        }
      : { failed: `exit ${r.code}`, output: r.out.slice(-2000) };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Chat: two Redress processes and two echo processes, all levels.

async function chat(databaseUrl: string, admin: pg.Client): Promise<void> {
  const secret = randomBytes(32).toString('base64url');
  const common = { DATABASE_URL: databaseUrl, DIRECT_LINE_SECRET: secret, LOG_LEVEL: 'warn' };
  // Redress's own /metrics (prom-client's process metrics) say how much of the resident set is V8 heap.
  const metricsToken = randomBytes(24).toString('base64url');
  log(`starting ${ROLES.length} Redress processes (${ROLES.join(', ')}) and ${ROLES.length} echo processes`);
  // One after the other: two Redress processes starting at the same moment on a new database can deadlock in
  // pg-boss's createQueue (40P01), and the failed one then hangs without listening (see the report).
  const redress: Proc[] = [];
  for (const [i, role] of ROLES.entries()) {
    redress.push(
      await startProc(`redress-${i + 1}`, 'redress', [...NODE_FLAGS, 'bin/redress.mjs', 'serve', '--role', role], {
        ...common,
        RATE_LIMIT_PUBLIC_PER_MINUTE: '1000000',
        METRICS_TOKEN: metricsToken,
      }),
    );
  }
  // The chat opens tickets whose follow-ups are due in an hour or more: nothing fires during the runs.
  const echo: Proc[] = [];
  for (const i of ROLES.keys())
    echo.push(await startProc(`echo-${i + 1}`, 'echo', ['bin/run-ts.mjs', 'test/bench/echo-server.ts'], common));
  const servers = { echo, redress };
  const client: LoadClient = forkLoadClient();
  const clientPid = client.child.pid!;
  const script = scriptFor(TURNS);
  const altScript = process.env.BENCH_MIX_ZH === '0' ? undefined : scriptForZh(TURNS);
  const tickets = async () => Number((await admin.query<{ n: string }>('SELECT count(*) AS n FROM tickets')).rows[0].n);
  report.chat.redressTicketsOpened = {};
  // Largest heap figures per Redress process (MB) from /metrics, every 3 s, since the last reset.
  const heap = new Map<string, Record<string, number>>();
  const heapTimer = setInterval(() => {
    for (const p of redress) {
      fetch(`${p.url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })
        .then((r) => (r.ok ? r.text() : ''))
        .then((text) => {
          const max = heap.get(p.name) ?? {};
          for (const [name, key] of [
            ['nodejs_heap_size_used_bytes', 'heapUsed'],
            ['nodejs_heap_size_total_bytes', 'heapTotal'],
            ['nodejs_external_memory_bytes', 'external'],
          ]) {
            const v = Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1]) / 2 ** 20;
            if (Number.isFinite(v)) max[key] = Math.max(max[key] ?? 0, Math.round(v));
          }
          heap.set(p.name, max);
        })
        .catch(() => {});
    }
  }, 3000);
  try {
    const dbCpu = () => dbBackendsCpu(admin);
    const run = async (bot: 'echo' | 'redress', conversations: number) => {
      const mine = servers[bot].map((p) => p.child.pid!);
      const all = [...[...echo, ...redress].map((p) => p.child.pid!), clientPid];
      const db0 = await dbCpu();
      const a = cpuSnapshot(all);
      const r = await client.load({
        label: `${bot}-${randomBytes(3).toString('hex')}`,
        url: servers[bot].map((p) => p.url),
        alternate: ALTERNATE,
        conversations,
        script,
        altScript,
        pollMs: POLL_MS,
        turnTimeoutMs: 60_000,
        deadlineMs: 300_000,
      });
      const b = cpuSnapshot(all);
      const db1 = await dbCpu();
      const d = (pid: number) => b.procs[all.indexOf(pid)] - a.procs[all.indexOf(pid)];
      // Only one bot runs at a time, so the database's CPU in the meantime is this bot's (a backend that started
      // during the run counts from zero).
      const dbCpuMs = cpuSince(db0, db1);
      const oursMs = all.reduce((s, pid) => s + d(pid), 0) + dbCpuMs;
      return {
        ...r,
        serverCpuMs: mine.reduce((s, pid) => s + d(pid), 0),
        clientCpuMs: d(clientPid),
        dbCpuMs,
        busyMs: b.busy - a.busy,
        totalMs: b.total - a.total,
        othersMs: Math.max(0, b.busy - a.busy - oursMs),
      };
    };
    type Run = Awaited<ReturnType<typeof run>>;

    // Warm-up: JIT, pool connections, botbuilder and the dialog's lazy parts; not reported.
    log('warm-up');
    await run('echo', 20);
    await run('redress', 20);

    for (const concurrency of LEVELS) {
      const rounds = process.env.BENCH_ROUNDS
        ? intEnv('BENCH_ROUNDS', 1)
        : Math.max(MIN_ROUNDS, Math.ceil(MIN_TURNS / (concurrency * TURNS)));
      log(`${concurrency} conversations x ${TURNS} turns x ${rounds} rounds per bot`);
      for (const p of [...echo, ...redress]) p.maxRssMb = 0;
      heap.clear();
      const runs: Record<'echo' | 'redress', Run[]> = { echo: [], redress: [] };
      const ticketsBefore = await tickets();
      for (let i = 0; i < rounds; i++) {
        // Alternate which bot goes first so neither always meets the fuller tables.
        for (const bot of i % 2 ? (['redress', 'echo'] as const) : (['echo', 'redress'] as const)) {
          const r = await run(bot, concurrency);
          runs[bot].push(r);
          if (r.failures || r.timedOut)
            log(`  ${bot}: ${r.failures} failures${r.timedOut ? ', timed out' : ''}: ${r.errors.join(' | ')}`);
        }
      }
      const opened = (await tickets()) - ticketsBefore;
      report.chat.redressTicketsOpened[String(concurrency)] = {
        opened,
        expected: TURNS >= 6 ? rounds * concurrency : 0,
      };
      for (const bot of ['echo', 'redress'] as const) {
        const rs = runs[bot];
        const lat = rs.flatMap((r) => r.latencies).sort((x, y) => x - y);
        const posts = rs.flatMap((r) => r.posts).sort((x, y) => x - y);
        const wallMs = rs.reduce((s, r) => s + r.wallMs, 0);
        const sum = (
          k: 'polls' | 'failures' | 'serverCpuMs' | 'clientCpuMs' | 'dbCpuMs' | 'busyMs' | 'totalMs' | 'othersMs',
        ) => rs.reduce((s, r) => s + r[k], 0);
        const perProcess: Record<string, number> = {};
        for (const r of rs)
          for (const [u, n] of Object.entries(r.perUrl)) {
            const name = servers[bot].find((p) => u.startsWith(p.url))?.name ?? u;
            perProcess[name] = (perProcess[name] ?? 0) + n;
          }
        const row: ChatRow = {
          bot,
          concurrency,
          rounds,
          turns: lat.length,
          expectedTurns: rounds * concurrency * TURNS,
          failures: sum('failures'),
          timedOut: rs.some((r) => r.timedOut),
          turnsPerSecond: (lat.length / wallMs) * 1000,
          p50Ms: pct(lat, 50),
          p99Ms: pct(lat, 99),
          maxMs: lat.at(-1) ?? NaN,
          postP50Ms: pct(posts, 50),
          getsPerTurn: lat.length ? sum('polls') / lat.length : NaN,
          serverCpuMsPerTurn: lat.length ? sum('serverCpuMs') / lat.length : NaN,
          clientCpuMsPerTurn: lat.length ? sum('clientCpuMs') / lat.length : NaN,
          machineBusy: sum('busyMs') / sum('totalMs'),
          othersBusy: sum('othersMs') / sum('totalMs'),
          dbCpuMsPerTurn: lat.length ? sum('dbCpuMs') / lat.length : NaN,
          perProcess,
          byTurn: script.map((_, t) => {
            const l = rs.flatMap((r) => r.byTurn[t]).sort((x, y) => x - y);
            return { turn: t + 1, p50Ms: Math.round(pct(l, 50) * 10) / 10, p99Ms: Math.round(pct(l, 99) * 10) / 10 };
          }),
          resent: rs.reduce((s, r) => s + r.resent, 0),
          maxRssMb: Object.fromEntries(servers[bot].map((p) => [p.name, Math.round(p.maxRssMb)])),
          ...(bot === 'redress'
            ? { heapMb: Object.fromEntries(redress.map((p) => [p.name, heap.get(p.name) ?? {}])) }
            : {}),
          errors: rs.flatMap((r) => r.errors).slice(0, 5),
        };
        report.chat.rows.push(row);
      }
      const [e, r] = report.chat.rows.slice(-2);
      const throughputRatio = r.turnsPerSecond / e.turnsPerSecond;
      const p99Ratio = r.p99Ms / e.p99Ms;
      const complete = [e, r].every((x) => x.failures === 0 && !x.timedOut && x.turns === x.expectedTurns);
      report.chat.ratios.push({
        concurrency,
        throughputRatio,
        p99Ratio,
        holds: complete && throughputRatio >= 0.5 && p99Ratio <= 2,
      });
      log(
        `  echo ${f(e.turnsPerSecond)} turns/s p50 ${f(e.p50Ms)} p99 ${f(e.p99Ms)} ms; Redress ${f(r.turnsPerSecond)} turns/s p50 ${f(r.p50Ms)} p99 ${f(r.p99Ms)} ms; ` +
          `ratios ${f(throughputRatio, 2)} / ${f(p99Ratio, 2)}; RSS ${Object.entries({ ...e.maxRssMb, ...r.maxRssMb })
            .map(([k, v]) => `${k} ${v} MB`)
            .join(', ')}`,
      );
    }
  } finally {
    clearInterval(heapTimer);
    await client.close();
    await Promise.all([...echo, ...redress].map(stopProc));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Follow-ups: 100,000 inserted with SQL, due within a window; two workers fire them.

async function followups(databaseUrl: string, admin: pg.Client): Promise<void> {
  const total = Math.floor(FOLLOWUPS);
  // The follow-ups that fall due in the window (all by default); the others are due 30 days later and must stay put.
  const n = Math.min(total, Math.floor(numEnv('BENCH_FOLLOWUP_DUE', total)));
  const FAR = '3000-01-01T00:00:00Z';
  log(
    `inserting ${total} customers, web chat conversations, open tickets and acknowledgement follow-ups (Redress stopped), ${n} of them due within ${WINDOW_S} s`,
  );
  const t0 = performance.now();
  // Each follow-up has a ticket and conversation of its own, as after n complaints. They are due far in the future
  // until the workers are up; then one UPDATE moves them to now + 5 s + an even spread over the window.
  const ids = await admin.query<{ lo: string; hi: string; tlo: string; thi: string }>(
    `WITH c AS (INSERT INTO customers (name) SELECT 'bench customer ' || g FROM generate_series(1, $1::int) g RETURNING id),
          v AS (INSERT INTO conversations (channel, conversation_key, customer_id, state)
                SELECT 'webchat', 'bench-fu-' || c.id, c.id, '{"language":"en"}'::jsonb FROM c RETURNING id, customer_id),
          t AS (INSERT INTO tickets (reference, conversation_id, customer_id, channel, language, department, category, severity, status, record, restatement, sla_due_at)
                SELECT 'FU-' || lpad(v.id::text, 8, '0'), v.id, v.customer_id, 'webchat', 'en', 'logistics', 'delivery_logistics', 'ordinary', 'open',
                       '{"customerWords":["my parcel never arrived"],"declined":[]}'::jsonb, 'Your parcel never arrived.', now() + interval '3 days'
                  FROM v RETURNING id, conversation_id),
          fu AS (INSERT INTO followups (ticket_id, conversation_id, kind, audience, due_at)
                 SELECT t.id, t.conversation_id, 'acknowledgement', 'customer',
                        $2::timestamptz + CASE WHEN rn <= $4::int THEN ((rn - 1) * $3::float8 / $4::int) * interval '1 second'
                                               ELSE interval '30 days' + rn * interval '1 second' END
                   FROM (SELECT t.*, row_number() OVER (ORDER BY t.id) AS rn FROM t) t RETURNING id, ticket_id)
     SELECT min(id) AS lo, max(id) AS hi, min(ticket_id) AS tlo, max(ticket_id) AS thi FROM fu`,
    [total, FAR, WINDOW_S, Math.max(n, 1)],
  );
  const lo = Number(ids.rows[0].lo);
  const hi = Number(ids.rows[0].hi);
  const tlo = Number(ids.rows[0].tlo);
  const thi = Number(ids.rows[0].thi);
  await admin.query('ANALYZE');
  const insertSeconds = (performance.now() - t0) / 1000;
  const scheduled = Number(
    (await admin.query<{ n: string }>("SELECT count(*) AS n FROM followups WHERE state = 'scheduled'")).rows[0].n,
  );
  log(`inserted in ${insertSeconds.toFixed(1)} s; ${scheduled} follow-ups scheduled in all (with the chat's)`);

  const workers: Proc[] = [];
  const result: Record<string, unknown> = {
    followups: n,
    inserted: total,
    scheduledInAll: scheduled,
    windowSeconds: WINDOW_S,
    sweepSeconds: SWEEP_S,
    workers: WORKERS,
    insertSeconds,
  };
  report.followups = result;
  try {
    log(`starting ${WORKERS} worker processes (--role worker, FOLLOWUP_SWEEP_SECONDS=${SWEEP_S})`);
    for (let i = 0; i < WORKERS; i++) {
      workers.push(
        await startProc(`worker-${i + 1}`, 'worker', [...NODE_FLAGS, 'bin/redress.mjs', 'serve', '--role', 'worker'], {
          DATABASE_URL: databaseUrl,
          LOG_LEVEL: 'warn',
          FOLLOWUP_SWEEP_SECONDS: String(SWEEP_S),
        }),
      );
    }
    // The first ones fall due 5 s after this statement starts; it must have committed by then (checked below).
    const t1 = performance.now();
    const shift = await admin.query<{ start: Date; committed: Date }>(`SELECT now() + interval '5 seconds' AS start`);
    const start = new Date(shift.rows[0].start).getTime();
    await admin.query(
      'UPDATE followups SET due_at = $1::timestamptz + (due_at - $2::timestamptz) WHERE id BETWEEN $3 AND $4',
      [new Date(start), FAR, lo, hi],
    );
    result.rescheduleSeconds = (performance.now() - t1) / 1000;
    if (Date.now() > start)
      log(`  warning: moving the due times took ${f(result.rescheduleSeconds as number)} s, past the first due time`);
    log(`due from ${new Date(start).toISOString()} over ${WINDOW_S} s; waiting until all are fired`);
    const pids = workers.map((w) => w.child.pid!);
    const db0 = await dbBackendsCpu(admin);
    const cpu0 = cpuSnapshot(pids);
    const deadline = start + (WINDOW_S + FOLLOWUP_TIMEOUT_S) * 1000;
    let done = 0;
    let lastLog = 0;
    for (;;) {
      await sleep(1000);
      done = Number(
        (
          await admin.query<{ n: string }>(
            "SELECT count(*) AS n FROM followups WHERE id BETWEEN $1 AND $2 AND state <> 'scheduled' AND due_at < $3::timestamptz + interval '1 day'",
            [lo, hi, new Date(start)],
          )
        ).rows[0].n,
      );
      const dueNow = Math.min(n, Math.max(0, Math.floor(((Date.now() - start) / 1000 / Math.max(WINDOW_S, 1e-9)) * n)));
      if (Date.now() - lastLog > 10_000 || done >= n) {
        lastLog = Date.now();
        log(`  ${done} of ${n} fired (${WINDOW_S ? dueNow : n} due so far)`);
      }
      if (done >= n) break;
      if (Date.now() > deadline) {
        log(`  gave up: ${done} of ${n} fired ${FOLLOWUP_TIMEOUT_S} s after the window`);
        break;
      }
    }
    const cpu1 = cpuSnapshot(pids);
    const db1 = await dbBackendsCpu(admin);
    result.completed = done >= n;
    result.elapsedSeconds = (Date.now() - start) / 1000;
    result.dbCpuSeconds = cpuSince(db0, db1) / 1000;
    result.machineBusy = (cpu1.busy - cpu0.busy) / (cpu1.total - cpu0.total);
    const oursMs = cpu1.procs.reduce((s, x, i) => s + x - cpu0.procs[i], 0) + cpuSince(db0, db1);
    result.othersBusy = Math.max(0, cpu1.busy - cpu0.busy - oursMs) / (cpu1.total - cpu0.total);
    result.fired = done;
    result.workerCpuSeconds = Object.fromEntries(
      workers.map((w, i) => [w.name, Math.round(cpu1.procs[i] - cpu0.procs[i]) / 1000]),
    );
    result.maxRssMb = Object.fromEntries(workers.map((w) => [w.name, Math.round(w.maxRssMb)]));
    result.start = new Date(start);
  } finally {
    await Promise.all(workers.map(stopProc));
  }
  const start = result.start as Date | undefined;
  if (!start) return;
  // Follow-ups not due in the window must all still be waiting.
  result.notDueButFired = Number(
    (
      await admin.query<{ n: string }>(
        "SELECT count(*) AS n FROM followups WHERE id BETWEEN $1 AND $2 AND state <> 'scheduled' AND due_at >= $3::timestamptz + interval '1 day'",
        [lo, hi, start],
      )
    ).rows[0].n,
  );

  // Lag: the scheduler writes fired_at = the time its sweep started (the `now` it passes to every fire in the batch),
  // so fired_at - due_at understates the lag of the later follow-ups in a batch. The message the follow-up sends is
  // stamped with now() of the firing transaction itself: that is the lag reported first.
  const lag = await admin.query<Record<string, string | null>>(
    `WITH m AS (SELECT followup_id, min(created_at) AS sent_at, count(*) AS n FROM messages WHERE followup_id BETWEEN $1 AND $2 GROUP BY 1),
          l AS (SELECT f.id, f.state, extract(epoch FROM (m.sent_at - f.due_at)) * 1000 AS lag_ms, extract(epoch FROM (f.fired_at - f.due_at)) * 1000 AS rec_ms, m.n, m.sent_at
                  FROM followups f LEFT JOIN m ON m.followup_id = f.id WHERE f.id BETWEEN $1 AND $2 AND f.due_at < $3::timestamptz + interval '1 day')
     SELECT count(*) FILTER (WHERE state = 'sent') AS sent,
            count(*) FILTER (WHERE state = 'cancelled') AS cancelled,
            count(*) FILTER (WHERE state = 'scheduled') AS unfired,
            count(*) FILTER (WHERE n > 1) AS followups_with_several_messages,
            coalesce(sum(n), 0) AS messages,
            count(*) FILTER (WHERE state = 'sent' AND n IS NULL) AS sent_without_message,
            percentile_disc(0.5) WITHIN GROUP (ORDER BY lag_ms) AS p50,
            percentile_disc(0.99) WITHIN GROUP (ORDER BY lag_ms) AS p99,
            max(lag_ms) AS max,
            percentile_disc(0.5) WITHIN GROUP (ORDER BY rec_ms) AS rec_p50,
            percentile_disc(0.99) WITHIN GROUP (ORDER BY rec_ms) AS rec_p99,
            max(rec_ms) AS rec_max,
            extract(epoch FROM (max(sent_at) - min(sent_at))) AS firing_seconds
       FROM l`,
    [lo, hi, start],
  );
  const events = await admin.query<{ events: string; distinct_followups: string }>(
    `SELECT count(*) AS events, count(DISTINCT data->>'followupId') AS distinct_followups FROM ticket_events WHERE kind = 'followup_sent' AND ticket_id BETWEEN $1 AND $2`,
    [tlo, thi],
  );
  const L = lag.rows[0];
  const num = (x: string | null) => (x === null ? NaN : Number(x));
  const sent = num(L.sent);
  // Sent twice: a follow-up with two messages, or two followup_sent events for one follow-up.
  const twice =
    num(L.followups_with_several_messages) + (num(events.rows[0].events) - num(events.rows[0].distinct_followups));
  Object.assign(result, {
    sent,
    cancelled: num(L.cancelled),
    unfired: num(L.unfired),
    messages: num(L.messages),
    sentWithoutMessage: num(L.sent_without_message),
    followupSentEvents: num(events.rows[0].events),
    sentTwice: twice,
    sentButNotDue: result.notDueButFired,
    lagMs: { p50: num(L.p50), p99: num(L.p99), max: num(L.max) },
    recordedLagMs: { p50: num(L.rec_p50), p99: num(L.rec_p99), max: num(L.rec_max) },
    firingSeconds: num(L.firing_seconds),
    firedPerSecond: sent / num(L.firing_seconds),
    dueRatePerSecond: WINDOW_S ? n / WINDOW_S : Infinity,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Main.

function printReport(): void {
  const r = report;
  const m = r.machine;
  console.log('');
  console.log(`## Load report (${r.at})`);
  console.log('');
  console.log(
    `Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB RAM, Linux ${m.kernel}, Node ${m.node}, ${m.postgres ?? 'no PostgreSQL'}; load average at start ${m.loadAverageAtStart.join(' / ')}`,
  );
  console.log(
    `Redress runs as: node ${[...NODE_FLAGS, 'bin/redress.mjs serve'].join(' ')} (${COMPILED ? 'compiled dist/' : 'TypeScript through tsx: dist/ is missing or older than the sources, run npm run build'})`,
  );
  if (r.chat.rows.length)
    console.log(
      `Chat: ${ROLES.length} Redress processes (${ROLES.join(', ')}) vs ${ROLES.length} echo processes, pool ${POOL} each, ${TURNS} turns per conversation, poll every ${POLL_MS} ms, ${ALTERNATE ? 'turns alternate between the processes' : 'each conversation on one process'}`,
    );
  if (r.chat.rows.length) {
    console.log('');
    console.log(
      '| concurrency | bot | turns | turns/s | p50 ms | p99 ms | max ms | GETs/turn | CPU ms/turn: servers + db | max RSS MB per process | machine busy (others) | throughput ratio | p99 ratio |',
    );
    console.log('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |');
    for (const row of r.chat.rows) {
      const ratio = row.bot === 'redress' ? r.chat.ratios.find((x) => x.concurrency === row.concurrency) : undefined;
      const bad =
        row.failures || row.timedOut || row.turns !== row.expectedTurns
          ? ` (${row.failures} failed${row.timedOut ? ', timed out' : ''})`
          : '';
      console.log(
        `| ${row.concurrency} | ${row.bot} | ${row.turns}${bad} | ${f(row.turnsPerSecond, 0)} | ${f(row.p50Ms)} | ${f(row.p99Ms)} | ${f(row.maxMs, 0)} | ${f(row.getsPerTurn, 2)} | ${f(row.serverCpuMsPerTurn, 2)} + ${f(row.dbCpuMsPerTurn, 2)} | ${Object.values(row.maxRssMb).join(' / ')} | ${f(row.machineBusy * 100, 0)}% (${f(row.othersBusy * 100, 0)}%) | ${ratio ? `**${f(ratio.throughputRatio, 2)}**` : ''} | ${ratio ? `**${f(ratio.p99Ratio, 2)}**` : ''} |`,
      );
      for (const e of row.errors) console.log(`  ${row.bot} error: ${e}`);
    }
    const t = r.chat.redressTicketsOpened ?? {};
    console.log(
      `Redress tickets opened per level: ${Object.entries(t)
        .map(([c, x]) => `${c}: ${x.opened} of ${x.expected}`)
        .join(', ')}`,
    );
    const top = Math.max(...r.chat.rows.map((x) => x.concurrency));
    for (const row of r.chat.rows.filter((x) => x.concurrency === top)) {
      console.log(
        `p50 / p99 ms by turn at ${top}, ${row.bot}: ${row.byTurn.map((x) => `${x.turn}: ${f(x.p50Ms, 0)} / ${f(x.p99Ms, 0)}`).join(', ')}`,
      );
    }
    for (const row of r.chat.rows.filter((x) => x.heapMb)) {
      console.log(
        `Redress V8 heap at ${row.concurrency} (largest, MB): ${Object.entries(row.heapMb!)
          .map(([k, h]) => `${k} used ${h.heapUsed ?? '-'} of ${h.heapTotal ?? '-'}, external ${h.external ?? '-'}`)
          .join('; ')}`,
      );
    }
  }
  const fu = r.followups as any;
  if (fu) {
    console.log('');
    console.log(
      `Follow-ups: ${fu.followups} acknowledgements to web chat conversations due evenly over ${fu.windowSeconds} s (${f(fu.dueRatePerSecond, 0)}/s), ${fu.scheduledInAll} scheduled in all; ${fu.workers} workers (--role worker), sweep every ${fu.sweepSeconds} s`,
    );
    console.log(
      '| sent | unfired | cancelled | sent twice | messages | fired/s | lag p50 s | lag p99 s | lag max s | fired_at lag p50 / p99 / max s | worker CPU s | db CPU s | machine busy (others) | worker max RSS MB |',
    );
    console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: | --- |');
    const s = (x: number) => f(x / 1000, 2);
    console.log(
      `| ${fu.sent} | ${fu.unfired} | ${fu.cancelled} | ${fu.sentTwice} | ${fu.messages} | ${f(fu.firedPerSecond, 0)} | ${s(fu.lagMs?.p50)} | ${s(fu.lagMs?.p99)} | ${s(fu.lagMs?.max)} | ${s(fu.recordedLagMs?.p50)} / ${s(fu.recordedLagMs?.p99)} / ${s(fu.recordedLagMs?.max)} | ${Object.values(
        fu.workerCpuSeconds ?? {},
      )
        .map((x) => f(x as number))
        .join(
          ' / ',
        )} | ${f(fu.dbCpuSeconds)} | ${f(fu.machineBusy * 100, 0)}% (${f(fu.othersBusy * 100, 0)}%) | ${Object.values(fu.maxRssMb ?? {}).join(' / ')} |`,
    );
  }
  if (r.email || r.transcript) console.log('');
  const e = r.email as any;
  if (e)
    console.log(
      e.failed
        ? `Email: failed (${e.failed})`
        : `Email: ${e.emails} complaints in ${e.seconds} s = ${e.emailsPerSecond} emails/s (imapflow fetch alone ${e.imapFetchOnlyPerSecond}/s, ratio ${f(e.ratio, 3)})`,
    );
  const tr = r.transcript as any;
  if (tr)
    console.log(
      tr.failed
        ? `Transcript: failed (${tr.failed})`
        : `Transcript: ${tr.words}-word call, upload to ticket ${tr.uploadToTicketMs} ms (parse only ${tr.parseMs} ms, ratio ${f(tr.ratio, 1)})`,
    );
  console.log('');
  if (r.ranTypeScript.length)
    console.log(
      `**Not as shipped**: ${r.ranTypeScript.join(', ')} ran TypeScript through tsx (run npm run build, and do not edit sources during a run)\n`,
    );
  console.log('| goal | figure | holds |');
  console.log('| --- | --- | --- |');
  for (const g of r.goals)
    console.log(`| ${g.goal} | ${g.figure} | ${g.holds === null ? '-' : g.holds ? 'yes' : '**no**'} |`);
  console.log(
    `\n${r.durationSeconds.toFixed(0)} s; JSON in test-artifacts/load-report.json, server logs in test-artifacts/load-bench/`,
  );
}

function goals(): void {
  const top = Math.max(...LEVELS);
  const ratio = report.chat.ratios.find((x) => x.concurrency === top);
  if (ratio) {
    report.goals.push({
      goal: `chat at ${top} conversations, ${ROLES.length} processes: throughput ratio >= 0.5, p99 ratio <= 2`,
      figure: `${f(ratio.throughputRatio, 2)}, ${f(ratio.p99Ratio, 2)}`,
      holds: ratio.holds,
    });
    const rows = report.chat.rows.filter((r) => r.concurrency === top && r.bot === 'redress');
    const rss = Object.assign({}, ...rows.map((r) => r.maxRssMb)) as Record<string, number>;
    const max = Math.max(...Object.values(rss));
    report.memory = { concurrency: top, maxRssMb: rss, goalMb: 200, holds: max < 200 };
    report.goals.push({
      goal: `resident memory per Redress process at ${top} active conversations < 200 MB`,
      figure: Object.entries(rss)
        .map(([k, v]) => `${k} ${v} MB`)
        .join(', '),
      holds: max < 200,
    });
  }
  const fu = report.followups as any;
  if (fu?.lagMs) {
    report.goals.push({
      goal: `follow-up lag p99 < 1 s with ${fu.scheduledInAll} scheduled (${fu.followups} due in ${fu.windowSeconds} s), none sent twice`,
      figure: `p99 ${f(fu.lagMs.p99 / 1000, 2)} s, ${fu.sentTwice} sent twice, ${fu.unfired} unfired, ${fu.sentButNotDue} fired early`,
      holds: fu.lagMs.p99 < 1000 && fu.sentTwice === 0 && fu.unfired === 0 && fu.sentButNotDue === 0,
    });
    const workerRss = Math.max(...(Object.values(fu.maxRssMb ?? {}) as number[]));
    report.goals.push({
      goal: 'resident memory per worker while firing < 200 MB',
      figure: `${workerRss} MB`,
      holds: workerRss < 200,
    });
  }
  const e = report.email as any;
  if (e && !e.failed)
    report.goals.push({
      goal: 'emails/s >= 0.25 × imapflow fetch alone',
      figure: `${e.emailsPerSecond}/s, ratio ${f(e.ratio, 3)}`,
      holds: e.ratio >= 0.25,
    });
  const tr = report.transcript as any;
  if (tr && !tr.failed)
    report.goals.push({
      goal: 'transcript upload to ticket <= 3 × parse',
      figure: `${tr.uploadToTicketMs} ms vs ${tr.parseMs} ms`,
      holds: tr.ratio <= 3,
    });
}

async function main(): Promise<void> {
  mkdirSync(LOGS, { recursive: true });
  if (!ADMIN_URL) {
    console.log(
      '\nLoad benchmark: chat with two processes and follow-ups need DATABASE_URL (PostgreSQL); running only the other benches on PGlite.',
    );
    await otherBenches('');
    goals();
    finish();
    return;
  }
  const dbName = `redress_bench_${randomBytes(4).toString('hex')}`;
  const url = new URL(ADMIN_URL);
  url.pathname = `/${dbName}`;
  const databaseUrl = url.toString();
  const admin0 = new pg.Client({ connectionString: ADMIN_URL });
  await admin0.connect();
  await admin0.query(`CREATE DATABASE ${dbName}`);
  report.machine.postgres = `PostgreSQL ${(await admin0.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version}`;
  log(`database ${dbName} created`);
  const admin = new pg.Client({ connectionString: databaseUrl });
  let failed = false;
  const cleanup = async () => {
    await Promise.all([...procs].map(stopProc)).catch(() => {});
    await admin.end().catch(() => {});
    if (process.env.BENCH_KEEP_DB) log(`kept database ${dbName}`);
    else
      await admin0.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).then(
        () => log(`database ${dbName} dropped`),
        (e) => console.error(`could not drop ${dbName}: ${e.message}`),
      );
    await admin0.end().catch(() => {});
  };
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));
  try {
    await admin.connect();
    // Migrate once before any server starts (each Redress process would too; the echo servers do not).
    const { openDb } = await import('../../src/store/db.ts');
    const { migrate } = await import('../../src/store/migrate.ts');
    const db = await openDb({ databaseUrl });
    await migrate(db);
    await db.close();
    await otherBenches(databaseUrl);
    if (LEVELS.length) await chat(databaseUrl, admin);
    if (FOLLOWUPS > 0) await followups(databaseUrl, admin);
  } catch (e) {
    failed = true;
    console.error(e);
  } finally {
    await cleanup();
  }
  goals();
  finish();
  if (failed) process.exitCode = 1;
}

function finish(): void {
  report.durationSeconds = (performance.now() - began) / 1000;
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(`${ARTIFACTS}/load-report.json`, `${JSON.stringify(report, null, 2)}\n`);
  printReport();
}

await main();
