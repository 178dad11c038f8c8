/**
 * The dialog layer's errors (dialogs/ imports nothing from src/). Every Redress error has one shape, a string `code`, a
 * human message, an optional `cause` and details: {@link CodedError}, which src/core/errors.ts's RedressError extends too.
 * The dialog codes are RedressError codes spelt the same, so a caller matches one code whichever layer raised it;
 * src/core/errors.ts turns a DialogError into a RedressError where it crosses into src/ (and the compiler checks the codes).
 */

/** An error with a string `code`, a human message, an optional `cause` and details. */
export class CodedError<Code extends string> extends Error {
  readonly code: Code;
  readonly details?: unknown;
  constructor(code: Code, message: string, options: { cause?: unknown; details?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details;
  }
}

/** Every code the dialog layer raises. */
export const DialogErrorCodes = {
  ROUTING_INVALID: 'ROUTING_INVALID',
  MODEL_INVALID: 'MODEL_INVALID',
} as const;

/** One of the codes in {@link DialogErrorCodes}. */
export type DialogErrorCode = (typeof DialogErrorCodes)[keyof typeof DialogErrorCodes];

/** An error raised by dialogs/. */
export class DialogError extends CodedError<DialogErrorCode> {}

/** True when `e` is a DialogError, optionally of one code. */
export function isDialogError(e: unknown, code?: DialogErrorCode): e is DialogError {
  return e instanceof DialogError && (code === undefined || e.code === code);
}
