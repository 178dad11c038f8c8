/** The Slack staff console: Bolt on the bot's own server at POST /slack/events, and the sync that keeps it current. */
import { App, LogLevel, SocketModeReceiver, type Receiver, type ReceiverEvent } from '@slack/bolt';
import type { Request, Response, Server } from 'restify';
import type { RoutingConfig } from '../../dialogs/routing-config.ts';
import { isRedressError, RedressError } from '../../src/errors.ts';
import { readBody, sendError } from '../../src/http.ts';
import type { Logger } from '../../src/log.ts';
import type { SlackStore } from '../../src/slack-store.ts';
import { escapeSlack, eventLine, mention, replyModal, ticketMessage } from './blocks.ts';
import { Membership } from './membership.ts';
import { validSlackRequest } from './signature.ts';
import { wellFormedDeep } from '../../src/text/sanitize.ts';
import type { Inbound, PushChannel } from '../../src/ports.ts';
import { complaintsCommand } from './commands.ts';

/** Bolt's receiver contract, fed by a restify route instead of a server of its own. */
class RouteReceiver implements Receiver {
  app?: App;
  init(app: App): void {
    this.app = app;
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
}

/** Slack's SDK logger contract, written to our pino logger (silent when there is none) instead of the console. */
function slackLogger(log: Logger | undefined) {
  let level = LogLevel.WARN;
  const write = (at: 'debug' | 'info' | 'warn' | 'error') => (...msg: unknown[]) => log?.[at]({ component: 'slack-sdk' }, msg.map(String).join(' '));
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error'), setLevel: (l: LogLevel) => void (level = l), getLevel: () => level, setName: () => undefined };
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
const UNREACHABLE = new Set(['not_in_channel', 'is_archived', 'cant_delete_message', 'cant_update_message', 'restricted_action', 'access_denied']);

/** The staff console for one workspace. */
export class SlackConsole {
  readonly app: App;
  private readonly receiver: RouteReceiver | SocketModeReceiver;
  private readonly membership: Membership;
  private timer?: NodeJS.Timeout;
  private syncing?: Promise<void>;
  private rerun?: Promise<void>;
  private ownBotId?: string;

  constructor(
    private readonly o: {
      token: string;
      signingSecret: string;
      apiUrl?: string;
      /** An app-level token (xapp-…): Socket Mode, so Redress needs no public URL. */
      appToken?: string;
      store: SlackStore;
      routing: RoutingConfig;
      maxBodyBytes: number;
      log?: Logger;
      clock: () => Date;
      /** Runs a customer's turn (a DM or a mention of the bot) through the engine. */
      handle?: (m: Inbound) => Promise<unknown>;
    },
  ) {
    const clientOptions = { slackApiUrl: o.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true };
    this.receiver = o.appToken
      ? new SocketModeReceiver({
          appToken: o.appToken,
          logger: slackLogger(o.log),
          installerOptions: { clientOptions },
          // The delivery's key reaches the listeners, which mark it seen in the transaction of their effect.
          customPropertiesExtractor: (args) => ({ slackKey: dedupeKey((args as { body: Record<string, any> }).body ?? {}) }),
        })
      : new RouteReceiver();
    this.app = new App({
      token: o.token,
      receiver: this.receiver,
      logger: slackLogger(o.log),
      // No auth.test at start: the console must start even while Slack is unreachable.
      tokenVerificationEnabled: false,
      botId: 'B00000000',
      botUserId: 'U00000000',
      // Rate limits come back to the sync as errors with Retry-After; the sync, not a sleeping client, waits them out.
      clientOptions,
    });
    this.membership = new Membership(this.app.client);
    this.listen();
  }

  /** In Socket Mode, opens the connection to Slack (in the background: Slack being down must not stop Redress). */
  start(): void {
    if (this.receiver instanceof SocketModeReceiver) {
      this.receiver.start().catch((err: Error) => this.o.log?.error({ err: err.message }, 'Slack Socket Mode connection failed'));
    }
  }

  /** Mounts POST /slack/events (events, interactivity and slash commands on one URL). */
  mount(server: Server): void {
    if (!(this.receiver instanceof RouteReceiver)) return;
    const receiver = this.receiver;
    server.post('/slack/events', async (req: Request, res: Response) => {
      try {
        const raw = (await readBody(req, this.o.maxBodyBytes)).toString('utf8');
        const valid = validSlackRequest({
          signingSecret: this.o.signingSecret,
          body: raw,
          signature: String(req.headers['x-slack-signature'] ?? ''),
          timestamp: String(req.headers['x-slack-request-timestamp'] ?? ''),
        });
        if (!valid) throw new RedressError('UNAUTHORIZED', 'invalid Slack signature or a timestamp more than five minutes off');
        const body = wellFormedDeep(parseBody(raw, String(req.headers['content-type'] ?? '')));
        if (body.type === 'url_verification') {
          res.send(200, { challenge: body.challenge });
          return;
        }
        // Slack retries what it thinks was not acknowledged; each event or action is handled once. A retry of a
        // handled delivery is answered at once; the effect's own transaction marks the key, so a crash before it
        // leaves the retry free to do the work.
        const key = dedupeKey(body);
        if (key && (await this.o.store.seen(key))) {
          res.send(200);
          return;
        }
        let acked = false;
        const ack = async (response?: unknown) => {
          if (acked) return;
          acked = true;
          if (response === undefined || response === '') res.send(200);
          else res.send(200, response);
        };
        const event: ReceiverEvent = {
          body,
          ack,
          retryNum: Number(req.headers['x-slack-retry-num']) || undefined,
          retryReason: req.headers['x-slack-retry-reason'] as string | undefined,
          customProperties: { slackKey: key },
        };
        await receiver.app!.processEvent(event);
        if (!acked) res.send(200);
      } catch (e) {
        sendError(res, e, this.o.log);
      }
    });
  }

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

  /** Syncs every `seconds`. */
  startSync(seconds: number): void {
    this.timer = setInterval(() => void this.sync().catch((err) => this.o.log?.warn({ err }, 'Slack sync failed')), seconds * 1000);
    this.timer.unref();
  }

  /** Stops syncing (and closes the Socket Mode connection). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.receiver instanceof SocketModeReceiver) await this.receiver.stop().catch(() => undefined);
    await this.syncing;
  }

  /**
   * Deletes what the bot posted in a ticket's thread (the customer's words, replies sent to them) once the customer's
   * data is erased; the card itself is then redrawn from the scrubbed ticket. Safe to repeat: a sync cut off halfway
   * lists the thread again and deletes what is left. Messages staff typed are theirs: a bot token cannot delete them.
   */
  private async eraseThread(channel: string, ts: string): Promise<void> {
    const client = this.app.client;
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

  private async syncOnce(): Promise<void> {
    const now = this.o.clock();
    const client = this.app.client;
    for (const t of await this.o.store.unposted(now)) {
      const dept = this.department(t.department);
      if (!dept?.slack_channel) {
        await this.o.store.retryAt(t.id, new Date(now.getTime() + 3_600_000));
        continue;
      }
      try {
        const r = await client.chat.postMessage({ channel: dept.slack_channel, ...ticketMessage({ ...t, oncall: dept.oncall }, this.departments()), unfurl_links: false, unfurl_media: false } as never);
        if (!(await this.o.store.posted(t.id, String(r.channel), String(r.ts)))) await client.chat.delete({ channel: String(r.channel), ts: String(r.ts) });
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
                  await client.chat.update({ channel: post.channel, ts: post.ts, ...ticketMessage({ ...card, oncall: undefined }, this.departments()) } as never).catch(unlessGone);
                } else await client.chat.delete({ channel: post.channel, ts: post.ts }).catch(unlessGone);
              } catch (err) {
                // Out of reach for good (channel archived, bot removed): say so and go on; anything else is retried.
                if (!UNREACHABLE.has(slackError(err) ?? '')) throw err;
                this.o.log?.warn({ ticket: card.reference, channel: post.channel, err: slackError(err) }, 'erased customer: a Slack post is out of reach');
              }
            }
          }
          const text = eventLine(e, { claimedBy: card.claimedBy, oncall: dept?.oncall, escalation: dept?.escalation_slack });
          if (text) await client.chat.postMessage({ channel: card.slackChannel!, thread_ts: card.slackTs!, text, unfurl_links: false, unfurl_media: false });
          // A breach escalated to a channel is also said there, where the escalation target will see it.
          if (e.kind === 'sla_breached' && dept?.escalation_slack && /^[CG]/.test(dept.escalation_slack)) {
            const r = await client.chat.postMessage({ channel: dept.escalation_slack, text: `${card.reference} (${card.severity}) breached its SLA in ${mention(card.slackChannel!)}: ${escapeSlack(card.restatement)}`, unfurl_links: false, unfurl_media: false });
            // It quotes the restatement: erasure must be able to find it.
            await this.o.store.postedElsewhere(card.id, String(r.channel), String(r.ts));
            // An erasure later in this same batch of events must see it too.
            card.elsewhere.push({ channel: String(r.channel), ts: String(r.ts), card: false });
          }
          await this.o.store.advance(card.id, e.id);
        }
        await client.chat.update({ channel: card.slackChannel!, ts: card.slackTs!, ...ticketMessage({ ...card, oncall: dept?.oncall }, this.departments()) } as never);
        // Reassigned to a department with another channel: the ticket moves there as a new message.
        if (dept?.slack_channel && dept.slack_channel !== card.slackChannel) {
          await client.chat.postMessage({ channel: card.slackChannel!, thread_ts: card.slackTs!, text: `Moved to ${mention(dept.slack_channel)}; follow it there.`, unfurl_links: false });
          await this.o.store.moved(card.id);
        } else await this.o.store.release(card.id);
      } catch (e) {
        this.o.log?.warn({ ticket: card.reference, err: (e as Error).message }, 'Slack thread sync failed; will retry');
        await this.o.store.failed(card.id, now, retryAfterSeconds(e));
      }
    }
  }

  private department(id: string | undefined) {
    return this.o.routing.departments.find((d) => d.id === id);
  }

  /** Whether `user` may act on ticket `reference`; if not, tells them so (ephemerally) and returns false. */
  private async allowed(user: string, reference: string, where: string | undefined): Promise<boolean> {
    const dept = this.department(await this.o.store.departmentOf(reference));
    let ok = false;
    let why = `Only members of ${dept?.slack_channel ? mention(dept.slack_channel) : 'the department'} can act on ${reference}.`;
    try {
      ok = await this.membership.mayAct(user, dept);
    } catch (e) {
      why = `Could not check that you may act on ${reference} (${escapeSlack((e as Error).message)}); please try again.`;
    }
    if (!ok) {
      if (dept?.slack_channel) this.membership.forget(dept.slack_channel);
      this.o.log?.warn({ user, ticket: reference }, 'Slack action refused: not a member of the department');
      if (where) await this.app.client.chat.postEphemeral({ channel: where, user, text: why }).catch(() => undefined);
    }
    return ok;
  }

  private listen(): void {
    const app = this.app;
    const after = () => void this.sync().catch((err) => this.o.log?.warn({ err }, 'Slack sync failed'));
    const value = (action: unknown) => {
      const a = action as { value?: string; selected_option?: { value: string } };
      return a.value ?? a.selected_option?.value ?? '';
    };
    /** A ticket button or menu: acknowledged at once, checked, done once, then the console catches up. */
    const ticketAction = (id: string, run: (reference: string, arg: string, user: string, key: string | undefined) => Promise<unknown>) =>
      app.action(id, async ({ ack, body, action, context }) => {
        await ack();
        const [reference, arg = ''] = value(action).split('|');
        const where = (body as { channel?: { id: string } }).channel?.id;
        if (!(await this.allowed(body.user.id, reference, where))) return;
        try {
          await run(reference, arg, body.user.id, context.slackKey as string | undefined);
        } catch (e) {
          if (!isRedressError(e)) throw e;
          // "a resolved ticket cannot become resolved" and the like: tell the one who clicked, nobody else.
          if (where) await app.client.chat.postEphemeral({ channel: where, user: body.user.id, text: `${reference}: ${escapeSlack(e.message)}` });
        }
        after();
      });
    ticketAction('claim', (ref, _, user, key) => this.o.store.claim(ref, user, key));
    ticketAction('resolve', (ref, _, user, key) => this.o.store.resolve(ref, user, key));
    ticketAction('reassign', (ref, department, user, key) => this.o.store.reassign(ref, department, user, key));
    ticketAction('severity', async (ref, severity, user, key) => {
      if (severity === 'ordinary' || severity === 'serious' || severity === 'urgent') await this.o.store.severity(ref, severity, user, key);
    });
    app.action('reply', async ({ ack, body, action }) => {
      await ack();
      const reference = value(action);
      const where = (body as { channel?: { id: string } }).channel?.id;
      if (!(await this.allowed(body.user.id, reference, where))) return;
      const t = await this.o.store.ticket(reference);
      if (!t) return;
      await app.client.views.open({ trigger_id: (body as { trigger_id: string }).trigger_id, view: replyModal(reference, t.restatement) as never });
    });
    app.view('reply_to_customer', async ({ ack, body, view, context }) => {
      const reference = view.private_metadata;
      const text = (view.state.values.reply?.text?.value ?? '').trim();
      if (!text) return void (await ack({ response_action: 'errors', errors: { reply: 'Write the reply to send.' } }));
      if (!(await this.allowed(body.user.id, reference, undefined))) {
        return void (await ack({ response_action: 'errors', errors: { reply: `Only members of the department's channel can reply on ${reference}.` } }));
      }
      try {
        await this.o.store.staffReplyTo(reference, body.user.id, text, context.slackKey as string | undefined);
      } catch (e) {
        if (!isRedressError(e)) throw e;
        return void (await ack({ response_action: 'errors', errors: { reply: e.message } }));
      }
      await ack();
      after();
    });
    app.command('/complaints', async ({ ack, command }) => {
      const department = this.o.routing.departments.find((d) => d.slack_channel === command.channel_id)?.id;
      // Who asks, not where: any workspace member can type the command in any channel, so it answers only about the
      // departments whose channel they are in (or whose named staff they are).
      const { allowed, unchecked } = await this.membership.departmentsFor(command.user_id, this.o.routing.departments);
      if (unchecked.length) this.o.log?.warn({ user: command.user_id, departments: unchecked.map((d) => d.id) }, '/complaints: could not check channel membership');
      await ack(await complaintsCommand(command.text ?? '', this.o.store, { departments: allowed.map((d) => d.id), incomplete: unchecked.length > 0 }, department));
    });
    // A person who writes to the bot directly, or mentions it, is a customer: the same dialog as web chat.
    const customer = async (m: { channel: string; user?: string; text?: string; ts?: string; thread_ts?: string }, threaded: boolean) => {
      if (!this.o.handle || !m.user || !m.ts) return;
      const thread = threaded ? (m.thread_ts ?? m.ts) : undefined;
      await this.o.handle({
        channel: SLACK_CHANNEL,
        // A channel thread may hold several people: each one's complaint is their own conversation. A DM has one.
        conversationKey: thread ? `${m.channel}:${thread}:${m.user}` : `${m.channel}:`,
        messageKey: `${m.channel}:${m.ts}`,
        text: unescapeSlack((m.text ?? '').replace(/<@U[A-Z0-9]+>/g, '')).trim(),
        sender: { id: m.user },
        // Slack signed the request: the user id is theirs, and links their complaints in other threads or DMs.
        verified: { account: `slack:${m.user}` },
        address: { channel: m.channel, thread_ts: thread ?? null },
        payload: { slackUser: m.user },
      });
    };
    app.event('app_mention', async ({ event }) => {
      await customer(event as never, true);
    });
    // A staff member's reply in a ticket's thread goes to the customer.
    app.message(async ({ message, context }) => {
      const m = message as { subtype?: string; bot_id?: string; thread_ts?: string; ts?: string; channel: string; channel_type?: string; user?: string; text?: string };
      if (m.channel_type === 'im' && !m.subtype && !m.bot_id) return customer(m, false);
      if (m.subtype || m.bot_id || !m.thread_ts || m.thread_ts === m.ts || !m.user || !m.text?.trim()) return;
      const ticket = await this.o.store.byMessage(m.channel, m.thread_ts);
      if (!ticket || !(await this.allowed(m.user, ticket.reference, m.channel))) return;
      try {
        if (await this.o.store.staffReply(m.channel, m.thread_ts, m.user, unescapeSlack(m.text), context.slackKey as string | undefined)) after();
      } catch (e) {
        if (!isRedressError(e)) throw e;
        await app.client.chat.postEphemeral({ channel: m.channel, user: m.user, text: `Not sent to the customer: ${escapeSlack(e.message)}` });
      }
    });
  }
}

/** The channel name complaints made in Slack are stored under. */
export const SLACK_CHANNEL = 'slack';

/** The push side of the Slack complaint channel: the bot's replies and follow-ups, in the DM or thread. */
export function slackCustomerSender(app: App): PushChannel {
  return {
    async send(group) {
      const a = group[0].address as { channel?: string; thread_ts?: string | null };
      if (!a.channel) throw new Error('conversation has no Slack channel');
      for (const m of group) await app.client.chat.postMessage({ channel: a.channel, ...(a.thread_ts ? { thread_ts: a.thread_ts } : {}), text: escapeSlack(m.text), unfurl_links: false });
    },
  };
}

function parseBody(raw: string, type: string): Record<string, any> {
  try {
    if (/application\/json/i.test(type)) return JSON.parse(raw);
    const form = Object.fromEntries(new URLSearchParams(raw));
    return typeof form.payload === 'string' ? JSON.parse(form.payload) : form;
  } catch (e) {
    throw new RedressError('BAD_REQUEST', `malformed Slack request: ${(e as Error).message}`, { cause: e });
  }
}

function dedupeKey(body: Record<string, any>): string | undefined {
  if (body.event_id) return `event:${body.event_id}`;
  if (body.type === 'block_actions' && body.actions?.[0]) return `action:${body.actions[0].action_ts}:${body.user?.id}:${body.actions[0].action_id}`;
  if (body.type === 'view_submission' && body.view) return `view:${body.view.id}:${body.view.hash}`;
  return undefined;
}

/** Slack escapes &, <, > in message text; staff replies go to customers as they were typed. */
function unescapeSlack(text: string): string {
  return text.replace(/<(https?:[^|>]+)(\|[^>]+)?>/g, '$1').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
