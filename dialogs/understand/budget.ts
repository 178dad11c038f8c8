/** A time budget for understanding one message: the backstop that keeps one message from holding the event loop. */

/** Whether the time for understanding this message is used up. The dialog checks it between extractors. */
export interface Budget {
  spent(): boolean;
}

/** A budget that is never spent: the dialog without a deadline (tests, offline tools). */
export const UNLIMITED: Budget = { spent: () => false };

/**
 * A budget of `ms` milliseconds from now, on a monotonic clock. The dialog stays a pure function of its input when
 * the budget is not spent; past it, it goes on with what it understood so far instead of reading further.
 */
export function timeBudget(ms: number, now: () => number = () => performance.now()): Budget {
  const deadline = now() + ms;
  return { spent: () => now() > deadline };
}
