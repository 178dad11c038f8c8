/** The dashboard's cookies: opaque random values (only their hashes are stored), read and written by name. */
import { createHash, randomBytes } from 'node:crypto';
import type { Request } from 'restify';

/** The session cookie: an opaque random id of a row in staff_sessions. */
export const SESSION_COOKIE = 'redress_session';
/** A sign-in under way at the identity provider: ties the callback to the browser that started it. */
export const FLOW_COOKIE = 'redress_sign_in';
/** The sign-in form's CSRF token before there is a session (checked against the form's hidden field). */
export const LOGIN_CSRF_COOKIE = 'redress_login_csrf';

/** 256 random bits, URL-safe: session ids, CSRF tokens, one-time links. */
export const randomToken = (): string => randomBytes(32).toString('base64url');

/** What is stored of a token: its SHA-256, so a read of the table cannot be replayed as a cookie or link. */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('base64url');

/** The value of cookie `name` in the request, if sent (the first one when sent twice). */
export function cookieOf(req: Request, name: string): string | undefined {
  for (const part of String(req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

/**
 * A Set-Cookie header value: HttpOnly, SameSite=Lax (sent on the identity provider's redirect back, a top-level GET,
 * never on another site's POST), Secure when the browser came over https, Max-Age 0 to delete.
 */
export function cookieHeader(
  name: string,
  value: string,
  o: { path: string; maxAgeSeconds: number; secure: boolean },
): string {
  return `${name}=${value}; HttpOnly; SameSite=Lax; Path=${o.path}; Max-Age=${Math.max(0, Math.floor(o.maxAgeSeconds))}${o.secure ? '; Secure' : ''}`;
}

/**
 * Where to go after sign-in: `path` when it is a dashboard page on this site (a path, never another origin or a
 * protocol-relative `//host`), else the dashboard itself.
 */
export function safeReturn(path: string | null | undefined): string {
  if (!path || !path.startsWith('/dashboard') || path.startsWith('//') || path.includes('\\')) return '/dashboard';
  const u = new URL(path, 'http://redress.invalid');
  if (u.origin !== 'http://redress.invalid' || !/^\/dashboard(?:\/|$)/.test(u.pathname)) return '/dashboard';
  return `${u.pathname}${u.search}`.slice(0, 1000);
}
