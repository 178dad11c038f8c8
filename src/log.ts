/** The pino logger every module receives from the composition root. */
import pino from 'pino';

/** A pino logger. */
export type Logger = pino.Logger;

/** Creates the process logger at `level`. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { app: 'redress' } });
}
