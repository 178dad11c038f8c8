/** Session-level advisory locks named by a string: one holder at a time across every process on the database. */
import type { Db } from './db.ts';

/**
 * Runs `fn` holding the advisory lock `hashtext(name)` on one session, waiting for it first; the lock is released
 * when `fn` ends, even by a throw. Not a transaction lock: `fn` may commit many times while holding it.
 */
export async function withAdvisoryLock<T>(db: Db, name: string, fn: () => Promise<T>): Promise<T> {
  return db.session(async (s) => {
    await s.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
    try {
      return await fn();
    } finally {
      await s.query('SELECT pg_advisory_unlock(hashtext($1))', [name]);
    }
  });
}
