/** The Slack receiver: Bolt fed either by POST /slack/events on the bot's own server or by a Socket Mode connection. */
import { App, LogLevel, SocketModeReceiver, type Receiver, type ReceiverEvent } from '@slack/bolt';
import type { Request, Response, Server } from 'restify';
import { RedressError } from '../../src/core/errors.ts';
import { readBody, sendError } from '../../src/http/http.ts';
import type { Logger } from '../../src/core/log.ts';
import type { SeenStore } from './port.ts';
import { wellFormedDeep } from '../../src/text/sanitize.ts';
import { validSlackRequest } from './signature.ts';

/** What the receiver needs to connect: the tokens, and the store only to tell a retried delivery from a new one. */
export interface ReceiverOptions {
  token: string;
  signingSecret: string;
  apiUrl?: string;
  /** An app-level token (xapp-…): Socket Mode, so Redress needs no public URL. */
  appToken?: string;
  store: SeenStore;
  maxBodyBytes: number;
  log?: Logger;
}

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
  const write =
    (at: 'debug' | 'info' | 'warn' | 'error') =>
    (...msg: unknown[]) =>
      log?.[at]({ component: 'slack-sdk' }, msg.map(String).join(' '));
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: (l: LogLevel) => void (level = l),
    getLevel: () => level,
    setName: () => undefined,
  };
}

/** The Bolt app of one workspace and the receiver that feeds it; the listeners are added by the other parts. */
export class SlackReceiver {
  /** The Bolt app: listeners register on it, and its Web API client posts to Slack. */
  readonly app: App;
  private readonly receiver: RouteReceiver | SocketModeReceiver;

  constructor(private readonly o: ReceiverOptions) {
    const clientOptions = { slackApiUrl: o.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true };
    this.receiver = o.appToken
      ? new SocketModeReceiver({
          appToken: o.appToken,
          logger: slackLogger(o.log),
          installerOptions: { clientOptions },
          // The delivery's key reaches the listeners, which mark it seen in the transaction of their effect.
          customPropertiesExtractor: (args) => ({
            slackKey: dedupeKey((args as { body: Record<string, any> }).body ?? {}),
          }),
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
  }

  /** In Socket Mode, opens the connection to Slack (in the background: Slack being down must not stop Redress). */
  start(): void {
    if (this.receiver instanceof SocketModeReceiver) {
      this.receiver
        .start()
        .catch((err: Error) => this.o.log?.error({ err: err.message }, 'Slack Socket Mode connection failed'));
    }
  }

  /** In Socket Mode, closes the connection to Slack; a failure to close is no reason to fail shutting down. */
  async stop(): Promise<void> {
    if (this.receiver instanceof SocketModeReceiver) await this.receiver.stop().catch(() => undefined);
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
        if (!valid)
          throw new RedressError('UNAUTHORIZED', 'invalid Slack signature or a timestamp more than five minutes off');
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
}

/** A Slack request body: JSON (events), or a form whose `payload` is JSON (interactivity) or is the body (commands). */
function parseBody(raw: string, type: string): Record<string, any> {
  try {
    if (/application\/json/i.test(type)) return JSON.parse(raw);
    const form = Object.fromEntries(new URLSearchParams(raw));
    return typeof form.payload === 'string' ? JSON.parse(form.payload) : form;
  } catch (e) {
    throw new RedressError('BAD_REQUEST', `malformed Slack request: ${(e as Error).message}`, { cause: e });
  }
}

/** What makes a delivery the same one when Slack sends it again (a slash command carries no id, so it has none). */
function dedupeKey(body: Record<string, any>): string | undefined {
  if (body.event_id) return `event:${body.event_id}`;
  if (body.type === 'block_actions' && body.actions?.[0])
    return `action:${body.actions[0].action_ts}:${body.user?.id}:${body.actions[0].action_id}`;
  if (body.type === 'view_submission' && body.view) return `view:${body.view.id}:${body.view.hash}`;
  return undefined;
}
