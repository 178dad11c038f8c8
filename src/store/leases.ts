/** Leases in the database: one holder at a time for work such as reading a mailbox, taken over when it expires. */
import type { Queryable } from './db.ts';

/**
 * Takes or renews lease `name` for `holder` for `ttlSeconds`; false while another holder's lease is still
 * running. The database's clock decides expiry, so processes with drifting clocks agree.
 */
export async function takeLease(db: Queryable, name: string, holder: string, ttlSeconds: number): Promise<boolean> {
  const r = await db.query(
    `INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))
     ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
       WHERE leases.holder = EXCLUDED.holder OR leases.expires_at < now()
     RETURNING holder`,
    [name, holder, ttlSeconds],
  );
  return r.rowCount === 1;
}

/** Gives lease `name` up at once (a graceful stop), if `holder` still has it. */
export async function releaseLease(db: Queryable, name: string, holder: string): Promise<void> {
  await db.query('DELETE FROM leases WHERE name = $1 AND holder = $2', [name, holder]);
}

/** Who holds lease `name` now, if anyone. */
export async function leaseHolder(db: Queryable, name: string): Promise<string | undefined> {
  return (
    await db.query<{ holder: string }>('SELECT holder FROM leases WHERE name = $1 AND expires_at >= now()', [name])
  ).rows[0]?.holder;
}
