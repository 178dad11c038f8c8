/** The parts of a running process in the order they start; they stop in the reverse order, each awaited in turn. */
import type { Logger } from './log.ts';

/** One part of the process: what starts it and what stops it (both optional). */
export interface Part {
  name: string;
  start?(): void | Promise<void>;
  stop?(): void | Promise<void>;
}

/**
 * Starts parts in the order they were added and stops them in reverse, so a part is stopped only after everything
 * that was started after it (and may use it) has stopped: the HTTP server before the channels, the channels before
 * the outbox drains, the outbox before the SMTP pool closes, all of them before the database.
 */
export class Lifecycle {
  private readonly parts: Part[] = [];
  private started = 0;

  constructor(private readonly log?: Logger) {}

  /** Adds a part; it is started by {@link startAll} (or at once when the others already run). */
  add(part: Part): void {
    this.parts.push(part);
  }

  /** Starts every part not yet started, in order. */
  async startAll(): Promise<void> {
    while (this.started < this.parts.length) await this.parts[this.started++].start?.();
  }

  /** Stops every part in the reverse order; one that fails is logged and the others still stop. */
  async stopAll(): Promise<void> {
    for (const part of this.parts.splice(0).reverse()) {
      try {
        await part.stop?.();
      } catch (err) {
        this.log?.error({ err, part: part.name }, 'stopping failed');
      }
    }
    this.started = 0;
  }
}
