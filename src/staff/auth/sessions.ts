/** Dashboard sessions kept on the server: started at sign-in, read on every request, ended at sign-out or expiry. */
import type { Db } from '../../store/db.ts';
import {
  deleteStaffSession,
  deleteStaleSignIns,
  insertStaffSession,
  touchStaffSession,
} from '../../store/staff-sessions.ts';
import { hashToken, randomToken } from './cookies.ts';
import type { Viewer } from './roles.ts';

/** A signed-in person with their session's CSRF token (absent for a bearer-token request, which has no forms). */
export type SessionViewer = Viewer & { csrf?: string };

/** Sessions with an idle and an absolute expiry, in seconds. */
export class StaffSessions {
  constructor(private readonly o: { db: Db; clock: () => Date; idleSeconds: number; maxSeconds: number }) {}

  /** Seconds a new session lives at most (the cookie's Max-Age). */
  get maxSeconds(): number {
    return this.o.maxSeconds;
  }

  /** Starts a session for `viewer`; returns the cookie value (never stored) and the session's CSRF token. */
  async start(viewer: Viewer): Promise<{ cookie: string; csrf: string }> {
    const now = this.o.clock();
    await deleteStaleSignIns(this.o.db, now, this.o.idleSeconds);
    const cookie = randomToken();
    const csrf = randomToken();
    await insertStaffSession(
      this.o.db,
      {
        id_hash: hashToken(cookie),
        csrf_token: csrf,
        subject: viewer.subject,
        display_name: viewer.name,
        role: viewer.role,
        departments: viewer.departments,
        via: viewer.via,
        expires_at: new Date(now.getTime() + this.o.maxSeconds * 1000),
      },
      now,
    );
    return { cookie, csrf };
  }

  /** The person behind session cookie `cookie`, if the session lives; using it keeps it from going idle. */
  async read(cookie: string | undefined): Promise<SessionViewer | undefined> {
    // A real cookie is 43 base64url characters: anything else is not looked up at all.
    if (!cookie || !/^[\w-]{43}$/.test(cookie)) return undefined;
    const row = await touchStaffSession(this.o.db, hashToken(cookie), this.o.clock(), this.o.idleSeconds);
    if (!row) return undefined;
    return {
      subject: row.subject,
      name: row.display_name,
      role: row.role,
      departments: row.departments,
      via: row.via,
      csrf: row.csrf_token,
    };
  }

  /** Ends the session of `cookie` (sign-out): the same cookie is refused from now on. */
  async end(cookie: string | undefined): Promise<void> {
    if (cookie) await deleteStaffSession(this.o.db, hashToken(cookie));
  }
}
