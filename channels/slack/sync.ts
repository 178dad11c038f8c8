/** The sync of tickets to Slack: posts each new ticket's card, then keeps its thread and card up to date. */
import type { App } from '@slack/bolt';
import type { RoutingConfig } from '../../dialogs/routing-config.ts';
import type { Logger } from '../../src/core/log.ts';
import type { ConsoleTicket, SyncStore } from './port.ts';
import { escapeSlack, eventLine, mention, ticketMessage } from './blocks.ts';
import { handoffLine, handoffsOf, needsCallback } from './handoffs.ts';
import { recoveryPost } from './recovery.ts';

/** What the sync needs: Slack's Web API client, the store's queue of tickets, and the departments' channels. */
export interface SyncOptions {
  client: App['client'];
  store: SyncStore;
  routing: RoutingConfig;
  log?: Logger;
  clock: () => Date;
}

/** Slack's Retry-After on a 429 (other failures back off by the count of failures in a row). */
function retryAfterSeconds(e: unknown): number | undefined {
  const err = e as { code?: string; retryAfter?: number };
  return err.code === 'slack_webapi_rate_limited_error' && err.retryAfter ? err.retryAfter : undefined;
}

/** The `error` of a Slack Web API failure, if it is one. */
function slackError(e: unknown): string | undefined {
  return (e as { data?: { error?: string } }).data?.error;
}

/**
 * Rethrows a Web API error unless it says the message, thread or channel is already gone (a repeated sync, or
 * deleted by hand): when erasing, gone is what we wanted.
 */
function unlessGone(e: unknown): undefined {
  if (['message_not_found', 'thread_not_found', 'channel_not_found'].includes(slackError(e) ?? '')) return undefined;
  throw e;
}

/** Errors that retrying will not cure: the bot can no longer reach or change that post. */
const UNREACHABLE = new Set([
  'not_in_channel',
  'is_archived',
  'cant_delete_message',
  'cant_update_message',
  'restricted_action',
  'access_denied',
]);

/** Keeps one workspace's Slack cards and threads in step with the tickets, one sync at a time. */
export class SlackSync {
  private timer?: NodeJS.Timeout;
  private syncing?: Promise<void>;
  private rerun?: Promise<void>;
  private ownBotId?: string;

  constructor(private readonly o: SyncOptions) {}

  /**
   * Posts new tickets to their department's channel, then brings threads and messages up to date. A call during a
   * sync gets one more sync after it, so a change made meanwhile is never left behind.
   */
  sync(): Promise<void> {
    if (this.syncing) {
      this.rerun ??= this.syncing.then(() => {
        this.rerun = undefined;
        return this.sync();
      });
      return this.rerun;
    }
    this.syncing = this.syncOnce().finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  /** Syncs in the background: nobody waits on it, so a failure is logged here and the next sync tries again. */
  kick(): void {
    void this.sync().catch((err) => this.o.log?.warn({ err }, 'Slack sync failed'));
  }

  /** Syncs every `seconds`. */
  start(seconds: number): void {
    this.timer = setInterval(() => this.kick(), seconds * 1000);
    this.timer.unref();
  }

  /** Stops the timer; a sync under way runs on (see `running`). */
  stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** The sync under way, if any: shutting down waits for it rather than cut a post off halfway. */
  get running(): Promise<void> | undefined {
    return this.syncing;
  }

  /**
   * Deletes what the bot posted in a ticket's thread (the customer's words, replies sent to them) once the customer's
   * data is erased; the card itself is then redrawn from the scrubbed ticket. Safe to repeat: a sync cut off halfway
   * lists the thread again and deletes what is left. Messages staff typed are theirs: a bot token cannot delete them.
   */
  private async eraseThread(channel: string, ts: string): Promise<void> {
    const client = this.o.client;
    this.ownBotId ??= String((await client.auth.test()).bot_id ?? '');
    const ours: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.conversations.replies({ channel, ts, cursor, limit: 200 }).catch(unlessGone);
      for (const m of page?.messages ?? []) if (m.ts && m.ts !== ts && m.bot_id === this.ownBotId) ours.push(m.ts);
      cursor = page?.response_metadata?.next_cursor || undefined;
    } while (cursor);
    for (const t of ours) await client.chat.delete({ channel, ts: t }).catch(unlessGone);
  }

  private departments() {
    return this.o.routing.departments.map((d) => ({ id: d.id, name: d.name.en }));
  }

  private department(id: string | undefined) {
    return this.o.routing.departments.find((d) => d.id === id);
  }

  /** A ticket's card message, with its hand-off badges. */
  private cardOf(t: ConsoleTicket, oncall: string | undefined) {
    const facts = { handoffReasons: t.handoffReasons ?? [], routingReasons: t.routingReasons ?? [] };
    const handoffs = handoffsOf({ ...facts, callback: needsCallback(t) }, this.o.routing);
    return ticketMessage({ ...t, oncall, handoffs }, this.departments());
  }

  private async syncOnce(): Promise<void> {
    const now = this.o.clock();
    const client = this.o.client;
    for (const t of await this.o.store.unposted(now)) {
      const dept = this.department(t.department);
      if (!dept?.slack_channel) {
        await this.o.store.retryAt(t.id, new Date(now.getTime() + 3_600_000));
        continue;
      }
      try {
        const r = await client.chat.postMessage({
          channel: dept.slack_channel,
          ...this.cardOf(t, dept.oncall),
          unfurl_links: false,
          unfurl_media: false,
        });
        if (!(await this.o.store.posted(t.id, String(r.channel), String(r.ts))))
          await client.chat.delete({ channel: String(r.channel), ts: String(r.ts) });
      } catch (e) {
        this.o.log?.warn({ ticket: t.reference, err: (e as Error).message }, 'Slack post failed; will retry');
        await this.o.store.failed(t.id, now, retryAfterSeconds(e));
      }
    }
    for (const { card, events } of await this.o.store.withNewEvents(now)) {
      const dept = this.department(card.department);
      try {
        for (const e of events) {
          if (e.kind === 'erased') {
            // The current card's thread first: a post elsewhere that cannot be reached must not hold it up.
            await this.eraseThread(card.slackChannel!, card.slackTs!);
            // Cards left behind in channels the ticket moved out of still show the customer's words: redraw them
            // from the scrubbed ticket and empty their threads too. Notices quoting them go.
            for (const post of card.elsewhere) {
              try {
                if (post.card) {
                  await this.eraseThread(post.channel, post.ts);
                  await client.chat
                    .update({
                      channel: post.channel,
                      ts: post.ts,
                      ...this.cardOf(card, undefined),
                    })
                    .catch(unlessGone);
                } else await client.chat.delete({ channel: post.channel, ts: post.ts }).catch(unlessGone);
              } catch (err) {
                // Out of reach for good (channel archived, bot removed): say so and go on; anything else is retried.
                if (!UNREACHABLE.has(slackError(err) ?? '')) throw err;
                this.o.log?.warn(
                  { ticket: card.reference, channel: post.channel, err: slackError(err) },
                  'erased customer: a Slack post is out of reach',
                );
              }
            }
          }
          // A recovery task's lines carry their owner's mention and a Record contact button.
          const recovery = recoveryPost(e, card.reference);
          const text =
            recovery?.text ??
            eventLine(e, { claimedBy: card.claimedBy, oncall: dept?.oncall, escalation: dept?.escalation_slack }) ??
            // A hand-off mentions whoever must act: the claimer, else the department's on-call group.
            handoffLine(
              e,
              { claimedBy: card.claimedBy, oncall: dept?.oncall, callback: needsCallback(card) },
              this.o.routing,
            );
          if (text)
            await client.chat.postMessage({
              channel: card.slackChannel!,
              thread_ts: card.slackTs!,
              text,
              ...(recovery?.blocks ? { blocks: recovery.blocks } : {}),
              unfurl_links: false,
              unfurl_media: false,
            });
          // A breach escalated to a channel is also said there, where the escalation target will see it.
          if (e.kind === 'sla_breached' && dept?.escalation_slack && /^[CG]/.test(dept.escalation_slack)) {
            const r = await client.chat.postMessage({
              channel: dept.escalation_slack,
              text: `${card.reference} (${card.severity}) breached its SLA in ${mention(card.slackChannel!)}: ${escapeSlack(card.restatement)}`,
              unfurl_links: false,
              unfurl_media: false,
            });
            // It quotes the restatement: erasure must be able to find it.
            await this.o.store.postedElsewhere(card.id, String(r.channel), String(r.ts));
            // An erasure later in this same batch of events must see it too.
            card.elsewhere.push({ channel: String(r.channel), ts: String(r.ts), card: false });
          }
          await this.o.store.advance(card.id, e.id);
        }
        await client.chat.update({
          channel: card.slackChannel!,
          ts: card.slackTs!,
          ...this.cardOf(card, dept?.oncall),
        });
        // Reassigned to a department with another channel: the ticket moves there as a new message.
        if (dept?.slack_channel && dept.slack_channel !== card.slackChannel) {
          await client.chat.postMessage({
            channel: card.slackChannel!,
            thread_ts: card.slackTs!,
            text: `Moved to ${mention(dept.slack_channel)}; follow it there.`,
            unfurl_links: false,
          });
          await this.o.store.moved(card.id);
        } else await this.o.store.release(card.id);
      } catch (e) {
        this.o.log?.warn({ ticket: card.reference, err: (e as Error).message }, 'Slack thread sync failed; will retry');
        await this.o.store.failed(card.id, now, retryAfterSeconds(e));
      }
    }
  }
}
