/**
 * CSRF protection of the dashboard's forms: the Origin of a browser's POST must be this site, and the form must carry
 * the session's token (or, on the sign-in form, the token of its own cookie), compared in constant time.
 */
import type { Request } from 'restify';
import { RedressError } from '../../core/errors.ts';
import { sameSecret } from '../../http/http.ts';
import { isHttps } from '../../http/security-headers.ts';

/** The origins a form may be posted from: PUBLIC_URL's, and the one the browser addressed (its Host, over http or https). */
export function ownOrigins(req: Request, o: { publicUrl?: string; trustProxy: number }): string[] {
  const out = o.publicUrl ? [new URL(o.publicUrl).origin] : [];
  const host = req.headers.host;
  if (host) out.push(`${isHttps(req, o.trustProxy) ? 'https' : 'http'}://${host}`.toLowerCase());
  return out;
}

/**
 * Throws 403 FORBIDDEN unless the POST is this site's own form: an Origin header, when the browser sends one, names
 * one of {@link ownOrigins} ("null" does not: a sandboxed frame or a stripped origin), and `token` (the form's
 * hidden csrf field) equals `expected`. Browsers send Origin on every POST; a client that sends none still needs the token.
 */
export function checkForm(
  req: Request,
  token: string | null | undefined,
  expected: string | undefined,
  o: { publicUrl?: string; trustProxy: number },
): void {
  const origin = req.headers.origin;
  if (origin !== undefined && !ownOrigins(req, o).includes(String(origin).toLowerCase()))
    throw new RedressError('FORBIDDEN', 'this form was posted from another site');
  if (!expected || !token || !sameSecret(token, expected))
    throw new RedressError('FORBIDDEN', 'this form has expired or did not come from this site: reload the page');
}
