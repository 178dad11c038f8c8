/** Staff sign-in state (migrations/0022): server-side sessions and single-use sign-in tokens, both keyed by hashes. */
import { z } from 'zod';
import type { Queryable } from './db.ts';

/** A signed-in person's session as stored (the cookie itself is never stored, only its hash). */
export const staffSessionRowSchema = z.object({
  id_hash: z.string(),
  csrf_token: z.string(),
  subject: z.string(),
  display_name: z.string(),
  role: z.enum(['manager', 'staff']),
  departments: z.array(z.string()).nullable(),
  via: z.enum(['oidc', 'admin_token', 'one_time_link']),
  expires_at: z.coerce.date(),
});
/** A stored session. */
export type StaffSessionRow = z.infer<typeof staffSessionRowSchema>;

/** Stores a new session that starts at `now`. */
export async function insertStaffSession(db: Queryable, s: StaffSessionRow, now: Date): Promise<void> {
  await db.query(
    `INSERT INTO staff_sessions (id_hash, csrf_token, subject, display_name, role, departments, via, created_at, last_seen_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9)`,
    [s.id_hash, s.csrf_token, s.subject, s.display_name, s.role, s.departments, s.via, now, s.expires_at],
  );
}

/**
 * The live session with hash `idHash`, marked as used at `now`: undefined when there is none, or it passed its
 * absolute expiry or went unused for `idleSeconds` (such a session is never revived).
 */
export async function touchStaffSession(
  db: Queryable,
  idHash: string,
  now: Date,
  idleSeconds: number,
): Promise<StaffSessionRow | undefined> {
  const { rows } = await db.query(
    `UPDATE staff_sessions SET last_seen_at = $2
      WHERE id_hash = $1 AND expires_at > $2 AND last_seen_at > $2 - make_interval(secs => $3)
      RETURNING id_hash, csrf_token, subject, display_name, role, departments, via, expires_at`,
    [idHash, now, idleSeconds],
  );
  return rows[0] ? staffSessionRowSchema.parse(rows[0]) : undefined;
}

/** Ends the session with hash `idHash` (sign-out); true when there was one. */
export async function deleteStaffSession(db: Queryable, idHash: string): Promise<boolean> {
  return ((await db.query('DELETE FROM staff_sessions WHERE id_hash = $1', [idHash])).rowCount ?? 0) > 0;
}

/** Deletes sessions and sign-in tokens that can no longer be used at `now` (run at each sign-in: few rows). */
export async function deleteStaleSignIns(db: Queryable, now: Date, idleSeconds: number): Promise<void> {
  await db.query(
    'DELETE FROM staff_sessions WHERE expires_at <= $1 OR last_seen_at <= $1 - make_interval(secs => $2)',
    [now, idleSeconds],
  );
  await db.query('DELETE FROM staff_sign_in_tokens WHERE expires_at <= $1', [now]);
}

/** The kinds of single-use sign-in token. */
export type SignInTokenKind = 'link' | 'oidc';

/** Stores a single-use token by its hash, with what redeeming it needs in `data`. */
export async function insertSignInToken(
  db: Queryable,
  t: { hash: string; kind: SignInTokenKind; data: Record<string, string>; now: Date; expiresAt: Date },
): Promise<void> {
  await db.query(
    'INSERT INTO staff_sign_in_tokens (token_hash, kind, data, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
    [t.hash, t.kind, JSON.stringify(t.data), t.now, t.expiresAt],
  );
}

/**
 * Redeems the token with hash `hash` of `kind` at `now`: its data, once. An unknown, expired or already used token
 * gives undefined; one statement marks it used, so two redemptions at once cannot both succeed.
 */
export async function redeemSignInToken(
  db: Queryable,
  hash: string,
  kind: SignInTokenKind,
  now: Date,
): Promise<Record<string, string> | undefined> {
  const { rows } = await db.query<{ data: unknown }>(
    `UPDATE staff_sign_in_tokens SET used_at = $3
      WHERE token_hash = $1 AND kind = $2 AND used_at IS NULL AND expires_at > $3 RETURNING data`,
    [hash, kind, now],
  );
  return rows[0] ? z.record(z.string(), z.string()).parse(rows[0].data) : undefined;
}
