/** The restify server: health check and shared behaviour; routes are mounted by the composition root. */
import { STATUS_CODES } from 'node:http';
import restify from 'restify';
import { DiskFullWatch, isDiskFull } from './disk-full.ts';
import { isDatabaseUnavailable, isRedressError } from '../core/errors.ts';
import { closeIfUnread, DISK_FULL_RETRY_AFTER_SECONDS, diskFullError, sentErrorCode } from './http.ts';
import type { Logger } from '../core/log.ts';
import { inFlightLimit, type InFlightOptions } from './load-shed.ts';
import { rateLimiter, type RateLimitOptions } from './rate-limit.ts';
import { securityHeaders } from './security-headers.ts';
import type { Db } from '../store/db.ts';
import { probeMigrated } from '../store/migrate.ts';

/** What createServer may add: per-client rate limits and a logger for failed requests. */
export interface ServerOptions {
  /** Per-client rate limits (see src/http/rate-limit.ts); none when omitted. */
  rateLimit?: RateLimitOptions;
  /** A bound on requests in flight (see src/http/load-shed.ts); none when omitted. */
  inFlight?: InFlightOptions;
  log?: Logger;
  /** The clock /healthz measures the time since a request last met a full disk by. */
  clock?: () => Date;
}

// Codes for statuses restify itself produces (no route, wrong method...), so every error body has the same shape.
const CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

/** The status and body a client may see for `err`: our own 4xx messages, generic words for everything else. */
export function publicError(
  err: unknown,
  method = 'GET',
): { status: number; body: { error: { code: string; message: string } } } {
  const wrap = (status: number, code: string, message: string) => ({ status, body: { error: { code, message } } });
  if (isDiskFull(err) && !(isRedressError(err) && err.status < 500))
    return wrap(503, 'DISK_FULL', diskFullError(err).message);
  if (isDatabaseUnavailable(err)) return wrap(503, 'DB_UNAVAILABLE', 'the database is unavailable; try again shortly');
  // A 5xx message may carry a driver's text (SQL, hosts, paths): only the code goes out.
  if (isRedressError(err))
    return err.status < 500 ? wrap(err.status, err.code, err.message) : wrap(err.status, err.code, 'internal error');
  const status = (err as { statusCode?: unknown })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (status === 404) return wrap(404, 'NOT_FOUND', 'no such resource');
    if (status === 405) return wrap(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed here`);
    return wrap(status, CODES[status] ?? 'BAD_REQUEST', (STATUS_CODES[status] ?? 'bad request').toLowerCase());
  }
  return wrap(500, 'INTERNAL', 'internal error');
}

/** Creates the server with GET /healthz, JSON error bodies without internals, optional rate limits and load shedding. */
export function createServer(db: Db, opts: ServerOptions = {}): restify.Server {
  // handleUncaughtExceptions stays off (it needs domains): every handler is async, so a throw is a rejected promise,
  // which restify passes to the 'restifyError' listener below like its own 404 and 405.
  const server = restify.createServer({ name: 'redress', handleUncaughtExceptions: false });
  // Keep idle connections open longer than load balancers (60 s) and clients do: a server closing a kept-alive socket
  // just as a request goes out makes the client see "socket hang up" for a request that never arrived.
  server.server.keepAliveTimeout = 65_000;
  server.server.headersTimeout = 66_000;
  server.on('restifyError', (req: restify.Request, res: restify.Response, err: unknown, done: () => void) => {
    const { status, body } = publicError(err, req.method);
    if (body.error.code === 'DISK_FULL') disk.note();
    if (status === 503)
      res.header('Retry-After', body.error.code === 'DISK_FULL' ? String(DISK_FULL_RETRY_AFTER_SECONDS) : '5');
    if (status >= 500)
      opts.log?.error(
        { err: (err as Error)?.stack ?? err, method: req.method, path: req.getPath?.() },
        'request failed',
      );
    if (!res.headersSent) {
      closeIfUnread(res);
      res.send(status, body);
    }
    done();
  });
  const disk = new DiskFullWatch(opts.clock);
  // First, so that refusals for load or rate carry the headers too; and every response is watched for a full disk.
  server.pre(securityHeaders());
  server.pre((_req, res, next) => {
    res.once('finish', () => sentErrorCode(res) === 'DISK_FULL' && disk.note());
    return next();
  });
  // Before the rate limiter: refusing for load must cost less than counting the client.
  if (opts.inFlight) server.pre(inFlightLimit(opts.inFlight));
  if (opts.rateLimit) server.pre(rateLimiter({ log: opts.log, ...opts.rateLimit }));
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.get('/healthz', async (_req, res) => {
    try {
      await probeMigrated(db);
    } catch {
      res.send(503, { status: 'unavailable' });
      return;
    }
    // The read above passes on a full disk; the turns that failed on it tell (see DiskFullWatch).
    const full = disk.recent();
    if (full)
      res.send(503, {
        status: 'unavailable',
        reason: 'disk_full',
        message: 'requests are failing because the disk is full',
        since: full.toISOString(),
      });
    else res.send(200, { status: 'ok' });
  });
  return server;
}
