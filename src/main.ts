/** The composition root: the only file in src that imports channels. Opens the database, migrates, wires and starts. */
import { randomBytes } from 'node:crypto';
import type restify from 'restify';
import type { RoutingConfig } from '../dialogs/routing-config.ts';
import { mountBotFramework } from '../channels/web-chat/bot-framework-lazy.ts';
import { BOT_FRAMEWORK_CHANNEL } from '../channels/web-chat/bot-framework-options.ts';
import { mountDirectLine, WEB_CHAT_CHANNEL } from '../channels/web-chat/direct-line.ts';
import { mountPage } from '../channels/web-chat/page.ts';
// Channels that pull in large libraries (Bolt, imapflow, mailparser, nodemailer) are imported only when configured.
import type { Inbox } from '../channels/email/inbox.ts';
import { emailThreads, mailboxLease, mailboxPosition } from './store/mail.ts';
import { mountTranscriptApi, PHONE_CHANNEL } from '../channels/phone/api.ts';
import type { SlackConsole } from '../channels/slack/console.ts';
import { slackStore } from './staff/slack.ts';
import { mountDashboard } from './staff/dashboard.ts';
import { Digests } from './staff/digests.ts';
import { ticketByReference } from './store/tickets.ts';
import { ticketView } from './staff/tickets.ts';
import { Outbox } from './jobs/outbox.ts';
import { finishMailboxErasures, pendingMailboxErasures } from './store/mailbox-erasures.ts';
import { RetentionSweeper } from './jobs/retention.ts';
import { isRedressError } from './core/errors.ts';
import { TokenSigner } from '../channels/web-chat/tokens.ts';
import type { Config } from './core/config.ts';
import { Engine } from './core/engine.ts';
import { startJobs, type Jobs } from './jobs/pg-boss.ts';
import { createLogger, type Logger } from './core/log.ts';
import { Metrics, MeteredDeliver, mountMetrics } from './core/metrics.ts';
import type { Deliver } from './core/ports.ts';
import { FollowupScheduler } from './jobs/scheduler.ts';
import { createServer } from './http/server.ts';
import { reservePort } from './http/port-reservation.ts';
import type { Server as NetServer } from 'node:net';
import { mountStaffApi } from './staff/staff-api.ts';
import { openDb, type Db } from './store/db.ts';
import { migrate } from './store/migrate.ts';
import { getHeapStatistics } from 'node:v8';
import { getOrCreateSetting } from './store/settings.ts';
import { routerFor } from './router/load.ts';
import { webChatBackend } from './core/web-chat-backend.ts';
import { HeavyReads } from './http/heavy-reads.ts';
import { createLlmUnderstander, llmCategories } from './llm/llm-understander.ts';

/** A running Redress. */
export interface Redress {
  url: string;
  server: restify.Server;
  db: Db;
  engine: Engine;
  scheduler: FollowupScheduler;
  outbox: Outbox;
  digests: Digests;
  /** Push channels by name (tests and embedders may register their own). */
  deliver: Deliver;
  inbox?: Inbox;
  slack?: SlackConsole;
  /** What /metrics reports. */
  metrics: Metrics;
  routing: RoutingConfig;
  log: Logger;
  stop(): Promise<void>;
}

/** Options mostly for tests: a fixed clock, a schema of their own, an existing database, no background jobs. */
export interface StartOptions {
  clock?: () => Date;
  schema?: string;
  db?: Db;
  jobs?: boolean;
  log?: Logger;
}

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
  const log = opts.log ?? createLogger(config.LOG_LEVEL);
  const router = routerFor(config);
  const routing = router.config;
  if (router.unmappedLabels.length)
    log.warn(
      { labels: router.unmappedLabels },
      'router model labels without a category go to triage; map them under model.labels',
    );
  const db =
    opts.db ??
    (await openDb({
      databaseUrl: config.DATABASE_URL,
      dataDir: config.DATA_DIR,
      schema: opts.schema,
      poolSize: config.DATABASE_POOL_SIZE,
    }));
  const applied = await migrate(db);
  if (applied.length) log.info({ applied }, 'migrations applied');
  const clock = opts.clock ?? (() => new Date());
  // web: HTTP only; worker: the background work (mailbox, sweeps, Slack sync); all: both. Tests turn the background off.
  const web = config.ROLE !== 'worker';
  const worker = config.ROLE !== 'web';
  const background = worker && opts.jobs !== false;
  const metrics = new Metrics({ db, clock, departments: routing.departments.map((d) => d.id) });
  const deliver = new MeteredDeliver(metrics);
  const outbox = new Outbox({ db, deliver, clock, log, leaseSeconds: config.OUTBOX_LEASE_SECONDS });
  const scheduler = new FollowupScheduler({
    db,
    deliver,
    onOutbound: () => outbox.kick(),
    routing,
    defaultLanguage: config.DEFAULT_LANGUAGE,
    clock,
    log,
  });
  let jobs: Jobs | undefined;
  // Every role schedules follow-ups (a web turn opens tickets); only a worker is woken to fire them.
  if (opts.jobs !== false)
    jobs = await startJobs(db, config.DATABASE_URL, background ? (id) => scheduler.fire(id) : undefined, log);
  // The optional LLM understanding: undefined (off) unless LLM_URL is set.
  const llm = createLlmUnderstander({ config, metrics, categories: llmCategories(routing), clock, log });
  if (llm)
    log.info(
      { model: config.LLM_MODEL, timeoutMs: config.LLM_TIMEOUT_MS },
      'LLM understanding on (LLM_URL): only masked text is sent',
    );
  const engine = new Engine({
    db,
    router,
    config,
    clock,
    queue: jobs,
    deliver,
    onOutbound: () => outbox.kick(),
    metrics,
    llm,
  });
  engine.warmUp();
  const email =
    config.IMAP_URL && config.SMTP_URL && config.MAIL_FROM
      ? await startEmail(config as EmailConfig, db, engine, deliver, clock, log, worker)
      : undefined;

  const perMinute = (points: number) => ({ points, seconds: 60 });
  const failedAuth = { points: config.AUTH_FAILURES_PER_15_MINUTES, seconds: 900 };
  const server = createServer(db, {
    log,
    clock,
    inFlight: { max: config.MAX_REQUESTS_IN_FLIGHT, onShed: () => metrics.shed() },
    rateLimit: {
      trustProxy: config.TRUST_PROXY,
      budgets: {
        public: perMinute(config.RATE_LIMIT_PUBLIC_PER_MINUTE),
        webhook: perMinute(config.RATE_LIMIT_WEBHOOK_PER_MINUTE),
        auth: { ...perMinute(config.RATE_LIMIT_STAFF_PER_MINUTE), failedAuth },
        upload: { ...perMinute(config.RATE_LIMIT_UPLOAD_PER_MINUTE), failedAuth },
      },
      onLimited: (cls, reason) => metrics.rateLimited(cls, reason),
    },
  });
  mountMetrics(server, { metrics, token: config.METRICS_TOKEN ?? config.ADMIN_TOKEN, log });
  const maxBodyBytes = config.MAX_BODY_BYTES;
  deliver.register(
    BOT_FRAMEWORK_CHANNEL,
    mountBotFramework(web ? server : undefined, {
      settings: config,
      handle: (m) => engine.handle(m),
      maxBodyBytes,
      log,
    }),
  );
  if (web) await mountWebRoutes(server, { config, db, engine, routing, jobs, clock, log });
  const slackChannel =
    config.SLACK_BOT_TOKEN && (config.SLACK_SIGNING_SECRET || config.SLACK_APP_TOKEN)
      ? await import('../channels/slack/console.ts')
      : undefined;
  const slack =
    config.SLACK_BOT_TOKEN && slackChannel
      ? new slackChannel.SlackConsole({
          token: config.SLACK_BOT_TOKEN,
          signingSecret: config.SLACK_SIGNING_SECRET ?? '',
          appToken: config.SLACK_APP_TOKEN,
          apiUrl: config.SLACK_API_URL,
          store: slackStore(db, {
            routing,
            deliver,
            onOutbound: () => outbox.kick(),
            satisfactionDays: config.SATISFACTION_CHECK_DAYS,
            clock,
          }),
          routing,
          maxBodyBytes,
          log,
          clock,
          handle: (m) => engine.handle(m),
        })
      : undefined;
  if (web) slack?.mount(server);
  if (worker) slack?.start();
  const staffMail =
    config.SMTP_URL && config.MAIL_FROM
      ? (await import('../channels/email/send.ts')).emailSender({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM })
      : undefined;
  const digests = new Digests({
    db,
    routing,
    tz: config.DIGEST_TZ,
    dailyAt: config.DIGEST_DAILY_AT,
    weeklyAt: config.DIGEST_WEEKLY_AT,
    clock,
    log,
    outlets: {
      email: staffMail && ((to, subject, text) => staffMail.notify(to, subject, text)),
      slack:
        slack &&
        (async (channel, text) =>
          void (await slack.app.client.chat.postMessage({ channel, text, unfurl_links: false }))),
    },
  });
  if (slack && slackChannel) deliver.register(slackChannel.SLACK_CHANNEL, slackChannel.slackCustomerSender(slack.app));
  const retention = new RetentionSweeper({ db, days: config.RETENTION_DAYS, clock, log });
  if (background) {
    digests.start();
    slack?.startSync(config.SLACK_SYNC_SECONDS);
    scheduler.startSweep(config.FOLLOWUP_SWEEP_SECONDS);
    outbox.startSweep(config.OUTBOX_SWEEP_SECONDS);
    retention.start(3600); // hourly, in batches
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // The socket bound at the start (restify passes it to http.Server.listen, which takes over its handle).
    server.listen(reserved, () => resolve());
  });
  const addr = server.address();
  const url = `http://${addr.address === '0.0.0.0' || addr.address === '::' ? '127.0.0.1' : addr.address}:${addr.port}`;
  // The heap limit is logged because it is set on node's command line (npm run serve), which a deployment may drop.
  log.info(
    {
      url,
      database: db.kind,
      role: config.ROLE,
      heapLimitMb: Math.round(getHeapStatistics().heap_size_limit / 2 ** 20),
    },
    'Redress is listening',
  );
  return {
    url,
    server,
    db,
    engine,
    scheduler,
    outbox,
    digests,
    deliver,
    inbox: email?.inbox,
    slack,
    metrics,
    routing,
    log,
    async stop() {
      // Stop taking work first (new connections, timers), then let what is in flight finish, then release leases.
      const closed = new Promise<void>((r) => server.close(() => r()));
      // close() drops the connections idle now; those finishing a request go idle later and would be kept alive.
      const idle = setInterval(() => server.server.closeIdleConnections(), 100);
      void closed.then(() => clearInterval(idle));
      const schedulerStopped = scheduler.stop();
      outbox.stop();
      digests.stop();
      await retention.stop();
      await email?.inbox?.stop();
      await slack?.stop();
      await closed;
      await schedulerStopped;
      await outbox.idle();
      staffMail?.close();
      email?.sender.close();
      await jobs?.stop();
      if (!opts.db) await db.close();
    },
  };
}

/** The routes of a web process: Direct Line and the chat page, the dashboard, the transcript and staff APIs. */
async function mountWebRoutes(
  server: restify.Server,
  d: { config: Config; db: Db; engine: Engine; routing: RoutingConfig; jobs?: Jobs; clock: () => Date; log: Logger },
) {
  const { config, db, engine, routing, jobs, clock, log } = d;
  const maxBodyBytes = config.MAX_BODY_BYTES;
  const secret =
    config.DIRECT_LINE_SECRET ??
    (await getOrCreateSetting(db, 'direct_line_secret', () => randomBytes(32).toString('base64url')));
  // Each kind of heavy read has slots of its own, so a flood of chat backlogs cannot lock staff out of the summary.
  const heavy = (name: string) => new HeavyReads(name, config.HEAVY_READS_MAX);
  mountDirectLine(server, {
    backend: webChatBackend(db, WEB_CHAT_CHANNEL, (m) => engine.handle(m)),
    signer: new TokenSigner(secret),
    secret,
    maxBodyBytes,
    pageMaxBytes: config.DIRECT_LINE_PAGE_MAX_BYTES,
    heavyReads: heavy('full activity pages'),
    log,
  });
  const summaries = heavy('summaries and exports');
  mountPage(server);
  mountDashboard(server, {
    db,
    adminToken: config.ADMIN_TOKEN,
    clock,
    maxPeriodDays: config.SUMMARY_MAX_DAYS,
    heavyReads: summaries,
    log,
    trustProxy: config.TRUST_PROXY,
  });
  mountTranscriptApi(server, {
    apiToken: config.API_TOKEN,
    maxBytes: config.TRANSCRIPT_MAX_BYTES,
    maxLines: config.TRANSCRIPT_MAX_LINES,
    heavyReads: heavy('transcript uploads'),
    clock,
    log,
    backend: {
      handle: (m) => engine.handle(m),
      ticket: async (ref) => ticketView(db, (await ticketByReference(db, ref))!),
    },
  });
  mountStaffApi(server, {
    db,
    routing,
    adminToken: config.ADMIN_TOKEN,
    clock,
    satisfactionDays: config.SATISFACTION_CHECK_DAYS,
    queue: jobs,
    maxBodyBytes,
    maxPeriodDays: config.SUMMARY_MAX_DAYS,
    heavyReads: summaries,
    log,
  });
}

type EmailConfig = Config & { IMAP_URL: string; SMTP_URL: string; MAIL_FROM: string };

/** Wires the email channel: SMTP out through the outbox on every process; IMAP in, to the engine, on a worker. */
async function startEmail(
  config: EmailConfig,
  db: Db,
  engine: Engine,
  deliver: Deliver,
  clock: () => Date,
  log: Logger,
  read: boolean,
) {
  const [{ Inbox }, { EMAIL_CHANNEL, receive }, { emailSender }] = await Promise.all([
    import('../channels/email/inbox.ts'),
    import('../channels/email/receive.ts'),
    import('../channels/email/send.ts'),
  ]);
  const sender = emailSender({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM });
  deliver.register(EMAIL_CHANNEL, sender);
  // A phone customer with an email address found in the call hears back by email (a new thread).
  deliver.register(PHONE_CHANNEL, { newExternalId: sender.newExternalId, send: (group) => sender.send(group) });
  if (!read) return { sender, inbox: undefined };
  const threads = emailThreads(db, EMAIL_CHANNEL);
  const ownAddress = /<([^<>]+)>/.exec(config.MAIL_FROM)?.[1] ?? config.MAIL_FROM;
  const inbox = new Inbox({
    url: config.IMAP_URL,
    pollSeconds: config.MAIL_POLL_SECONDS,
    log,
    port: {
      position: (stream) => mailboxPosition(db, stream),
      async handle(mail, raw, checkpoint) {
        const r = await receive(mail, {
          threads,
          ownAddress,
          maxAttachmentBytes: config.MAIL_MAX_ATTACHMENT_BYTES,
          rateLimitPerHour: config.MAIL_RATE_LIMIT_PER_HOUR,
          checkpoint,
          now: clock(),
          raw,
        });
        if ('ignore' in r) {
          log.info({ messageId: mail.messageId, reason: r.ignore }, 'mail not answered');
          if (checkpoint) await engine.skip(checkpoint);
          return;
        }
        try {
          await engine.handle(r.inbound);
        } catch (e) {
          // A message the engine refuses would block the mailbox forever: log it and move on. Anything else
          // (the database is down) is thrown, so the message is read again on the next check.
          if (!isRedressError(e, 'BAD_REQUEST')) throw e;
          log.error({ messageId: mail.messageId, err: e.message }, 'mail refused');
          if (checkpoint) await engine.skip(checkpoint);
        }
      },
      skip: (checkpoint) => engine.skip(checkpoint),
      lease: mailboxLease(db),
      erasures: {
        pending: (limit) => pendingMailboxErasures(db, limit),
        done: (ids) => finishMailboxErasures(db, ids),
      },
    },
    leaseSeconds: config.MAIL_LEASE_SECONDS,
  });
  inbox.start();
  return { inbox, sender };
}
