/**
 * Fault-test helpers: the real server as a child process (`node bin/redress.mjs serve`) that a test can SIGKILL,
 * throw-away databases on the shared PostgreSQL, and polling with generous timeouts (the CI machine has two cores).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { freePort } from '../helpers.ts';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/** The repository root (the child's working directory, so dialogs/routing.yaml resolves as in production). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export { freePort };

/** Polls `check` until it returns a value other than undefined/false; throws with `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 60_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v as T;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`,
      );
    await sleep(intervalMs);
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A throw-away database on the shared server of `adminUrl`; `drop` removes it even with connections left. */
export interface TempDatabase {
  name: string;
  url: string;
  /** A pool on the database for the test's own checks. */
  pool: pg.Pool;
  drop(): Promise<void>;
}

/** Creates `redress_fault_<random>` on the server of `adminUrl` (CREATE DATABASE needs no schema of ours). */
export async function createDatabase(adminUrl: string): Promise<TempDatabase> {
  const name = `redress_fault_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const pool = new pg.Pool({ connectionString: url, max: 3 });
  pool.on('error', () => {});
  return {
    name,
    url,
    pool,
    async drop() {
      await pool.end().catch(() => {});
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** One running `redress serve` child. */
export interface RedressChild {
  url: string;
  port: number;
  proc: ChildProcess;
  /** The child's stdout and stderr (warnings and errors at LOG_LEVEL=warn), for failure messages. */
  output(): string;
  /** Resolves with the exit code or signal when the child ends. */
  exited: Promise<string>;
  /** Sends `signal` (SIGKILL by default) and waits for the child to be gone. */
  kill(signal?: NodeJS.Signals): Promise<string>;
}

const children = new Set<RedressChild>();

/**
 * Starts `node bin/redress.mjs serve` with `env` (on top of PATH and HOME only, so nothing of the test runner's
 * environment or a stray .env leaks in) and returns at once; `ready` resolves when GET /healthz answers 200 and
 * rejects if the child ends first.
 */
export function launchRedress(
  env: Record<string, string>,
  opts: { port: number; timeoutMs?: number; nodeArgs?: string[] },
): RedressChild & { ready: Promise<void> } {
  const { port } = opts;
  const proc = spawn(process.execPath, [...(opts.nodeArgs ?? []), 'bin/redress.mjs', 'serve'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/root',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ...env,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (b: Buffer) => {
    out = (out + b.toString('utf8')).slice(-20_000);
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  let gone: string | undefined;
  const exited = new Promise<string>((resolve) =>
    proc.once('exit', (code, signal) => resolve(signal ?? `exit ${code}`)),
  );
  const child: RedressChild = {
    url: `http://127.0.0.1:${port}`,
    port,
    proc,
    output: () => out,
    exited,
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
  children.add(child);
  void exited.then((how) => {
    gone = how;
    children.delete(child);
  });
  const ready = (async () => {
    const deadline = Date.now() + (opts.timeoutMs ?? 90_000);
    for (;;) {
      if (gone) throw new Error(`redress serve ended (${gone}) before it was ready:\n${out}`);
      const r = await fetch(`${child.url}/healthz`).catch(() => undefined);
      if (r?.status === 200) return;
      if (Date.now() > deadline) {
        await child.kill();
        throw new Error(`redress serve on port ${port} did not answer /healthz in time:\n${out}`);
      }
      await sleep(150);
    }
  })();
  ready.catch(() => {}); // a caller that kills the child before it is ready need not wait for this
  return Object.assign(child, { ready });
}

/** Starts `redress serve` (see {@link launchRedress}) and waits until it answers /healthz. */
export async function spawnRedress(
  env: Record<string, string>,
  opts: { port?: number; timeoutMs?: number; nodeArgs?: string[] } = {},
): Promise<RedressChild> {
  const child = launchRedress(env, {
    port: opts.port ?? (await freePort()),
    timeoutMs: opts.timeoutMs,
    nodeArgs: opts.nodeArgs,
  });
  await child.ready;
  return child;
}

/** The node flags of the shipped `npm run serve` (package.json), such as the heap limit, so a test runs what ships. */
export function shippedNodeFlags(): string[] {
  const serve = (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts
    .serve;
  const words = serve.split(/\s+/);
  return words.slice(words.indexOf('node') + 1, words.indexOf('bin/redress.mjs')).filter((w) => w.startsWith('--'));
}

/** SIGKILLs every child still running (afterAll, also after a failure). */
export async function killAllChildren(): Promise<void> {
  await Promise.all([...children].map((c) => c.kill('SIGKILL')));
}
