/**
 * A bound on concurrent heavy reads (full activities pages, summaries, CSV exports, transcript uploads): each holds
 * far more memory than an ordinary request, so a few at once is the most a process takes. Past the bound a request
 * is refused at once with 503 SERVER_BUSY and Retry-After rather than queued: a queue would hold every waiting
 * request's state, which is the memory this bound exists to save.
 */
import type { Response } from 'restify';
import { RedressError } from '../core/errors.ts';

/** Seconds a refused client is asked to wait (a heavy read takes well under that). */
export const BUSY_RETRY_AFTER_SECONDS = 1;

/** A counting semaphore without a queue: {@link HeavyReads.tryAcquire} either takes a slot or says no. */
export class HeavyReads {
  private active = 0;
  /** `max` slots (0: no bound); `onShed` is told about each refusal (metrics, logs). */
  constructor(
    readonly name: string,
    readonly max: number,
    private readonly onShed?: (name: string) => void,
  ) {}

  /** Slots in use now. */
  get inUse(): number {
    return this.active;
  }

  /** Takes a slot and returns its release (idempotent), or undefined when all slots are taken (told to `onShed`). */
  tryAcquire(): (() => void) | undefined {
    if (this.max > 0 && this.active >= this.max) {
      this.onShed?.(this.name);
      return undefined;
    }
    this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
    };
  }

  /** Takes a slot, or throws 503 SERVER_BUSY. */
  acquire(): () => void {
    const release = this.tryAcquire();
    if (release) return release;
    throw new RedressError('SERVER_BUSY', `too many ${this.name} at once; try again in a moment`);
  }

  /**
   * Takes a slot for the rest of `res` (or throws 503 SERVER_BUSY): the response body stays in memory until the client
   * has read it, so the slot is given back when the response has finished or the client has gone.
   */
  holdFor(res: Response): () => void {
    const release = this.acquire();
    res.once('finish', release);
    res.once('close', release);
    return release;
  }
}
