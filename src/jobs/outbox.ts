/** Sends what push channels owe: pending outbound messages, claimed under a lease, retried with backoff, never lost. */
import type { Deliver, Outbound } from '../core/ports.ts';
import type { Db } from '../store/db.ts';
import {
  claimDueOutbound,
  markOutboundFailed,
  markOutboundSent,
  postponeOutbound,
  toOutbound,
} from '../store/messages.ts';
import { addEvent } from '../store/tickets.ts';
import type { Logger } from '../core/log.ts';
import { isRedressError } from '../core/errors.ts';

/** Retry delay after the n-th failed attempt: 30 s doubling, at most an hour. */
export function backoffSeconds(attempt: number): number {
  return Math.min(3600, 30 * 2 ** Math.max(0, attempt - 1));
}

/** Delivery of pending outbound messages. Any process may run it: claims are row locks plus a lease. */
export class Outbox {
  private running?: Promise<unknown>;
  private again = false;
  constructor(
    private readonly deps: {
      db: Db;
      deliver: Deliver;
      clock?: () => Date;
      log?: Logger;
      maxAttempts?: number;
      leaseSeconds?: number;
    },
  ) {}

  /**
   * Sends every pending message due by `now`, batch after batch; returns how many groups this call sent and failed.
   * A flush this process started by itself (kick) is waited for first: it holds claims on messages this call would
   * otherwise skip, so "flushed" would not mean "sent".
   */
  async flush(now?: Date): Promise<{ sent: number; failed: number }> {
    await this.idle();
    return this.flushAll(now ?? this.now());
  }

  private now(): Date {
    return (this.deps.clock ?? (() => new Date()))();
  }

  private async flushAll(now: Date): Promise<{ sent: number; failed: number }> {
    const total = { sent: 0, failed: 0 };
    for (;;) {
      const r = await this.flushBatch(now);
      total.sent += r.sent;
      total.failed += r.failed;
      if (!r.claimed) return total;
    }
  }

  private async flushBatch(now: Date): Promise<{ sent: number; failed: number; claimed: number }> {
    const lease = this.deps.leaseSeconds ?? 120;
    // Claim first, send outside any transaction: a slow or dead channel never holds a database lock. A process that
    // dies after sending but before confirming sends again when the lease ends (at least once, never lost).
    const claimed = await this.deps.db.transaction((tx) => claimDueOutbound(tx, now, lease));
    if (!claimed.length) return { sent: 0, failed: 0, claimed: 0 };
    const groups = new Map<string, typeof claimed>();
    for (const r of claimed) {
      const key = `${r.conversation_id}:${r.reply_to ?? ''}:${r.followup_id ?? ''}`;
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
    let sent = 0;
    let failed = 0;
    // Several groups in flight (different conversations); one conversation's groups stay in order.
    const lanes = new Map<number, Array<typeof claimed>>();
    for (const rows of groups.values())
      lanes.set(rows[0].conversation_id, [...(lanes.get(rows[0].conversation_id) ?? []), rows]);
    const queue = [...lanes.values()];
    const sendGroup = async (rows: typeof claimed): Promise<Date | undefined> => {
      const ids = rows.map((r) => r.id);
      const push = this.deps.deliver.pushes(rows[0].channel);
      try {
        if (!push) throw new Error(`no sender registered for channel ${rows[0].channel}`);
        await push.send(rows.map<Outbound>(toOutbound));
        await markOutboundSent(this.deps.db, ids, now);
        sent++;
        return undefined;
      } catch (e) {
        failed++;
        const attempts = Math.max(...rows.map((r) => r.attempts));
        // A destination the channel refuses (a serviceUrl nothing verified) stays refused: give up at once.
        const give = attempts >= (this.deps.maxAttempts ?? 12) || isRedressError(e, 'SERVICE_URL_REFUSED');
        const next = new Date(now.getTime() + backoffSeconds(attempts) * 1000);
        const error = (e as Error).message?.slice(0, 500) ?? String(e);
        await this.deps.db.transaction(async (tx) => {
          await markOutboundFailed(tx, ids, {
            delivery: give ? 'failed' : 'pending',
            nextAttemptAt: give ? null : next,
            error,
          });
          if (rows[0].ticket_id) {
            await addEvent(tx, rows[0].ticket_id, give ? 'delivery_gave_up' : 'delivery_failed', 'outbox', {
              channel: rows[0].channel,
              messages: ids,
              attempt: attempts,
              error,
              nextAttemptAt: give ? null : next.toISOString(),
            });
          }
        });
        this.deps.log?.warn(
          { channel: rows[0].channel, messages: ids, attempt: attempts, err: error },
          give ? 'delivery abandoned' : 'delivery failed; will retry',
        );
        return give ? now : next;
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(8, queue.length) }, async () => {
        for (let lane = queue.shift(); lane; lane = queue.shift()) {
          for (const [i, rows] of lane.entries()) {
            const retryAt = await sendGroup(rows);
            if (!retryAt) continue;
            // The conversation's later messages wait behind the one that failed; this claim does not count as a try.
            const rest = lane.slice(i + 1).flatMap((g) => g.map((r) => r.id));
            if (rest.length) await postponeOutbound(this.deps.db, rest, retryAt);
            break;
          }
        }
      }),
    );
    return { sent, failed, claimed: claimed.length };
  }

  /** Flushes soon (after a turn wrote pending messages); concurrent kicks collapse into one more run. */
  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.flushAll(this.now())
      .catch((err) => this.deps.log?.error({ err }, 'outbox flush failed'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Waits for a flush under way (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }
}
