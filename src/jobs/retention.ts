/** Retention: conversations whose tickets are all finished and that have been quiet for N days lose their personal data. */
import { RedressError } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import type { Db } from '../store/db.ts';
import { finishedStatusSchema } from '../domain/ticket-status.ts';
import {
  countConversations,
  finishErasure,
  scrubConversations,
  scrubCustomers,
  startErasure,
  type ScrubCounts,
} from '../store/erasures.ts';
import {
  claimQuietFinishedConversations,
  customersWithoutData,
  quietFinishedConversations,
} from '../store/retention.ts';

/** What a purge removed. */
export interface PurgeResult extends ScrubCounts {
  customers: number;
  /** Transactions used (one per batch). */
  batches: number;
}

const zero = (): PurgeResult => ({
  conversations: 0,
  messages: 0,
  tickets: 0,
  attachments: 0,
  outboxCancelled: 0,
  followupsCancelled: 0,
  customers: 0,
  batches: 0,
});

function cutoff(days: number, now: Date): Date {
  if (!Number.isInteger(days) || days < 1)
    throw new RedressError('USAGE', `retention days must be a whole number of at least 1, not ${days}`);
  return new Date(now.getTime() - days * 86_400_000);
}

/** What `purgeClosed` would remove at `now`, changing nothing. */
export async function previewClosed(db: Db, o: { days: number; now: Date }): Promise<ScrubCounts> {
  const ids = await quietFinishedConversations(db, cutoff(o.days, o.now), finishedStatusSchema.options);
  return countConversations(db, ids);
}

/**
 * Scrubs conversations finished and quiet for `days` (as an erasure does; ticket figures stay), `batch` conversations
 * per transaction. Any number of processes may run it at once: each batch takes rows with SKIP LOCKED.
 */
export async function purgeClosed(
  db: Db,
  o: { days: number; now: Date; batch?: number; actor?: string },
): Promise<PurgeResult> {
  const before = cutoff(o.days, o.now);
  const batch = o.batch ?? 100;
  const actor = o.actor ?? 'retention';
  const total = zero();
  for (;;) {
    const done = await db.transaction(async (tx) => {
      // Rows another sweeper (or a live turn) holds are skipped, not waited for: they are its work, or not quiet.
      const ids = await claimQuietFinishedConversations(tx, before, finishedStatusSchema.options, batch);
      if (!ids.length) return undefined;
      const erasureId = await startErasure(tx, { reason: 'retention', actor, now: o.now });
      const counts = await scrubConversations(tx, ids, {
        actor,
        now: o.now,
        event: { erasureId, reason: 'retention', days: o.days },
      });
      // A customer's name and contact points go once none of their conversations keeps any data.
      const customers = await scrubCustomers(tx, await customersWithoutData(tx, ids), o.now);
      await finishErasure(tx, erasureId, { customers, ...counts, days: o.days });
      return { ...counts, customers };
    });
    if (!done) return total;
    for (const k of Object.keys(done) as Array<keyof typeof done>) total[k] += done[k];
    total.batches++;
    if (done.conversations < batch) return total;
  }
}

/** Purges closed conversations past retention (src/main.ts runs it hourly); `days` 0 turns it off. */
export class RetentionSweeper {
  constructor(private readonly deps: { db: Db; days: number; clock?: () => Date; log?: Logger; batch?: number }) {}

  /** Purges once at `now`; zero counts when retention is off. */
  async sweep(now: Date = (this.deps.clock ?? (() => new Date()))()): Promise<PurgeResult> {
    if (!this.deps.days) return zero();
    const r = await purgeClosed(this.deps.db, { days: this.deps.days, now, batch: this.deps.batch });
    // Counts only: the log must not carry what was just erased.
    if (r.conversations)
      this.deps.log?.info(
        { conversations: r.conversations, tickets: r.tickets, days: this.deps.days },
        'retention purge',
      );
    return r;
  }
}
