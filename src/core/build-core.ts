/** The core every entry point runs on (the server and each command line job): database, engine, outbox, follow-ups. */
import type { RoutingConfig } from '../../dialogs/routing-config.ts';
import type { Config } from './config.ts';
import { Engine } from './engine.ts';
import { Lifecycle } from './lifecycle.ts';
import { createLogger, type Logger } from './log.ts';
import { Metrics, MeteredDeliver } from './metrics.ts';
import { Outbox } from '../jobs/outbox.ts';
import { startJobs, type Jobs } from '../jobs/pg-boss.ts';
import { FollowupScheduler } from '../jobs/scheduler.ts';
import { createLlmUnderstander, llmCategories } from '../llm/llm-understander.ts';
import { routerFor } from '../router/load.ts';
import { openDb, type Db } from '../store/db.ts';
import { migrate } from '../store/migrate.ts';
import { prepareWebhooks } from '../webhooks/start.ts';
import type { WebhookDelivery } from '../webhooks/delivery.ts';

/** What {@link buildCore} builds. `parts` stops it all, in order (a caller adds its own parts after). */
export interface Core {
  config: Config;
  db: Db;
  engine: Engine;
  outbox: Outbox;
  scheduler: FollowupScheduler;
  /** Push channels by name: the outbox and the scheduler send through what is registered here. */
  deliver: MeteredDeliver;
  jobs?: Jobs;
  metrics: Metrics;
  /** The webhook outbox's sender (WEBHOOKS); a worker runs it. */
  webhooks: WebhookDelivery;
  routing: RoutingConfig;
  clock: () => Date;
  log: Logger;
  parts: Lifecycle;
}

/** How to build it: `jobs` false leaves pg-boss out (follow-ups are still stored, and swept by the running bot). */
export interface CoreOptions {
  clock?: () => Date;
  schema?: string;
  /** An existing database (tests): not closed on stop. */
  db?: Db;
  jobs?: boolean;
  /** Whether this process is woken by pg-boss to fire due follow-ups (a worker). */
  firesFollowups?: boolean;
  log?: Logger;
}

/** Opens (and migrates) the database and builds the engine with its outbox, scheduler, queue and understanding. */
export async function buildCore(config: Config, opts: CoreOptions = {}): Promise<Core> {
  const log = opts.log ?? createLogger(config.LOG_LEVEL);
  const parts = new Lifecycle(log);
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
  if (!opts.db) parts.add({ name: 'database', stop: () => db.close() });
  const applied = await migrate(db);
  if (applied.length) log.info({ applied }, 'migrations applied');
  const clock = opts.clock ?? (() => new Date());
  const metrics = new Metrics({ db, clock, departments: routing.departments.map((d) => d.id) });
  const deliver = new MeteredDeliver(metrics);
  // Before any turn or job runs: a refused destination stops the start, and changes queue events for the rest.
  const webhooks = await prepareWebhooks(config, { db, metrics, clock, log });
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
  // Every role schedules follow-ups (a web turn opens tickets); only a worker is woken to fire them.
  const jobs =
    opts.jobs === false
      ? undefined
      : await startJobs(db, config.DATABASE_URL, opts.firesFollowups ? (id) => scheduler.fire(id) : undefined, log);
  if (jobs) parts.add({ name: 'pg-boss', stop: () => jobs.stop() });
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
    onEncoderError: (e) => log.warn({ err: e }, 'sentence encoder failed: this turn is routed by its words alone'),
  });
  return { config, db, engine, outbox, scheduler, deliver, jobs, metrics, webhooks, routing, clock, log, parts };
}
