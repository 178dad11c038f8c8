/** A time budget for understanding one message: the backstop that keeps one message from holding the event loop. */

/** Whether the time for understanding this message is used up. The dialog checks it between extractors. */
export interface Budget {
  spent(): boolean;
}

/** A budget that is never spent: the dialog without a deadline (tests, offline tools). */
export const UNLIMITED: Budget = { spent: () => false };

/** CPU milliseconds this process has used: unlike the wall clock, not stretched when other processes share the cores. */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * A budget of `ms` milliseconds of CPU from now. The dialog stays a pure function of its input when the budget is not
 * spent; past it, it goes on with what it understood so far instead of reading further. CPU time, not wall time, so
 * that a busy machine does not cut a normal message short.
 */
export function timeBudget(ms: number, now: () => number = cpuMs): Budget {
  const deadline = now() + ms;
  return { spent: () => now() > deadline };
}
