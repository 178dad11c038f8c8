/**
 * Response headers every route gets, set before any route runs (a route may replace one, as the chat page does with
 * its own Content-Security-Policy): no framing, no MIME sniffing, no referrer, and no caching unless a route says so.
 */
import type { Request, RequestHandler } from 'restify';

/**
 * The defaults. Framing is refused everywhere (clickjacking the dashboard or the chat); the chat page alone replaces
 * this with frame-ancestors for its own origin and WEB_CHAT_EMBED_ORIGINS, the /embed.js widget's sites. `no-store` is the default because most responses are private
 * (dashboard, staff and transcript APIs, Direct Line activities) and a path spelled differently must not slip
 * through a list: the public static bundles set their own Cache-Control.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': "frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

/** A restify `pre` handler that sets {@link SECURITY_HEADERS} on every response. */
export function securityHeaders(): RequestHandler {
  return function securityHeaders(_req, res, next) {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    return next();
  };
}

/**
 * True when the client reached us over https: a TLS socket, or, behind `trustProxy` proxies, the X-Forwarded-Proto
 * entry the nearest trusted proxy wrote (as X-Forwarded-For is read for rate limits; anything left of it may be forged).
 */
export function isHttps(req: Request, trustProxy: number): boolean {
  if ((req.socket as { encrypted?: boolean } | undefined)?.encrypted) return true;
  if (trustProxy <= 0) return false;
  const protos = String(req.headers['x-forwarded-proto'] ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  return protos[Math.max(0, protos.length - trustProxy)] === 'https';
}
