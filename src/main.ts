/** The composition root: the only file in src that imports channels. Opens the database, migrates, wires and starts. */
import { randomBytes } from 'node:crypto';
import type restify from 'restify';
import type { RoutingConfig } from '../dialogs/routing-config.ts';
import { mountBotFramework, BOT_FRAMEWORK_CHANNEL } from '../channels/web-chat/bot-framework.ts';
import { mountDirectLine, WEB_CHAT_CHANNEL } from '../channels/web-chat/direct-line.ts';
import { mountPage } from '../channels/web-chat/page.ts';
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
  const scheduler = new FollowupScheduler({ db, deliver, routing, defaultLanguage: config.DEFAULT_LANGUAGE, clock, log });
  let jobs: Jobs | undefined;
  if (opts.jobs !== false) jobs = await startJobs(db, config.DATABASE_URL, (id) => scheduler.fire(id), log);
  const engine = new Engine({ db, router, config, clock, queue: jobs });

  const server = createServer(db);
  const maxBodyBytes = config.MAX_BODY_BYTES;
  const secret = config.DIRECT_LINE_SECRET ?? (await getOrCreateSetting(db, 'direct_line_secret', () => randomBytes(32).toString('base64url')));
  mountDirectLine(server, { backend: webChatBackend(db, WEB_CHAT_CHANNEL, (m) => engine.handle(m)), signer: new TokenSigner(secret), secret, maxBodyBytes, log });
  mountPage(server);
  deliver.register(BOT_FRAMEWORK_CHANNEL, mountBotFramework(server, { settings: config, handle: (m) => engine.handle(m), maxBodyBytes, log }));
  mountStaffApi(server, { db, routing, adminToken: config.ADMIN_TOKEN, clock, satisfactionDays: config.SATISFACTION_CHECK_DAYS, queue: jobs, maxBodyBytes, log });
  if (opts.jobs !== false) scheduler.startSweep(config.FOLLOWUP_SWEEP_SECONDS);

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
    routing,
    log,
    async stop() {
      scheduler.stop();
      await new Promise<void>((r) => server.close(() => r()));
      await jobs?.stop();
      if (!opts.db) await db.close();
    },
  };
}
