/** Test helpers: a Redress on PostgreSQL (a schema per test file) or on an in-memory PGlite, and skip rules. */
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadConfig, type Config } from '../src/core/config.ts';
import { startRedress, type Redress, type StartOptions } from '../src/main.ts';
import { openDb, type Db } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';

/** The PostgreSQL server tests use, when there is one. */
export const DATABASE_URL = process.env.DATABASE_URL;
/** The staff token test servers use. */
export const ADMIN_TOKEN = 'test-admin-token-0123456789';
/** Where Debian's Chromium lives. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Where Debian's dovecot binary lives (dovecot-imapd). */
export const DOVECOT = '/usr/sbin/dovecot';

/** Why a test needing `component` cannot run here (undefined when it can). In CI a missing component fails instead. */
export function missing(component: 'postgres' | 'chromium' | 'dovecot'): string | undefined {
  const reason =
    component === 'postgres'
      ? DATABASE_URL
        ? undefined
        : 'DATABASE_URL is not set'
      : component === 'chromium'
        ? existsSync(CHROMIUM)
          ? undefined
          : `${CHROMIUM} is not installed (apt-get install chromium)`
        : existsSync(DOVECOT)
          ? undefined
          : 'dovecot is not installed (apt-get install dovecot-imapd)';
  if (reason && process.env.CI) throw new Error(`CI must not skip: ${reason}`);
  if (reason) console.warn(`SKIPPED (${component}): ${reason}`);
  return reason;
}

/** A fresh schema name for one test file. */
export function schemaName(prefix = 't'): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

/** A migrated database: PostgreSQL in a schema of its own, or an in-memory PGlite. */
export async function testDb(kind: 'pg' | 'pglite'): Promise<Db> {
  const db =
    kind === 'pg'
      ? await openDb({ databaseUrl: DATABASE_URL!, schema: schemaName() })
      : await openDb({ schema: schemaName() });
  await migrate(db);
  return db;
}

/** Configuration for a test server on a free port. */
export function testConfig(env: Record<string, string> = {}): Config {
  // The understanding budget is process CPU time: on a loaded machine (CI beside other runs) it could cut a first
  // message short and change what a test sees. Tests get the largest budget; budget.test.ts tests the budget itself.
  return loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    ADMIN_TOKEN,
    LOG_LEVEL: 'silent',
    UNDERSTANDING_BUDGET_MS: '10000',
    ...env,
  });
}

/** Starts Redress for a test: on PostgreSQL when `kind` is pg, else on an in-memory PGlite. */
export async function startTestApp(
  kind: 'pg' | 'pglite',
  opts: StartOptions & { env?: Record<string, string> } = {},
): Promise<Redress> {
  const env = kind === 'pg' ? { DATABASE_URL: DATABASE_URL!, ...opts.env } : { ...opts.env };
  const config = testConfig(env);
  if (kind === 'pg') return startRedress(config, { schema: schemaName(), ...opts });
  const db = opts.db ?? (await openDb({ schema: schemaName() }));
  const app = await startRedress(config, { ...opts, db });
  const stop = app.stop;
  return {
    ...app,
    stop: async () => {
      await stop();
      if (!opts.db) await db.close();
    },
  };
}

/** A mutable clock for tests: advance it instead of sleeping. */
// The default start is a day ahead of the real time, on the hour: the database stamps rows with its own now() (an
// outbound message's first attempt, for one), and those must already be due by the test's clock. A fixed date here
// broke the day the real time passed it.
export function testClock(start = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 86_400_000).toISOString()) {
  let now = new Date(start).getTime();
  return {
    now: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
  };
}

/** Fetches JSON from a running app with the staff token. */
export async function staffGet(app: Redress, path: string): Promise<{ status: number; body: any }> {
  const r = await fetch(app.url + path, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  return { status: r.status, body: await r.json() };
}

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/**
 * Sweeps follow-ups due at `now` until at least `n` have gone; returns how many went. A sweep leaves a follow-up whose
 * conversation is busy at that instant (a chat page's poll noting it was seen) to the next sweep, as the running
 * scheduler's periodic sweep does.
 */
export async function sweepUntil(app: Redress, now: Date, n = 1): Promise<number> {
  let sent = 0;
  await expect
    .poll(async () => (sent += await app.scheduler.fireDue(now)), { timeout: 10_000, interval: 100 })
    .toBeGreaterThanOrEqual(n);
  return sent;
}
