import { CodedError, isDialogError } from '../../dialogs/errors.ts';

/** Every error code Redress raises, in one place, so callers and tests match on codes, not messages. */
export const ErrorCodes = {
  CONFIG_INVALID: 'CONFIG_INVALID',
  ROUTING_INVALID: 'ROUTING_INVALID',
  DB_CONNECT: 'DB_CONNECT',
  DB_UNAVAILABLE: 'DB_UNAVAILABLE',
  DISK_FULL: 'DISK_FULL',
  MIGRATION_FAILED: 'MIGRATION_FAILED',
  BAD_REQUEST: 'BAD_REQUEST',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  RATE_LIMITED: 'RATE_LIMITED',
  SERVER_BUSY: 'SERVER_BUSY',
  PERIOD_TOO_LONG: 'PERIOD_TOO_LONG',
  TRANSCRIPT_TOO_LONG: 'TRANSCRIPT_TOO_LONG',
  TRAINING_DATA_INVALID: 'TRAINING_DATA_INVALID',
  MODEL_INVALID: 'MODEL_INVALID',
  TRANSCRIPT_INVALID: 'TRANSCRIPT_INVALID',
  USAGE: 'USAGE',
  CHANNEL_OFF: 'CHANNEL_OFF',
  SERVICE_URL_REFUSED: 'SERVICE_URL_REFUSED',
  DATA_DIR_LOCKED: 'DATA_DIR_LOCKED',
  PORT_IN_USE: 'PORT_IN_USE',
  DEPENDENCY_UNREACHABLE: 'DEPENDENCY_UNREACHABLE',
  ENCODER_UNAVAILABLE: 'ENCODER_UNAVAILABLE',
  INTERNAL: 'INTERNAL',
} as const;

/** One of the codes in {@link ErrorCodes}. */
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

const httpStatus: Record<ErrorCode, number> = {
  CONFIG_INVALID: 500,
  ROUTING_INVALID: 500,
  DB_CONNECT: 503,
  DB_UNAVAILABLE: 503,
  DISK_FULL: 503,
  MIGRATION_FAILED: 500,
  BAD_REQUEST: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  METHOD_NOT_ALLOWED: 405,
  RATE_LIMITED: 429,
  SERVER_BUSY: 503,
  PERIOD_TOO_LONG: 400,
  TRANSCRIPT_TOO_LONG: 413,
  TRAINING_DATA_INVALID: 422,
  MODEL_INVALID: 500,
  TRANSCRIPT_INVALID: 422,
  USAGE: 400,
  // A channel endpoint that is not turned on (POST /api/messages without credentials or BOT_FRAMEWORK_OPEN=1).
  CHANNEL_OFF: 404,
  // A Bot Framework serviceUrl the bot will not send to; permanent, so the outbox does not retry it.
  SERVICE_URL_REFUSED: 403,
  // Another process holds DATA_DIR (start-up errors: the CLI exits with a code of its own, see src/cli/index.ts).
  DATA_DIR_LOCKED: 409,
  PORT_IN_USE: 500,
  DEPENDENCY_UNREACHABLE: 503,
  ENCODER_UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** The one error class of Redress: a string `code`, a human message, an optional `cause` and details. */
export class RedressError extends CodedError<ErrorCode> {
  /** The HTTP status this error maps to when it reaches a client. */
  get status(): number {
    return httpStatus[this.code];
  }
}

/** True when `e` is a RedressError, optionally of one code. */
export function isRedressError(e: unknown, code?: ErrorCode): e is RedressError {
  return e instanceof RedressError && (code === undefined || e.code === code);
}

/**
 * `e` as src/ sees errors: a DialogError (dialogs/ cannot import this file) becomes the RedressError of the same code,
 * message and details, caused by it; anything else is returned as it is. Called where src/ calls into a dialogs/
 * function that throws coded errors, so isRedressError, the HTTP status and the CLI's exit code all apply to it.
 */
export function fromDialogError(e: unknown): unknown {
  // DialogErrorCode is a subset of ErrorCode: a dialog code src/ does not know fails to compile here.
  return isDialogError(e) ? new RedressError(e.code, e.message, { cause: e, details: e.details }) : e;
}

// SQLSTATEs that mean the server went away or is not taking connections right now: class 08 (connection exception),
// 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now, 57P05 idle_session_timeout,
// 53300 too_many_connections.
const LOST_SQLSTATE = /^(08[0-9A-Z]{3}|57P0[1235]|53300)$/;
// Socket-level failures reaching the server.
const LOST_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
]);
// node-postgres and pg-pool say so in words only.
const LOST_MESSAGE =
  /^(Connection terminated|Client has encountered a connection error|Client was closed and is not queryable|timeout exceeded when trying to connect|Connection terminated due to connection timeout|Cannot use a pool after calling end)/;

/**
 * True when `e` says the database cannot be reached (refused, reset, shut down, restarting) rather than that a
 * statement was wrong: such a request may succeed when retried, so it is a 503, not a 500.
 */
export function isDatabaseUnavailable(e: unknown, depth = 0): boolean {
  if (!e || typeof e !== 'object' || depth > 4) return false;
  const x = e as { code?: unknown; message?: unknown; errors?: unknown; cause?: unknown };
  if (e instanceof RedressError) return e.code === 'DB_UNAVAILABLE' || e.code === 'DB_CONNECT';
  if (typeof x.code === 'string' && (LOST_SQLSTATE.test(x.code) || LOST_ERRNO.has(x.code))) return true;
  if (typeof x.message === 'string' && LOST_MESSAGE.test(x.message)) return true;
  // Node's connect to a name with several addresses fails with an AggregateError of each attempt.
  if (Array.isArray(x.errors) && x.errors.length && x.errors.every((i) => isDatabaseUnavailable(i, depth + 1)))
    return true;
  return x.cause !== undefined && isDatabaseUnavailable(x.cause, depth + 1);
}
