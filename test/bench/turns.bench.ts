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
 * The clients run in a child process (direct-line-client.ts, see direct-line-load.ts) so that load generation does not
 * share the servers' event loop. Both bots run in this process on two restify servers over one Db (one pool): Direct Line,
 * tokens and the message tables are the same code; only the bot differs.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Server } from 'restify';
import { forkLoadClient, intEnv, pct, scriptFor, SCRIPT, type LoadRequest } from './direct-line-load.ts';
import { echoBackend } from './echo-bot.ts';

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
  const { createServer } = await import('../../src/http/server.ts');
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
  mountDirectLine(echo, {
    backend: await echoBackend(app.db),
    signer: new TokenSigner(secret),
    secret,
    maxBodyBytes: config.MAX_BODY_BYTES,
    log: app.log,
  });
  await new Promise<void>((resolve, reject) => {
    echo.once('error', reject);
    echo.listen(0, '127.0.0.1', () => resolve());
  });
  const echoUrl = `http://127.0.0.1:${echo.address().port}`;

  const client = forkLoadClient();
  const load = (req: LoadRequest) => client.load(req);

  /** One run of `conversations` conversations against `url`, with this process's CPU and the machine's busy share. */
  const run = async (bot: string, url: string, conversations: number, script: string[]) => {
    const cpu0 = process.cpuUsage();
    const cores0 = os.cpus();
    const r = await load({
      label: `${bot}-${randomBytes(3).toString('hex')}`,
      url,
      conversations,
      script,
      pollMs,
      turnTimeoutMs: 30_000,
      deadlineMs: phaseTimeoutMs,
    });
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
  const countTickets = async () =>
    Number((await app.db.query<{ n: number }>('SELECT count(*)::int8 AS n FROM tickets')).rows[0].n);
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
    console.log(
      '| bot | concurrency | turns | turns/s | p50 ms | p99 ms | max ms | POST p50 ms | GETs/turn | server CPU ms/turn | machine CPU |',
    );
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
    console.log(
      `Redress tickets opened in the measured runs: ${tickets} (expected ${turns >= SCRIPT.length ? rounds * concurrency : 0})`,
    );
    const ok = complete && tRatio >= 0.5 && pRatio <= 2;
    console.log('');
    console.log(`throughput ratio (Redress / echo): ${f(tRatio, 2)}  (goal >= 0.5)`);
    console.log(`p99 ratio (Redress / echo):        ${f(pRatio, 2)}  (goal <= 2)`);
    console.log(
      `goal ${ok ? 'HOLDS' : 'NOT MET'}${complete ? '' : ' (some turns failed or timed out)'}; ${((performance.now() - began) / 1000).toFixed(1)} s`,
    );
    // A goal not met is a result; turns that failed mean the figures are not to be trusted.
    if (!complete) failed = true;
  } catch (err) {
    failed = true;
    console.error(err);
  } finally {
    await client.close();
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

await serverMain();
