/** The pino logger every module receives from the composition root. */
import pino from 'pino';

/** A pino logger. */
export type Logger = pino.Logger;

/** Creates the process logger at `level`. */
export function createLogger(level: string): Logger {
  // Customer contact details and words stay out of logs, whatever a caller passes in.
  return pino({
    level,
    base: { app: 'redress' },
    redact: {
      paths: [
        'email',
        'phone',
        'text',
        'record',
        'address',
        '*.email',
        '*.phone',
        '*.text',
        '*.record',
        '*.address',
        'headers.authorization',
        '*.authorization',
      ],
      censor: '[redacted]',
    },
  });
}
