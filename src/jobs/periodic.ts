/** One timer loop for every background sweep: runs a task every so often, never two runs at once, stops cleanly. */
import type { Logger } from '../core/log.ts';

/** A task run every `seconds`; `stop` resolves once the run under way (if any) has finished. */
export interface Periodic {
  start(): void;
  stop(): Promise<void>;
  /** The run under way, if any (tests and shutdown wait for it). */
  readonly running: Promise<unknown> | undefined;
}

/**
 * Runs `task` every `seconds` (unref'd: a timer alone does not keep the process up). A tick that finds the last run
 * still going is skipped rather than queued, so a slow database never piles runs up; a failure is logged under
 * `name` and the next tick tries again.
 */
export function periodic(name: string, seconds: number, task: () => Promise<unknown>, log?: Logger): Periodic {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  return {
    start() {
      if (timer) return;
      timer = setInterval(() => {
        if (running) return;
        running = task()
          .catch((err) => log?.error({ err }, `${name} failed`))
          .finally(() => (running = undefined));
      }, seconds * 1000);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
    get running() {
      return running;
    },
  };
}
