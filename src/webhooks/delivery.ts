/**
 * Delivers queued webhook events: claimed under a lease, sent outside any transaction, at least once, in order per
 * ticket and destination, retried with doubling delays for up to a day, then given up with a webhook_gave_up event.
 */
import type { Db } from '../store/db.ts';
import type { Logger } from '../core/log.ts';
import { errorCode } from '../core/metrics.ts';
import { claimDueWebhooks, deleteWebhookEvent, markWebhookFailed, type WebhookRow } from '../store/webhook-events.ts';
import { addEvent } from '../store/tickets.ts';
import type { AddressPolicy } from './address-guard.ts';
import type { WebhookDestination } from './config.ts';
import { sendWebhook } from './send.ts';

/** How long retries go on, counted from when the event was queued. */
export const WEBHOOK_RETRY_HOURS = 24;

/** Retry delay after the n-th failed try: 10 s doubling, at most an hour. */
export function webhookBackoffSeconds(attempt: number): number {
  return Math.min(3600, 10 * 2 ** Math.max(0, attempt - 1));
}

/** What the delivery needs. */
export interface WebhookDeliveryOptions {
  db: Db;
  destinations: readonly WebhookDestination[];
  policy: AddressPolicy;
  clock?: () => Date;
  log?: Logger;
  /** Counts a failed try (redress_webhook_failures_total). */
  onFailure?: (destination: string, code: string) => void;
  /** How long a claim holds (longer than a try can take: 5 s); a process killed mid-send is retried after it. */
  leaseSeconds?: number;
}

/** The webhook outbox's sender. Any process may run it: claims are row locks plus a lease. */
export class WebhookDelivery {
  private readonly byId: Map<string, WebhookDestination>;
  constructor(private readonly o: WebhookDeliveryOptions) {
    this.byId = new Map(o.destinations.map((d) => [d.id, d]));
  }

  private now(): Date {
    return (this.o.clock ?? (() => new Date()))();
  }

  /** Sends what is due, round after round (each round the head of every lane), until nothing is left to claim. */
  async flush(): Promise<{ sent: number; failed: number }> {
    const total = { sent: 0, failed: 0 };
    if (!this.byId.size) return total;
    for (;;) {
      const now = this.now();
      const rows = await this.o.db.transaction((tx) =>
        claimDueWebhooks(tx, {
          now,
          leaseSeconds: this.o.leaseSeconds ?? 15,
          destinations: [...this.byId.keys()],
          limit: 50,
        }),
      );
      if (!rows.length) return total;
      const ok = await Promise.all(rows.map((r) => this.deliver(r, now)));
      total.sent += ok.filter(Boolean).length;
      total.failed += ok.filter((x) => !x).length;
      // A round that only failed ends the flush: the failures wait for their retry time.
      if (!ok.some(Boolean)) return total;
    }
  }

  private async deliver(r: WebhookRow, now: Date): Promise<boolean> {
    const d = this.byId.get(r.destination)!;
    let error: string;
    try {
      const status = await sendWebhook(
        {
          url: d.url,
          secret: d.secret,
          eventId: r.event_id,
          type: r.kind,
          body: JSON.stringify(r.payload),
          t: Math.floor(this.now().getTime() / 1000),
        },
        this.o.policy,
      );
      if (status >= 200 && status < 300) {
        await deleteWebhookEvent(this.o.db, r.id);
        return true;
      }
      error = `HTTP ${status}`;
      this.o.onFailure?.(d.id, `http_${status}`);
    } catch (e) {
      error = ((e as Error).message ?? String(e)).slice(0, 500);
      this.o.onFailure?.(d.id, errorCode(e));
    }
    const next = new Date(now.getTime() + webhookBackoffSeconds(r.attempts) * 1000);
    const give = next.getTime() > new Date(r.created_at).getTime() + WEBHOOK_RETRY_HOURS * 3_600_000;
    await this.o.db.transaction(async (tx) => {
      await markWebhookFailed(tx, r.id, { nextAttemptAt: give ? null : next, error });
      // Only the last failure goes on the ticket's trail; the retries before it are in /metrics and the log.
      if (give && r.ticket_id)
        await addEvent(tx, r.ticket_id, 'webhook_gave_up', 'webhooks', {
          destination: d.id,
          event: r.event_id,
          type: r.kind,
          attempts: r.attempts,
          error,
        });
    });
    this.o.log?.warn(
      { destination: d.id, event: r.event_id, attempt: r.attempts, err: error },
      give ? 'webhook abandoned' : 'webhook failed; will retry',
    );
    return false;
  }
}
