/** The composition root: the only file in src that imports channels. Opens the database, migrates, wires and starts. */
import { randomBytes } from 'node:crypto';
import type restify from 'restify';
import type { RoutingConfig } from '../dialogs/routing-config.ts';
import { mountBotFramework, BOT_FRAMEWORK_CHANNEL } from '../channels/web-chat/bot-framework.ts';
import { mountDirectLine, WEB_CHAT_CHANNEL } from '../channels/web-chat/direct-line.ts';
import { mountPage } from '../channels/web-chat/page.ts';
import { Inbox } from '../channels/email/inbox.ts';
import { EMAIL_CHANNEL, receive } from '../channels/email/receive.ts';
import { emailSender } from '../channels/email/send.ts';
import { emailThreads } from './email-threads.ts';
import { mountTranscriptApi, PHONE_CHANNEL } from '../channels/phone/api.ts';
import { SLACK_CHANNEL, SlackConsole, slackCustomerSender } from '../channels/slack/console.ts';
import { slackStore } from './slack-store.ts';
import { mountDashboard } from './dashboard.ts';
import { Digests } from './digests.ts';
import { ticketByReference } from './store/tickets.ts';
import { ticketView } from './tickets.ts';
import { Outbox } from './outbox.ts';
import { getCheckpoint } from './store/checkpoints.ts';
import { isRedressError } from './errors.ts';
import { TokenSigner } from '../channels/web-chat/tokens.ts';
import type { Config } from './config.ts';
import { Engine } from './engine.ts';
import { startJobs, type Jobs } from './jobs.ts';
import { createLogger, type Logger } from './log.ts';
import { Deliver } from './ports.ts';
import { FollowupScheduler } from './scheduler.ts';
import { createServer } from './server.ts';
import { mountStaffApi } from './staff-api.ts';
import { openDb, type Db } from './store/db.ts';
import { migrate } from './store/migrate.ts';
import { getOrCreateSetting } from './store/settings.ts';
import { routerFor } from './router/load.ts';
import { webChatBackend } from './web-chat-backend.ts';

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
  const log = opts.log ?? createLogger(config.LOG_LEVEL);
  const router = routerFor(config);
  const routing = router.config;
  if (router.unmappedLabels.length) log.warn({ labels: router.unmappedLabels }, 'router model labels without a category go to triage; map them under model.labels');
  const db = opts.db ?? (await openDb({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, schema: opts.schema, poolSize: config.DATABASE_POOL_SIZE }));
  const applied = await migrate(db);
  if (applied.length) log.info({ applied }, 'migrations applied');
  const clock = opts.clock ?? (() => new Date());
  const deliver = new Deliver();
  const outbox = new Outbox({ db, deliver, clock, log });
  const scheduler = new FollowupScheduler({ db, deliver, onOutbound: () => outbox.kick(), routing, defaultLanguage: config.DEFAULT_LANGUAGE, clock, log });
  let jobs: Jobs | undefined;
  if (opts.jobs !== false) jobs = await startJobs(db, config.DATABASE_URL, (id) => scheduler.fire(id), log);
  const engine = new Engine({ db, router, config, clock, queue: jobs, deliver, onOutbound: () => outbox.kick() });
  const email = config.IMAP_URL && config.SMTP_URL && config.MAIL_FROM ? startEmail(config as EmailConfig, db, engine, deliver, clock, log) : undefined;

  const server = createServer(db);
  const maxBodyBytes = config.MAX_BODY_BYTES;
  const secret = config.DIRECT_LINE_SECRET ?? (await getOrCreateSetting(db, 'direct_line_secret', () => randomBytes(32).toString('base64url')));
  mountDirectLine(server, { backend: webChatBackend(db, WEB_CHAT_CHANNEL, (m) => engine.handle(m)), signer: new TokenSigner(secret), secret, maxBodyBytes, log });
  mountPage(server);
  deliver.register(BOT_FRAMEWORK_CHANNEL, mountBotFramework(server, { settings: config, handle: (m) => engine.handle(m), maxBodyBytes, log }));
  mountDashboard(server, { db, adminToken: config.ADMIN_TOKEN, clock, log });
  mountTranscriptApi(server, {
    apiToken: config.API_TOKEN,
    maxBytes: config.TRANSCRIPT_MAX_BYTES,
    clock,
    log,
    backend: { handle: (m) => engine.handle(m), ticket: async (ref) => ticketView(db, (await ticketByReference(db, ref))!) },
  });
  mountStaffApi(server, { db, routing, adminToken: config.ADMIN_TOKEN, clock, satisfactionDays: config.SATISFACTION_CHECK_DAYS, queue: jobs, maxBodyBytes, log });
  const slack =
    config.SLACK_BOT_TOKEN && (config.SLACK_SIGNING_SECRET || config.SLACK_APP_TOKEN)
      ? new SlackConsole({
          token: config.SLACK_BOT_TOKEN,
          signingSecret: config.SLACK_SIGNING_SECRET ?? '',
          appToken: config.SLACK_APP_TOKEN,
          apiUrl: config.SLACK_API_URL,
          store: slackStore(db, { routing, deliver, onOutbound: () => outbox.kick(), satisfactionDays: config.SATISFACTION_CHECK_DAYS, clock }),
          routing,
          maxBodyBytes,
          log,
          clock,
          handle: (m) => engine.handle(m),
        })
      : undefined;
  slack?.mount(server);
  slack?.start();
  const staffMail = config.SMTP_URL && config.MAIL_FROM ? emailSender({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM }) : undefined;
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
      slack: slack && (async (channel, text) => void (await slack.app.client.chat.postMessage({ channel, text, unfurl_links: false }))),
    },
  });
  if (slack) deliver.register(SLACK_CHANNEL, slackCustomerSender(slack.app));
  if (opts.jobs !== false) {
    digests.start();
    slack?.startSync(config.SLACK_SYNC_SECONDS);
    scheduler.startSweep(config.FOLLOWUP_SWEEP_SECONDS);
    outbox.startSweep(config.OUTBOX_SWEEP_SECONDS);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, () => resolve());
  });
  const addr = server.address();
  const url = `http://${addr.address === '0.0.0.0' || addr.address === '::' ? '127.0.0.1' : addr.address}:${addr.port}`;
  log.info({ url, database: db.kind }, 'Redress is listening');
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
    routing,
    log,
    async stop() {
      scheduler.stop();
      outbox.stop();
      digests.stop();
      staffMail?.close();
      await email?.inbox.stop();
      await slack?.stop();
      await outbox.idle();
      email?.sender.close();
      await new Promise<void>((r) => server.close(() => r()));
      await jobs?.stop();
      if (!opts.db) await db.close();
    },
  };
}

type EmailConfig = Config & { IMAP_URL: string; SMTP_URL: string; MAIL_FROM: string };

/** Wires the email channel: IMAP in, the engine, SMTP out through the outbox. */
function startEmail(config: EmailConfig, db: Db, engine: Engine, deliver: Deliver, clock: () => Date, log: Logger) {
  const sender = emailSender({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM });
  deliver.register(EMAIL_CHANNEL, sender);
  // A phone customer with an email address found in the call hears back by email (a new thread).
  deliver.register(PHONE_CHANNEL, { newExternalId: sender.newExternalId, send: (group) => sender.send(group) });
  const threads = emailThreads(db, EMAIL_CHANNEL);
  const ownAddress = /<([^>]+)>/.exec(config.MAIL_FROM)?.[1] ?? config.MAIL_FROM;
  const inbox = new Inbox({
    url: config.IMAP_URL,
    pollSeconds: config.MAIL_POLL_SECONDS,
    log,
    port: {
      async position(stream) {
        const p = await getCheckpoint(db, stream);
        if (!p) return undefined;
        const [uidValidity, uid] = p.split(':');
        return { uidValidity, uid: Number(uid) };
      },
      async handle(mail, raw, checkpoint) {
        const r = await receive(mail, { threads, ownAddress, maxAttachmentBytes: config.MAIL_MAX_ATTACHMENT_BYTES, rateLimitPerHour: config.MAIL_RATE_LIMIT_PER_HOUR, checkpoint, now: clock(), raw });
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
    },
  });
  inbox.start();
  return { inbox, sender };
}
