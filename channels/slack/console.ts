/** The Slack staff console: Bolt on the bot's own server at POST /slack/events, and the sync that keeps it current. */
import { App, isValidSlackRequest, type Receiver, type ReceiverEvent } from '@slack/bolt';
import type { Request, Response, Server } from 'restify';
import type { RoutingConfig } from '../../dialogs/routing-config.ts';
import { RedressError } from '../../src/errors.ts';
import { readBody, sendError } from '../../src/http.ts';
import type { Logger } from '../../src/log.ts';
import type { SlackStore } from '../../src/slack-store.ts';
import { escapeSlack, eventLine, ticketMessage } from './blocks.ts';
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

/** Seconds to wait after a failed Web API call: Slack's Retry-After on a 429, else 30. */
function retryAfterSeconds(e: unknown): number {
  const err = e as { code?: string; retryAfter?: number };
  return err.code === 'slack_webapi_rate_limited_error' && err.retryAfter ? err.retryAfter : 30;
}

/** The staff console for one workspace. */
export class SlackConsole {
  readonly app: App;
  private readonly receiver = new RouteReceiver();
  private timer?: NodeJS.Timeout;
  private syncing?: Promise<void>;
  private rerun?: Promise<void>;

  constructor(
    private readonly o: {
      token: string;
      signingSecret: string;
      apiUrl?: string;
      store: SlackStore;
      routing: RoutingConfig;
      maxBodyBytes: number;
      log?: Logger;
      clock: () => Date;
      /** Runs a customer's turn (a DM or a mention of the bot) through the engine. */
      handle?: (m: Inbound) => Promise<unknown>;
    },
  ) {
    this.app = new App({
      token: o.token,
      receiver: this.receiver,
      // No auth.test at start: the console must start even while Slack is unreachable.
      tokenVerificationEnabled: false,
      botId: 'B00000000',
      botUserId: 'U00000000',
      // Rate limits come back to the sync as errors with Retry-After; the sync, not a sleeping client, waits them out.
      clientOptions: { slackApiUrl: o.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true },
    });
    this.listen();
  }

  /** Mounts POST /slack/events (events, interactivity and slash commands on one URL). */
  mount(server: Server): void {
    server.post('/slack/events', async (req: Request, res: Response) => {
      try {
        const raw = (await readBody(req, this.o.maxBodyBytes)).toString('utf8');
        const valid = isValidSlackRequest({
          signingSecret: this.o.signingSecret,
          body: raw,
          headers: { 'x-slack-signature': String(req.headers['x-slack-signature'] ?? ''), 'x-slack-request-timestamp': Number(req.headers['x-slack-request-timestamp']) },
        });
        if (!valid) throw new RedressError('UNAUTHORIZED', 'invalid Slack signature');
        const body = parseBody(raw, String(req.headers['content-type'] ?? ''));
        if (body.type === 'url_verification') {
          res.send(200, { challenge: body.challenge });
          return;
        }
        // Slack retries what it thinks was not acknowledged; each event or action is handled once.
        const key = dedupeKey(body);
        if (key && !(await this.o.store.firstTime(key))) {
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
        const event: ReceiverEvent = { body, ack, retryNum: Number(req.headers['x-slack-retry-num']) || undefined, retryReason: req.headers['x-slack-retry-reason'] as string | undefined };
        await this.receiver.app!.processEvent(event);
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

  /** Stops syncing. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.syncing;
  }

  private departments() {
    return this.o.routing.departments.map((d) => ({ id: d.id, name: d.name.en }));
  }

  private async syncOnce(): Promise<void> {
    const now = this.o.clock();
    const client = this.app.client;
    for (const t of await this.o.store.unposted(now)) {
      const dept = this.o.routing.departments.find((d) => d.id === t.department);
      if (!dept?.slack_channel) {
        await this.o.store.retryAt(t.id, new Date(now.getTime() + 3_600_000));
        continue;
      }
      try {
        const r = await client.chat.postMessage({ channel: dept.slack_channel, ...ticketMessage({ ...t, oncall: dept.oncall }, this.departments()), unfurl_links: false, unfurl_media: false } as never);
        if (!(await this.o.store.posted(t.id, String(r.channel), String(r.ts)))) await client.chat.delete({ channel: String(r.channel), ts: String(r.ts) });
      } catch (e) {
        this.o.log?.warn({ ticket: t.reference, err: (e as Error).message }, 'Slack post failed; will retry');
        await this.o.store.retryAt(t.id, new Date(now.getTime() + retryAfterSeconds(e) * 1000));
      }
    }
    for (const { card, events } of await this.o.store.withNewEvents(now)) {
      const dept = this.o.routing.departments.find((d) => d.id === card.department);
      try {
        for (const e of events) {
          const text = eventLine(e, { claimedBy: card.claimedBy, oncall: dept?.oncall });
          if (text) await client.chat.postMessage({ channel: card.slackChannel!, thread_ts: card.slackTs!, text, unfurl_links: false, unfurl_media: false });
          await this.o.store.advance(card.id, e.id);
        }
        await client.chat.update({ channel: card.slackChannel!, ts: card.slackTs!, ...ticketMessage({ ...card, oncall: dept?.oncall }, this.departments()) } as never);
      } catch (e) {
        this.o.log?.warn({ ticket: card.reference, err: (e as Error).message }, 'Slack thread sync failed; will retry');
        await this.o.store.retryAt(card.id, new Date(now.getTime() + retryAfterSeconds(e) * 1000));
      }
    }
  }

  private listen(): void {
    const app = this.app;
    const after = () => void this.sync().catch((err) => this.o.log?.warn({ err }, 'Slack sync failed'));
    const value = (action: unknown) => {
      const a = action as { value?: string; selected_option?: { value: string } };
      return a.value ?? a.selected_option?.value ?? '';
    };
    app.action('claim', async ({ ack, body, action }) => {
      await ack();
      await this.o.store.claim(value(action), body.user.id);
      after();
    });
    app.action('resolve', async ({ ack, body, action }) => {
      await ack();
      await this.o.store.resolve(value(action), body.user.id);
      after();
    });
    app.action('reassign', async ({ ack, body, action }) => {
      await ack();
      const [reference, department] = value(action).split('|');
      await this.o.store.reassign(reference, department, body.user.id);
      after();
    });
    app.action('severity', async ({ ack, body, action }) => {
      await ack();
      const [reference, severity] = value(action).split('|');
      if (severity === 'ordinary' || severity === 'serious' || severity === 'urgent') await this.o.store.severity(reference, severity, body.user.id);
      after();
    });
    app.command('/complaints', async ({ ack, command }) => {
      const department = this.o.routing.departments.find((d) => d.slack_channel === command.channel_id)?.id;
      await ack(await complaintsCommand(command.text ?? '', this.o.store, department));
    });
    // A person who writes to the bot directly, or mentions it, is a customer: the same dialog as web chat.
    const customer = async (m: { channel: string; user?: string; text?: string; ts?: string; thread_ts?: string }, threaded: boolean) => {
      if (!this.o.handle || !m.user || !m.ts) return;
      const thread = threaded ? (m.thread_ts ?? m.ts) : undefined;
      await this.o.handle({
        channel: SLACK_CHANNEL,
        conversationKey: `${m.channel}:${thread ?? ''}`,
        messageKey: `${m.channel}:${m.ts}`,
        text: unescapeSlack((m.text ?? '').replace(/<@U[A-Z0-9]+>/g, '')).trim(),
        sender: { id: m.user },
        address: { channel: m.channel, thread_ts: thread ?? null },
        payload: { slackUser: m.user },
      });
    };
    app.event('app_mention', async ({ event }) => {
      await customer(event as never, true);
    });
    // A staff member's reply in a ticket's thread goes to the customer.
    app.message(async ({ message }) => {
      const m = message as { subtype?: string; bot_id?: string; thread_ts?: string; ts?: string; channel: string; channel_type?: string; user?: string; text?: string };
      if (m.channel_type === 'im' && !m.subtype && !m.bot_id) return customer(m, false);
      if (m.subtype || m.bot_id || !m.thread_ts || m.thread_ts === m.ts || !m.user || !m.text?.trim()) return;
      if (await this.o.store.staffReply(m.channel, m.thread_ts, m.user, unescapeSlack(m.text))) after();
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
