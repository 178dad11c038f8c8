/** Forward-only SQL migrations from `migrations/*.sql`, each in its own transaction, serialised by an advisory lock. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db, Queryable } from './db.ts';
import { RedressError } from '../core/errors.ts';
import { fromRoot } from '../core/paths.ts';

const MIGRATIONS_DIR = fromRoot('migrations');
// Arbitrary constant shared by every Redress process: "only one migrator at a time".
const LOCK_KEY = 0x5eed_c0de;

/** The migration files in `dir`, in the order they apply. */
function migrationFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_-]+\.sql$/.test(f))
    .sort();
}

/** Applies pending migrations; returns the names applied now (empty when the database is up to date). */
export async function migrate(db: Db, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = migrationFiles(dir);
  return db.session(async (s) => {
    await s.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    try {
      await s.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
        name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
      const done = new Set(
        (await s.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name),
      );
      const applied: string[] = [];
      for (const file of files) {
        if (done.has(file)) continue;
        const sql = readFileSync(join(dir, file), 'utf8');
        try {
          await s.exec('BEGIN');
          await s.exec(sql);
          await s.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
          await s.exec('COMMIT');
        } catch (e) {
          await s.exec('ROLLBACK').catch(() => {});
          throw new RedressError('MIGRATION_FAILED', `migration ${file} failed: ${(e as Error).message}`, { cause: e });
        }
        applied.push(file);
      }
      return applied;
    } finally {
      await s.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]);
    }
  });
}

/** Reads one row of schema_migrations: rejects when the database is unreachable or was never migrated (/healthz). */
export async function probeMigrated(db: Queryable): Promise<void> {
  await db.query('SELECT 1 FROM schema_migrations LIMIT 1');
}

/** The migrations this code has that the database has not applied (/readyz); rejects when it is unreachable. */
export async function pendingMigrations(db: Queryable, dir = MIGRATIONS_DIR): Promise<string[]> {
  const done = new Set(
    (await db.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name),
  );
  return migrationFiles(dir).filter((f) => !done.has(f));
}
