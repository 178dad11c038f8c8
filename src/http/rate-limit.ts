/**
 * Per-client rate limits (rate-limiter-flexible), one budget per class of route, kept in this process's memory.
 *
 * Memory, not the database: the limiter is abuse control on the hot chat path, so it must cost no database round
 * trip per request and keep working while the database is slow; PGlite deployments are one process anyway. With N
 * processes behind a load balancer a client gets up to N times each budget. rate-limiter-flexible's
 * RateLimiterPostgres (a pg pool and a table of its own) is the way to a shared budget should that ever matter.
 */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { Request, RequestHandler, Response } from 'restify';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Logger } from '../core/log.ts';

/** Classes of routes with budgets of their own. */
export type RouteClass = 'public' | 'webhook' | 'auth' | 'upload';

/** `points` requests per `seconds`; `failedAuth` also caps 401/403 answers per `seconds` (token guessing). */
export interface Budget {
  points: number;
  seconds: number;
  failedAuth?: { points: number; seconds: number };
}

/** Budgets used when none are given: generous for chat (Web Chat polls about once a second), tight for guesses. */
export const DEFAULT_BUDGETS: Record<RouteClass, Budget> = {
  public: { points: 600, seconds: 60 },
  // Slack and Azure Bot Service deliver every user's traffic from a few addresses, signed.
  webhook: { points: 1200, seconds: 60 },
  auth: { points: 120, seconds: 60, failedAuth: { points: 10, seconds: 900 } },
  upload: { points: 120, seconds: 60, failedAuth: { points: 10, seconds: 900 } },
};

/** How the limiter is set up; every field is optional. */
export interface RateLimitOptions {
  /** Budgets per class (merged over the defaults); a class with `points: 0` is not limited. */
  budgets?: Partial<Record<RouteClass, Budget>>;
  /** Reverse proxies in front of the server (true = 1): the client is read from X-Forwarded-For only then. */
  trustProxy?: boolean | number;
  /** The class of a request path; undefined means not limited. Defaults to {@link routeClass}. */
  classify?: (path: string) => RouteClass | undefined;
  /** Told about each refused request (metrics). */
  onLimited?: (routeClass: RouteClass, reason: 'requests' | 'failed_auth') => void;
  log?: Logger;
}

/** The class of a request path: staff and metrics routes 'auth', transcript uploads 'upload', /healthz none. */
export function routeClass(path: string): RouteClass | undefined {
  if (path === '/healthz' || path === '/livez' || path === '/readyz') return undefined;
  if (path === '/api/transcripts') return 'upload';
  if (
    path === '/metrics' ||
    path === '/api/summary' ||
    path.startsWith('/api/tickets') ||
    path.startsWith('/api/actions') ||
    path === '/dashboard' ||
    path.startsWith('/dashboard/')
  )
    return 'auth';
  if (path === '/slack/events' || path === '/api/messages') return 'webhook';
  return 'public';
}

/** The path as the router will see it: decoded, duplicate and trailing slashes gone, so /api/%74ickets is still staff. */
function normalisedPath(req: Request): string {
  const raw = String(req.url ?? '/').split('?')[0];
  let path = raw;
  try {
    path = decodeURIComponent(raw);
  } catch {
    // A malformed escape cannot match a route; it is classified as written.
  }
  return path.replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');
}

/** The key a client is counted under: its address (IPv4-mapped unwrapped, IPv6 by its /64, which one host owns). */
export function clientKey(req: Request, trustProxy: boolean | number = false): string {
  const hops = trustProxy === true ? 1 : Number(trustProxy) || 0;
  let address = req.socket?.remoteAddress ?? 'unknown';
  if (hops > 0) {
    // Each proxy appends the address it saw: the entry `hops` from the right is the one our nearest trusted proxy
    // wrote; anything left of it was sent by the client and may be forged.
    const forwarded = String(req.headers['x-forwarded-for'] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const candidate = forwarded[Math.max(0, forwarded.length - hops)];
    if (candidate && isIP(candidate)) address = candidate;
  }
  return normaliseAddress(address);
}

function normaliseAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  if (isIP(address) !== 6) return address;
  const [head, tail = ''] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') ? (tail ? tail.split(':') : []) : [];
  const groups = address.includes('::')
    ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

// Only a request that tried a credential (a bearer token, a posted login form or upload) is a guess: opening the
// dashboard signed out also answers 401, and an office of managers doing so must not lock itself out. A session
// cookie is a 256-bit HMAC, not worth guessing, so it is not counted either.
function presentsCredentials(req: Request): boolean {
  return req.headers.authorization !== undefined || req.method === 'POST';
}

/** Sends the 429 answer: `Retry-After` in whole seconds and the usual error body. */
function tooMany(res: Response, msBeforeNext: number): void {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  res.setHeader('Retry-After', String(seconds));
  res.send(429, { error: { code: 'RATE_LIMITED', message: `too many requests; retry after ${seconds} s` } });
}

/** How many open chats' worth of requests one address may make in all (see {@link rateLimiter}). */
export const ADDRESS_FACTOR = 10;

/** The limiter key of a request inside a Direct Line conversation (a hash of its bearer token), if it is one. */
export function conversationToken(req: Request, path: string): string | undefined {
  if (!path.startsWith('/v3/directline/conversations/')) return undefined;
  const token = /^Bearer\s+(\S{16,4096})$/i.exec(String(req.headers.authorization ?? ''))?.[1];
  return token ? `chat:${createHash('sha256').update(token).digest('base64url').slice(0, 22)}` : undefined;
}

/** A restify `pre` handler enforcing the budgets; install it with `server.pre(...)` so unknown routes count too. */
export function rateLimiter(o: RateLimitOptions = {}): RequestHandler {
  const budgets = { ...DEFAULT_BUDGETS, ...o.budgets };
  const classify = o.classify ?? routeClass;
  const limiters = new Map<
    RouteClass,
    { requests?: RateLimiterMemory; failures?: RateLimiterMemory; failurePoints: number }
  >();
  for (const [name, b] of Object.entries(budgets) as Array<[RouteClass, Budget]>) {
    limiters.set(name, {
      requests:
        b.points > 0
          ? new RateLimiterMemory({ keyPrefix: `req:${name}`, points: b.points, duration: b.seconds })
          : undefined,
      failures:
        b.failedAuth && b.failedAuth.points > 0
          ? new RateLimiterMemory({
              keyPrefix: `fail:${name}`,
              points: b.failedAuth.points,
              duration: b.failedAuth.seconds,
            })
          : undefined,
      failurePoints: b.failedAuth?.points ?? 0,
    });
  }

  // An open chat is counted by its Direct Line token rather than its address, so the many customers behind one office
  // or carrier address do not share one budget. The address has a public budget ADDRESS_FACTOR times larger for all
  // its public requests (pages, new tokens, new conversations, chats): inventing tokens (they are checked only later,
  // by the route) buys an abuser no more than that.
  const pub = budgets.public;
  const publicAddress =
    pub.points > 0
      ? new RateLimiterMemory({
          keyPrefix: 'req:public-address',
          points: pub.points * ADDRESS_FACTOR,
          duration: pub.seconds,
        })
      : undefined;

  // A callback handler, not an async one: restify runs the route after an async handler resolves, and a refused
  // request must stop here (next(false)).
  return function rateLimit(req, res, next) {
    const path = normalisedPath(req);
    const cls = classify(path);
    const l = cls && limiters.get(cls);
    if (!cls || !l) return next();
    const address = clientKey(req, o.trustProxy);
    const chat = cls === 'public' ? conversationToken(req, path) : undefined;
    const refuse = (reason: 'requests' | 'failed_auth', ms: number) => {
      o.onLimited?.(cls, reason);
      // Debug, not warn: a flood must not become a log flood; redress_rate_limited_total is the signal.
      o.log?.debug({ client: address, chat: chat !== undefined, routeClass: cls, reason }, 'rate limited');
      tooMany(res, ms);
      next(false);
    };
    void (async () => {
      if (l.failures) {
        const failed = await l.failures.get(address);
        // An expired window can linger until its timer fires: only a live one refuses.
        if (failed && failed.msBeforeNext > 0 && failed.consumedPoints >= l.failurePoints)
          return refuse('failed_auth', failed.msBeforeNext);
        if (presentsCredentials(req)) {
          // Counted as the status line is written, not on 'finish', so the client's next request already sees it.
          const failures = l.failures;
          const writeHead = res.writeHead;
          res.writeHead = function (this: Response, status: number, ...rest: unknown[]) {
            if (status === 401 || status === 403) void failures.penalty(address).catch(() => undefined);
            return (writeHead as (...a: unknown[]) => void).call(this, status, ...rest);
          } as typeof res.writeHead;
        }
      }
      if (cls === 'public') {
        if (publicAddress) await publicAddress.consume(address);
        if (chat && l.requests) await l.requests.consume(chat);
      } else if (l.requests) await l.requests.consume(address);
      next();
    })().catch((e: unknown) => {
      if (e instanceof RateLimiterRes) return refuse('requests', e.msBeforeNext);
      if (res.headersSent) return;
      // The memory store does not fail; should it, a limiter fault must not take the service down: let it through.
      o.log?.error({ err: e }, 'rate limiter failed; request let through');
      next();
    });
  };
}
