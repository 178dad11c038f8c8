/** Small HTTP helpers shared by the server's routes: bounded JSON bodies and coded error responses. */
import type { Request, Response } from 'restify';
import { timingSafeEqual } from 'node:crypto';
import { RedressError, isDatabaseUnavailable, isRedressError } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import { wellFormedDeep } from '../text/sanitize.ts';
import { isDiskFull } from './disk-full.ts';
import { BUSY_RETRY_AFTER_SECONDS } from './heavy-reads.ts';

/** Throws 413 when the declared Content-Length is over `maxBytes` (before reading anything). */
export function checkDeclaredSize(req: Request, maxBytes: number): void {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) {
    req.resume();
    throw new RedressError('PAYLOAD_TOO_LARGE', `body of ${declared} bytes is over the ${maxBytes}-byte limit`);
  }
}

/** The request body as bytes; 413 as soon as it passes `maxBytes`, whatever Content-Length claimed. */
export async function readBody(req: Request, maxBytes: number): Promise<Buffer> {
  checkDeclaredSize(req, maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new RedressError('PAYLOAD_TOO_LARGE', `body is over the ${maxBytes}-byte limit`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Marks `res` to close its connection when the request's body was not read to its end (refused early: too large,
 * unauthorised). Kept alive, Node would read and throw away the rest, however large, before the next request.
 */
export function closeIfUnread(res: Response): void {
  const req = (res as unknown as { req?: { complete?: boolean } }).req;
  if (req && !req.complete && !res.headersSent) res.setHeader('Connection', 'close');
}

/** Reads the request body as JSON: 415 unless JSON, 413 over `maxBytes`, 400 when malformed. */
export async function readJson(req: Request, maxBytes: number): Promise<unknown> {
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  if (!/^application\/(.+\+)?json\b/.test(type))
    throw new RedressError('UNSUPPORTED_MEDIA_TYPE', `expected Content-Type application/json, got ${type || 'none'}`);
  const text = (await readBody(req, maxBytes)).toString('utf8');
  try {
    // A "\ud800" escape parses to a lone surrogate, which jsonb and UTF-8 output refuse: it becomes U+FFFD here.
    return wellFormedDeep(JSON.parse(text));
  } catch (e) {
    throw new RedressError('BAD_REQUEST', `malformed JSON: ${(e as Error).message}`, { cause: e });
  }
}

/** A restify handler that answers any error `fn` throws with {@link sendError}. */
export function handled(fn: (req: Request, res: Response) => Promise<void>, log?: Logger) {
  return async (req: Request, res: Response): Promise<void> => {
    try {
      await fn(req, res);
    } catch (e) {
      sendError(res, e, log);
    }
  };
}

/** Seconds a client is asked to wait before retrying while the database is unavailable. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * Sends `err` as `{ error: { code, message } }` with its status. A database that cannot be reached is a 503
 * DB_UNAVAILABLE with Retry-After (the request may be retried as it is), a full disk a 503 DISK_FULL; anything
 * unexpected is a logged 500. A 5xx never carries a driver's message, stack or SQL: only our own words go out.
 */
export function sendError(res: Response, err: unknown, log?: Logger): void {
  // A full disk is told apart even under one of our 5xx errors: the client may retry later, the operator must act.
  const e =
    isRedressError(err) && (err.status < 500 || err.code === 'DISK_FULL')
      ? err
      : isDiskFull(err)
        ? diskFullError(err)
        : isRedressError(err)
          ? err
          : isDatabaseUnavailable(err)
            ? new RedressError('DB_UNAVAILABLE', 'the database is unavailable; try again shortly', { cause: err })
            : new RedressError('INTERNAL', 'internal error', { cause: err });
  if (e.status >= 500) {
    const cause = (e.cause as Error | undefined)?.message ?? String(e.cause ?? e.message);
    if (e.code === 'DISK_FULL') log?.error({ code: e.code, cause }, 'request failed: the disk is full');
    if (e.code === 'SERVER_BUSY')
      log?.warn({ code: e.code, message: e.message }, 'request refused: too many heavy reads at once');
    else if (e.status === 503) log?.warn({ code: e.code, cause }, 'request refused: the database is unavailable');
    else log?.error({ code: e.code, err: (err as Error)?.stack ?? err }, 'request failed');
  }
  sentCodes.set(res, e.code);
  if (res.headersSent) return;
  closeIfUnread(res);
  // A busy process frees a slot within a second; a database coming back takes longer.
  if (e.status === 503)
    res.header(
      'Retry-After',
      String(
        e.code === 'DISK_FULL'
          ? DISK_FULL_RETRY_AFTER_SECONDS
          : e.code === 'SERVER_BUSY'
            ? BUSY_RETRY_AFTER_SECONDS
            : RETRY_AFTER_SECONDS,
      ),
    );
  const message =
    e.status < 500 || e.code === 'DB_UNAVAILABLE' || e.code === 'DISK_FULL' || e.code === 'SERVER_BUSY'
      ? e.message
      : 'internal error';
  res.send(e.status, { error: { code: e.code, message } });
}

/** Seconds a client is asked to wait before retrying on a full disk (freeing space takes an operator). */
export const DISK_FULL_RETRY_AFTER_SECONDS = 60;

/** The coded error a full disk becomes on its way to a client (no driver text; the original as its cause). */
export function diskFullError(cause: unknown): RedressError {
  return new RedressError('DISK_FULL', 'the server is out of disk space; try again later', { cause });
}

// The code each response's error was sent with, so the server can watch for a full disk without each route's help.
const sentCodes = new WeakMap<Response, string>();

/** The error code `res` was answered with by {@link sendError}, if any. */
export function sentErrorCode(res: Response): string | undefined {
  return sentCodes.get(res);
}

/** The bearer token of a request, if any. */
export function bearer(req: Request): string | undefined {
  const h = String(req.headers.authorization ?? '');
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m?.[1];
}

/** Constant-time string comparison for secrets. */
export function sameSecret(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
