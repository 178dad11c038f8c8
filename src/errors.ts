/** Every error code Redress raises, in one place, so callers and tests match on codes, not messages. */
export const ErrorCodes = {
  CONFIG_INVALID: 'CONFIG_INVALID',
  ROUTING_INVALID: 'ROUTING_INVALID',
  DB_CONNECT: 'DB_CONNECT',
  MIGRATION_FAILED: 'MIGRATION_FAILED',
  BAD_REQUEST: 'BAD_REQUEST',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  TRAINING_DATA_INVALID: 'TRAINING_DATA_INVALID',
  MODEL_INVALID: 'MODEL_INVALID',
  TRANSCRIPT_INVALID: 'TRANSCRIPT_INVALID',
  USAGE: 'USAGE',
  INTERNAL: 'INTERNAL',
} as const;

/** One of the codes in {@link ErrorCodes}. */
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

const httpStatus: Record<ErrorCode, number> = {
  CONFIG_INVALID: 500,
  ROUTING_INVALID: 500,
  DB_CONNECT: 503,
  MIGRATION_FAILED: 500,
  BAD_REQUEST: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TRAINING_DATA_INVALID: 422,
  MODEL_INVALID: 500,
  TRANSCRIPT_INVALID: 422,
  USAGE: 400,
  INTERNAL: 500,
};

/** The one error class of Redress: a string `code`, a human message, an optional `cause` and details. */
export class RedressError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'RedressError';
    this.code = code;
    this.details = options.details;
  }
  /** The HTTP status this error maps to when it reaches a client. */
  get status(): number {
    return httpStatus[this.code];
  }
}

/** True when `e` is a RedressError, optionally of one code. */
export function isRedressError(e: unknown, code?: ErrorCode): e is RedressError {
  return e instanceof RedressError && (code === undefined || e.code === code);
}
