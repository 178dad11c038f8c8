/**
 * The one-time sign-in link (as Jupyter prints one): on a fresh start with neither OIDC_ISSUER nor ADMIN_TOKEN set, a
 * link with a random token is printed to the console so a newcomer can open the dashboard at once. The token is
 * stored hashed, works once, and only for LINK_SECONDS; it signs in as a manager of every department.
 */
import type { Db } from '../../store/db.ts';
import { insertSignInToken, redeemSignInToken } from '../../store/staff-sessions.ts';
import { hashToken, randomToken } from './cookies.ts';
import type { Viewer } from './roles.ts';

/** How long a printed link works. */
export const LINK_SECONDS = 3600;

/** The path of the link (its token in the query). */
export const LINK_PATH = '/dashboard/sign-in/once';

/** Who a one-time link signs in as. */
export const LINK_VIEWER: Viewer = {
  subject: 'one-time-link',
  name: 'one-time link',
  role: 'manager',
  departments: null,
  via: 'one_time_link',
};

/** Stores a new single-use token and returns the link to it under `baseUrl`. */
export async function issueSignInLink(db: Db, now: Date, baseUrl: string): Promise<string> {
  const token = randomToken();
  await insertSignInToken(db, {
    hash: hashToken(token),
    kind: 'link',
    data: {},
    now,
    expiresAt: new Date(now.getTime() + LINK_SECONDS * 1000),
  });
  const url = new URL(LINK_PATH, baseUrl);
  url.searchParams.set('token', token);
  return url.href;
}

/** True once for a link's token that was issued and has not expired; every later use is false. */
export async function redeemSignInLink(db: Db, token: string | undefined, now: Date): Promise<boolean> {
  if (!token || !/^[\w-]{43}$/.test(token)) return false;
  return !!(await redeemSignInToken(db, hashToken(token), 'link', now));
}

/** The console text around the link, as Jupyter words it. */
export function linkAnnouncement(link: string): string {
  return [
    '',
    '    No staff sign-in is configured (neither OIDC_ISSUER nor ADMIN_TOKEN is set).',
    `    To open the dashboard, open this link in a browser within ${LINK_SECONDS / 60} minutes; it works once:`,
    `        ${link}`,
    '    Then set OIDC_ISSUER (or ADMIN_TOKEN) to sign staff in: see docs/sign-in.md.',
    '',
    '',
  ].join('\n');
}
