/** Process-wide settings kept in the database so every process shares them (e.g. the Direct Line signing secret). */
import type { Queryable } from './db.ts';

/** The value of `key`, created with `make()` by whichever process asks first. */
export async function getOrCreateSetting(db: Queryable, key: string, make: () => string): Promise<string> {
  await db.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, make()]);
  return (await db.query<{ value: string }>('SELECT value FROM settings WHERE key = $1', [key])).rows[0].value;
}
