/**
 * Prometheus metrics (prom-client): turns and channel errors counted in this process; tickets, the outbox and
 * follow-ups read from SQL at scrape time, so every process reports the same, correct figures (aggregate those with
 * max, not sum). GET /metrics needs a bearer token and is not mounted without one.
 */
import type { Server } from 'restify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { RedressError } from './errors.ts';
import { bearer, sameSecret, sendError } from '../http/http.ts';
import type { Logger } from './log.ts';
import { Deliver, type PushChannel } from './ports.ts';
import type { Db } from '../store/db.ts';
import {
  dueFollowupCounts,
  failedOutboundCounts,
  followupLagSeconds,
  openTicketCounts,
  pendingOutboundCounts,
  retryingOutboundCounts,
} from '../store/metrics.ts';
import { webhookEventCounts } from '../store/webhook-events.ts';
import { followupKindSchema } from '../domain/followups.ts';
import { severitySchema } from '../domain/severity.ts';
import { waitingStatusSchema } from '../domain/ticket-status.ts';

type Labels = Record<string, string>;

/** What the metrics read and how: the database, the clock that says which follow-ups are overdue, known departments. */
export interface MetricsOptions {
  db: Db;
  clock?: () => Date;
  /** Department ids (routing.yaml): reported as 0 open tickets rather than missing. */
  departments?: string[];
  /** Process metrics (memory, CPU, event loop); on unless false. */
  defaultMetrics?: boolean;
}

/** One registry of Redress's metrics; several may live in one process (tests), none uses prom-client's global one. */
export class Metrics {
  readonly registry = new Registry();
  private readonly turns = new Counter({
    name: 'redress_turns_total',
    help: 'Customer turns handled, by channel.',
    labelNames: ['channel'],
    registers: [this.registry],
  });
  private readonly turnSeconds = new Histogram({
    name: 'redress_turn_seconds',
    help: 'Time to handle one customer turn (one transaction), by channel.',
    labelNames: ['channel'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly errors = new Counter({
    name: 'redress_channel_errors_total',
    help: 'Failed sends on a channel, by channel and error code.',
    labelNames: ['channel', 'code'],
    registers: [this.registry],
  });
  private readonly shedCount = new Counter({
    name: 'redress_requests_shed_total',
    help: 'Requests refused with 503 SERVER_BUSY because the process had MAX_REQUESTS_IN_FLIGHT already.',
    registers: [this.registry],
  });
  private readonly limited = new Counter({
    name: 'redress_rate_limited_total',
    help: 'Requests refused with 429, by route class and reason.',
    labelNames: ['route_class', 'reason'],
    registers: [this.registry],
  });
  private readonly llmFallbacks = new Counter({
    name: 'redress_llm_fallbacks_total',
    help: 'Messages the LLM (LLM_URL) did not understand, so the built-in understanding did, by reason: timeout, http_429, http_5xx, http_other, network, invalid, circuit_open.',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  private readonly webhookFailures = new Counter({
    name: 'redress_webhook_failures_total',
    help: 'Failed webhook tries, by destination and error code (http_500, ECONNREFUSED, WEBHOOK_REFUSED …).',
    labelNames: ['destination', 'code'],
    registers: [this.registry],
  });
  private readonly llmAnswers = new Counter({
    name: 'redress_llm_answers_total',
    help: 'Messages the LLM (LLM_URL) understood with a valid answer.',
    registers: [this.registry],
  });

  constructor(o: MetricsOptions) {
    if (o.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
    const now = () => (o.clock ?? (() => new Date()))();
    const zeros = (o.departments ?? []).flatMap((department) =>
      severitySchema.options.map((severity) => ({ department, severity })),
    );
    this.sqlGauge(
      'redress_open_tickets',
      'Tickets waiting for staff (open, in progress, reopened), by department and severity.',
      ['department', 'severity'],
      zeros,
      async () =>
        (await openTicketCounts(o.db, waitingStatusSchema.options)).map((r) => [
          { department: r.department, severity: r.severity },
          r.n,
        ]),
    );
    this.sqlGauge(
      'redress_outbox_pending_messages',
      'Outbound messages waiting in the outbox (including retries), by channel.',
      ['channel'],
      [],
      async () => (await pendingOutboundCounts(o.db)).map((r) => [{ channel: r.channel }, r.n]),
    );
    this.sqlGauge(
      'redress_outbox_retrying_messages',
      'Pending outbound messages whose last send failed, by channel.',
      ['channel'],
      [],
      async () => (await retryingOutboundCounts(o.db)).map((r) => [{ channel: r.channel }, r.n]),
    );
    this.sqlGauge(
      'redress_outbox_failed_messages',
      'Outbound messages given up on after the last retry, by channel.',
      ['channel'],
      [],
      async () => (await failedOutboundCounts(o.db)).map((r) => [{ channel: r.channel }, r.n]),
    );
    this.sqlGauge(
      'redress_webhook_events',
      'Webhook events queued, by destination and state: pending, retrying (the last try failed), failed (given up).',
      ['destination', 'state'],
      [],
      async () => (await webhookEventCounts(o.db)).map((r) => [{ destination: r.destination, state: r.state }, r.n]),
    );
    this.sqlGauge(
      'redress_followups_due',
      'Follow-ups due and not yet sent, by kind.',
      ['kind'],
      followupKindSchema.options.map((kind) => ({ kind })),
      async () => (await dueFollowupCounts(o.db, now())).map((r) => [{ kind: r.kind }, r.n]),
    );
    this.sqlGauge(
      'redress_followup_lag_seconds',
      'How long the oldest due, unsent follow-up has been overdue (0 when none).',
      [],
      [{}],
      async () => [[{}, Math.max(0, (await followupLagSeconds(o.db, now())) ?? 0)]],
    );
  }

  /** Counts one handled turn on `channel` and how long it took. */
  observeTurn(channel: string, seconds: number): void {
    this.turns.inc({ channel });
    this.turnSeconds.observe({ channel }, seconds);
  }

  /** Counts one failed send on `channel`; `code` is kept short and tame because it becomes a label. */
  channelError(channel: string, code: string): void {
    this.errors.inc({ channel, code: /^[A-Za-z0-9_.-]{1,40}$/.test(code) ? code : 'error' });
  }

  /** Counts one request refused by the rate limiter (wire to RateLimitOptions.onLimited). */
  rateLimited(routeClass: string, reason: string): void {
    this.limited.inc({ route_class: routeClass, reason });
  }

  /** Counts one message understood without the LLM because of `reason` (a time-out, an HTTP status class, invalid output …). */
  llmFallback(reason: string): void {
    this.llmFallbacks.inc({ reason: /^[a-z0-9_]{1,40}$/.test(reason) ? reason : 'other' });
  }

  /** Counts one failed webhook try to `destination` (a configured id); `code` tamed as in channelError. */
  webhookFailed(destination: string, code: string): void {
    this.webhookFailures.inc({ destination, code: /^[A-Za-z0-9_.-]{1,40}$/.test(code) ? code : 'error' });
  }

  /** Counts one valid answer from the LLM. */
  llmAnswer(): void {
    this.llmAnswers.inc();
  }

  /** Counts one request refused for load (wire to InFlightOptions.onShed). */
  shed(): void {
    this.shedCount.inc();
  }

  /** `push` with its failures counted in redress_channel_errors_total (the error is still thrown to the outbox). */
  metered(channel: string, push: PushChannel): PushChannel {
    return {
      newExternalId: push.newExternalId?.bind(push),
      reaches: push.reaches?.bind(push),
      send: async (group) => {
        try {
          await push.send(group);
        } catch (e) {
          this.channelError(channel, errorCode(e));
          throw e;
        }
      },
    };
  }

  // A gauge read from SQL on each scrape. Label sets seen once stay, at 0, so a series that empties reads 0, not gone.
  private sqlGauge(
    name: string,
    help: string,
    labelNames: string[],
    fixed: Labels[],
    load: () => Promise<Array<[Labels, number]>>,
  ): void {
    const seen = new Map(fixed.map((l) => [JSON.stringify(l), l]));
    new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        const rows = await load();
        this.reset();
        for (const [l] of rows) seen.set(JSON.stringify(l), l);
        for (const l of seen.values()) this.set(l, 0);
        for (const [l, v] of rows) this.set(l, v);
      },
    });
  }
}

/** A label for an error: its `code` (ECONNECTION, slack_webapi_platform_error), else its HTTP status, else 'error'. */
export function errorCode(e: unknown): string {
  const x = e as { code?: unknown; statusCode?: unknown; status?: unknown } | undefined;
  if (typeof x?.code === 'string' && x.code) return x.code;
  const status = typeof x?.statusCode === 'number' ? x.statusCode : x?.status;
  return typeof status === 'number' ? `http_${status}` : 'error';
}

/** A Deliver whose push channels count their failures in `metrics`. */
export class MeteredDeliver extends Deliver {
  constructor(private readonly metrics: Metrics) {
    super();
  }
  /** Registers `push` for `channel`, metered. */
  override register(channel: string, push: PushChannel): void {
    super.register(channel, this.metrics.metered(channel, push));
  }
}

/** Mounts GET /metrics behind `Authorization: Bearer <token>`; without a token nothing is mounted (404). */
export function mountMetrics(server: Server, o: { metrics: Metrics; token?: string; log?: Logger }): boolean {
  // Ticket volumes per department are business data: never served to anyone without a configured token.
  if (!o.token) return false;
  const token = o.token;
  server.get('/metrics', async (req, res) => {
    try {
      if (!sameSecret(bearer(req), token)) {
        res.setHeader('WWW-Authenticate', 'Bearer');
        throw new RedressError('UNAUTHORIZED', 'metrics need Authorization: Bearer <METRICS_TOKEN>');
      }
      const text = await o.metrics.registry.metrics();
      res.setHeader('Content-Type', o.metrics.registry.contentType);
      res.setHeader('Cache-Control', 'no-store');
      res.sendRaw(200, text);
    } catch (e) {
      // A failed SQL gauge becomes a logged, generic 500: the scrape fails visibly and nothing of the SQL leaks.
      sendError(res, e, o.log);
    }
  });
  return true;
}
