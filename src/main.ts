/** The composition root: builds the core, the enabled channels and the staff routes, and starts them in order. */
import { mountProbes, readinessChecks } from './http/probes.ts';
import type restify from 'restify';
import type { Server as NetServer } from 'node:net';
import { getHeapStatistics } from 'node:v8';
import type { RoutingConfig } from '../dialogs/routing-config.ts';
import type { Inbox } from '../channels/email/inbox.ts';
import type { SlackConsole } from '../channels/slack/console.ts';
import { emailSender } from '../channels/email/send.ts';
import type { Config } from './core/config.ts';
import { buildCore, type CoreOptions } from './core/build-core.ts';
import type { Engine } from './core/engine.ts';
import type { Logger } from './core/log.ts';
import { mountMetrics, type Metrics } from './core/metrics.ts';
import type { Deliver } from './core/ports.ts';
import { createServer } from './http/server.ts';
import { reservePort } from './http/port-reservation.ts';
import { HeavyReads } from './http/heavy-reads.ts';
import type { Outbox } from './jobs/outbox.ts';
import type { FollowupScheduler } from './jobs/scheduler.ts';
import { Digests, type DigestOutlets } from './staff/digests.ts';
import { MonthlyDigest } from './staff/digest-monthly.ts';
import type { Db } from './store/db.ts';
import { addBackground } from './compose/background.ts';
import type { WebhookDelivery } from './webhooks/delivery.ts';
import { enabledChannels } from './compose/channels.ts';
import { mountStaffRoutes } from './compose/staff-routes.ts';

/** A running Redress. */
export interface Redress {
  url: string;
  server: restify.Server;
  db: Db;
  engine: Engine;
  scheduler: FollowupScheduler;
  outbox: Outbox;
  digests: Digests;
  /** The monthly voice-of-customer digest (run with the others by the background work). */
  monthlyDigest: MonthlyDigest;
  /** Push channels by name (tests and embedders may register their own). */
  deliver: Deliver;
  inbox?: Inbox;
  slack?: SlackConsole;
  /** What /metrics reports. */
  metrics: Metrics;
  /** The webhook outbox's sender (WEBHOOKS); tests flush it. */
  webhooks: WebhookDelivery;
  routing: RoutingConfig;
  log: Logger;
  stop(): Promise<void>;
}

/** Options mostly for tests: a fixed clock, a schema of their own, an existing database, no background jobs. */
export type StartOptions = Omit<CoreOptions, 'firesFollowups'>;

/** Starts Redress with `config`: database, migrations, engine, scheduler, HTTP routes. */
export async function startRedress(config: Config, opts: StartOptions = {}): Promise<Redress> {
  // The port first: a start that cannot serve must not have opened (or locked) DATA_DIR.
  const reserved = await reservePort(config.PORT, config.HOST);
  try {
    return await start(config, opts, reserved);
  } catch (e) {
    reserved.close();
    throw e;
  }
}

async function start(config: Config, opts: StartOptions, reserved: NetServer): Promise<Redress> {
  // web: HTTP only; worker: the background work (mailbox, sweeps, Slack sync); all: both. Tests turn the background off.
  const web = config.ROLE !== 'worker';
  const worker = config.ROLE !== 'web';
  const background = worker && opts.jobs !== false;
  const core = await buildCore(config, { ...opts, firesFollowups: background });
  const { db, engine, deliver, metrics, routing, clock, log, parts } = core;
  try {
    engine.warmUp();
    // Each kind of heavy read has slots of its own, so a flood of chat backlogs cannot lock staff out of the summary.
    const heavy = (name: string) => new HeavyReads(name, config.HEAVY_READS_MAX);
    const channels = await enabledChannels(core, { worker, background, heavy });
    // Staff digests go by SMTP even where the mailbox is not read.
    const staffMail =
      config.SMTP_URL && config.MAIL_FROM
        ? emailSender({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM })
        : undefined;
    const slack = channels.slack;
    const outlets: DigestOutlets = {
      email: staffMail && ((to, subject, text) => staffMail.notify(to, subject, text)),
      slack:
        slack &&
        (async (channel, text) =>
          void (await slack.app.client.chat.postMessage({ channel, text, unfurl_links: false }))),
    };
    const digests = new Digests({
      db,
      routing,
      tz: config.DIGEST_TZ,
      dailyAt: config.DIGEST_DAILY_AT,
      weeklyAt: config.DIGEST_WEEKLY_AT,
      clock,
      log,
      outlets,
    });
    const monthlyDigest = new MonthlyDigest({ db, routing, tz: config.DIGEST_TZ, clock, log, outlets });
    // Closed after the outbox (added next) has drained through them.
    parts.add({
      name: 'push connections',
      stop: async () => {
        staffMail?.close();
        for (const c of channels.all) await c.close?.();
      },
    });
    addBackground(core, [digests, monthlyDigest], background);

    const server = createServer(db, {
      log,
      clock,
      inFlight: { max: config.MAX_REQUESTS_IN_FLIGHT, onShed: () => metrics.shed() },
      rateLimit: {
        trustProxy: config.TRUST_PROXY,
        budgets: rateBudgets(config),
        onLimited: (cls, reason) => metrics.rateLimited(cls, reason),
      },
    });
    mountMetrics(server, { metrics, token: config.METRICS_TOKEN ?? config.ADMIN_TOKEN, log });
    for (const c of channels.all) {
      if (c.push) deliver.register(c.name, c.push);
      if (web) c.mount?.(server);
      parts.add({ name: `channel ${c.name}`, start: worker ? () => c.start?.() : undefined, stop: () => c.stop?.() });
    }
    // A customer their own channel cannot reach (a web chat they left, a call) is written to at the email they gave.
    const email = channels.email && deliver.pushes(channels.email.name);
    if (email)
      deliver.useFallback({ channel: channels.email!.name, push: email, awaySeconds: config.WEB_CHAT_AWAY_SECONDS });
    const staffRoutes = web ? mountStaffRoutes(server, core, heavy('summaries and exports')) : undefined;
    if (web) mountProbes(server, { db, checks: readinessChecks(channels.all) });
    parts.add({ name: 'http server', start: () => listen(server, reserved), stop: () => closeServer(server) });
    await parts.startAll();

    const addr = server.address();
    const url = `http://${addr.address === '0.0.0.0' || addr.address === '::' ? '127.0.0.1' : addr.address}:${addr.port}`;
    // The heap limit is logged because it is set on node's command line (npm run serve), which a deployment may drop.
    const heapLimitMb = Math.round(getHeapStatistics().heap_size_limit / 2 ** 20);
    log.info({ url, database: db.kind, role: config.ROLE, heapLimitMb }, 'Redress is listening');
    // Neither OIDC nor ADMIN_TOKEN configured: a one-time dashboard sign-in link is printed (as Jupyter does).
    await staffRoutes?.announce(url);
    const { scheduler, outbox } = core;
    const inbox = channels.email?.inbox;
    const stop = () => parts.stopAll();
    const { webhooks } = core;
    const app = { url, server, db, engine, scheduler, outbox, digests, deliver, inbox, slack, metrics, routing, log };
    return { ...app, monthlyDigest, webhooks, stop };
  } catch (e) {
    // A half-started process holds pools, timers and DATA_DIR's lock: release them before saying why.
    await parts.stopAll();
    throw e;
  }
}

/** The request budgets per minute of each class of route (failed sign-ins are counted over 15 minutes). */
function rateBudgets(config: Config) {
  const perMinute = (points: number) => ({ points, seconds: 60 });
  const failedAuth = { points: config.AUTH_FAILURES_PER_15_MINUTES, seconds: 900 };
  return {
    public: perMinute(config.RATE_LIMIT_PUBLIC_PER_MINUTE),
    webhook: perMinute(config.RATE_LIMIT_WEBHOOK_PER_MINUTE),
    auth: { ...perMinute(config.RATE_LIMIT_STAFF_PER_MINUTE), failedAuth },
    upload: { ...perMinute(config.RATE_LIMIT_UPLOAD_PER_MINUTE), failedAuth },
  };
}

/** Listens on the socket bound at the start (restify passes it to http.Server.listen, which takes over its handle). */
function listen(server: restify.Server, reserved: NetServer): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(reserved, () => resolve());
  });
}

/** Stops taking connections and waits for the requests in flight to finish. */
async function closeServer(server: restify.Server): Promise<void> {
  const closed = new Promise<void>((r) => server.close(() => r()));
  // close() drops the connections idle now; those finishing a request go idle later and would be kept alive.
  const idle = setInterval(() => server.server.closeIdleConnections(), 100);
  await closed.finally(() => clearInterval(idle));
}
