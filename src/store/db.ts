/** One small database interface over node-postgres (a server) and PGlite (embedded), so all SQL is written once. */
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { mkdirSync } from 'node:fs';
import { RedressError, isDatabaseUnavailable } from '../core/errors.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { pgListen, type ListenHandlers } from './pg-listen.ts';

/** Rows and count of one statement. */
export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

/** Anything that runs one parameterised statement. */
export interface Queryable {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<QueryResult<R>>;
  /** Runs several statements without parameters (migrations); returns the last statement's result. */
  exec(sql: string): Promise<QueryResult<Record<string, unknown>>>;
}

/** A database: statements, transactions, and one dedicated session for session-level locks. */
export interface Db extends Queryable {
  readonly kind: 'pg' | 'pglite';
  /** The schema every statement runs in. */
  readonly schema: string;
  /** Runs `fn` in one transaction; retried on serialization failures and deadlocks. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs `fn` on one connection held for its whole duration. */
  session<T>(fn: (s: Queryable) => Promise<T>): Promise<T>;
  /** Listens to NOTIFY on `channel` (an identifier) until the returned stop; see src/store/pg-listen.ts. */
  listen(channel: string, h: ListenHandlers): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** Where to find the database. */
export interface DbOptions {
  databaseUrl?: string;
  dataDir?: string;
  /** Schema to use (created when missing); tests use one per file. */
  schema?: string;
  poolSize?: number;
}

const RETRYABLE = new Set(['40001', '40P01']);
const identifier = /^[a-z_][a-z0-9_]{0,62}$/;

/** Opens PostgreSQL when `databaseUrl` is given, else the embedded PGlite under `dataDir` (memory when neither). */
export async function openDb(opts: DbOptions): Promise<Db> {
  const schema = opts.schema ?? 'public';
  if (!identifier.test(schema)) throw new RedressError('CONFIG_INVALID', `bad schema name ${schema}`);
  try {
    return opts.databaseUrl
      ? await openPg(opts.databaseUrl, schema, opts.poolSize ?? 10)
      : await openPglite(opts.dataDir, schema);
  } catch (e) {
    if (e instanceof RedressError) throw e;
    throw new RedressError('DB_CONNECT', `cannot open the database: ${(e as Error).message}`, { cause: e });
  }
}

async function withRetry<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (attempt >= 5 || !code || !RETRYABLE.has(code)) throw e;
      await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 20));
    }
  }
}

// int8 ids and counts fit in a JS number for any realistic table; parse them so both drivers agree.
const INT8 = 20;

async function openPg(url: string, schema: string, max: number): Promise<Db> {
  const types = {
    getTypeParser: (oid: number, format?: string) =>
      oid === INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text'),
  };
  // JIT off: every statement here is short, and the summary's plans (cheap, but estimated dear through the roll-up's
  // set-returning function) spent 1.6 s compiling to save nothing.
  const options = ['-c jit=off', schema === 'public' ? '' : `-c search_path=${schema}`].join(' ').trim();
  const pool = new pg.Pool({ connectionString: url, max, types, options });
  pool.on('error', () => {}); // an idle client dropped by the server is replaced on next use
  // A client checked out of the pool has no 'error' listener of the pool's; when the server goes away in the middle
  // of a transaction the client would emit an unhandled 'error' and crash the process. The failed query rejects on
  // its own, and the broken client is discarded when released.
  pool.on('connect', (client) => client.on('error', () => {}));
  if (schema !== 'public') await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  else await pool.query('SELECT 1');
  const wrap = (c: pg.Pool | pg.PoolClient): Queryable => ({
    async query<R>(text: string, params?: unknown[]) {
      const r = await unavailable(() => c.query(text, params as unknown[]));
      return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
    },
    async exec(sql: string) {
      const r = (await unavailable(() => c.query(sql))) as unknown as pg.QueryResult | pg.QueryResult[];
      const last = Array.isArray(r) ? r[r.length - 1] : r;
      return { rows: last?.rows ?? [], rowCount: last?.rowCount ?? 0 };
    },
  });
  const self = wrap(pool);
  return {
    kind: 'pg',
    schema,
    ...self,
    async transaction(fn) {
      return withRetry(async () => {
        const client = await unavailable(() => pool.connect());
        let broken: Error | undefined;
        try {
          await wrap(client).query('BEGIN');
          const out = await fn(wrap(client));
          await wrap(client).query('COMMIT');
          return out;
        } catch (e) {
          // A connection lost at COMMIT leaves the outcome unknown: the caller gets DB_UNAVAILABLE and retries, and
          // every write path is idempotent (message keys, follow-up state, checkpoints), so a retry is safe.
          if (isDatabaseUnavailable(e)) broken = e as Error;
          else await client.query('ROLLBACK').catch(() => {});
          throw e;
        } finally {
          client.release(broken);
        }
      });
    },
    async session(fn) {
      const client = await unavailable(() => pool.connect());
      let broken: Error | undefined;
      try {
        return await fn(wrap(client));
      } catch (e) {
        if (isDatabaseUnavailable(e)) broken = e as Error;
        throw e;
      } finally {
        client.release(broken);
      }
    },
    listen: (channel, h) => pgListen(url, options, channel, h),
    close: () => pool.end(),
  };
}

/**
 * Runs one driver call; a lost or refused connection (server restarting, shut down, unreachable) becomes one
 * DB_UNAVAILABLE error (HTTP 503) whose message carries no driver text, with the driver's error as its cause.
 * The pool needs nothing else to recover: broken clients are discarded and new ones connect on the next use.
 */
async function unavailable<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof RedressError || !isDatabaseUnavailable(e)) throw e;
    throw new RedressError('DB_UNAVAILABLE', 'the database is unavailable; try again shortly', { cause: e });
  }
}

async function openPglite(dataDir: string | undefined, schema: string): Promise<Db> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // Before PGlite reads a byte of the folder: a second process must not open it at all (see data-dir-lock.ts).
  const lock = dataDir ? lockDataDir(dataDir) : undefined;
  let db: PGlite | undefined;
  try {
    db = await PGlite.create({ dataDir, parsers: { [INT8]: (v: string) => Number(v) } });
    if (schema !== 'public') await db.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}; SET search_path TO ${schema}`);
  } catch (e) {
    await db?.close().catch(() => {});
    lock?.release();
    throw e;
  }
  type Tx = { query: PGlite['query']; exec: PGlite['exec'] };
  const wrap = (c: Tx): Queryable => ({
    async query<R>(text: string, params?: unknown[]) {
      const r = await c.query<R>(text, params);
      return { rows: r.rows, rowCount: r.affectedRows || r.rows.length };
    },
    async exec(sql: string) {
      const last = (await c.exec(sql)).at(-1);
      return { rows: last?.rows ?? [], rowCount: last?.affectedRows ?? 0 };
    },
  });
  const self = wrap(db);
  // Sessions hold session-level state (advisory locks) that the single connection cannot keep apart: run one at a time.
  let sessions: Promise<unknown> = Promise.resolve();
  return {
    kind: 'pglite',
    schema,
    ...self,
    // PGlite has one connection; its transaction() holds it exclusively, which serialises turns.
    transaction: (fn) => withRetry(() => db.transaction((tx) => fn(wrap(tx)))),
    session: (fn) => {
      const run = sessions.then(() => fn(self));
      sessions = run.catch(() => {});
      return run;
    },
    // One process holds a PGlite: its own connection's notifications are all there are, delivered in process.
    listen: async (channel, h) => {
      const stop = await db.listen(channel, h.onPayload);
      h.onReady?.();
      return stop;
    },
    close: async () => {
      try {
        await db.close();
      } finally {
        lock?.release();
      }
    },
  };
}
