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

/** A budget that remembers its answers, and can replay them (see {@link recordedBudget}). */
export interface RecordedBudget extends Budget {
  /** A budget that answers as this one did, check for check, then asks this one again. */
  replay(): Budget;
}

/**
 * `inner`, remembering its answers: a second run of the same turn with the replay takes the same path, however long
 * it takes (the engine runs a turn again once it has allocated the reference of the ticket that turn opens). CPU time
 * only grows, so the answers are some "not yet" and then "spent" for good: a count and a flag remember them.
 */
export function recordedBudget(inner: Budget): RecordedBudget {
  let notYet = 0;
  let spent = false;
  return {
    spent: () => {
      if (spent) return true;
      spent = inner.spent();
      if (!spent) notYet++;
      return spent;
    },
    replay: () => {
      let checks = 0;
      return { spent: () => (checks++ < notYet ? false : spent || inner.spent()) };
    },
  };
}
