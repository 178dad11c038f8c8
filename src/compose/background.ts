/** The background work of a worker process, each on the periodic-task helper, stopped before what it uses. */
import type { Core } from '../core/build-core.ts';
import { periodic } from '../jobs/periodic.ts';
import { RetentionSweeper } from '../jobs/retention.ts';
import { compactSummaryRollup, drainTicketFacts } from '../store/summary-rollup.ts';
import { modelFileFor, routerReloader } from '../router/load.ts';
import { retrainRouter } from '../router/training/retrain.ts';

/**
 * Adds the sweeps to the process's parts: the outbox retry sweep, the follow-up sweep (a safety net beside pg-boss's
 * timed jobs), the digests (every minute) and the retention purge (hourly, in batches). Added in this order, they stop
 * in the reverse one: nothing fires a follow-up into an outbox that has already drained.
 */
export function addBackground(core: Core, digests: Array<{ run(): Promise<number> }>, run: boolean): void {
  const { config, db, outbox, scheduler, clock, log, parts, engine, routing, jobs } = core;
  // Every process, web and worker, routes new turns with the model file's current version: a retrain's swap (or a
  // model copied in by hand) is picked up within a minute. A file that does not load is logged; the old model stays.
  const modelPath = modelFileFor(config, routing);
  const nextRouter = routerReloader(config, routing);
  const reload = periodic(
    'router reload',
    60,
    async () => {
      const router = nextRouter();
      if (router) engine.useRouter(router);
      if (router) log.info({ model: modelPath }, 'router model reloaded');
    },
    log,
  );
  if (modelPath) parts.add({ name: 'router reload', start: () => reload.start(), stop: () => reload.stop() });
  const outboxSweep = periodic('outbox sweep', config.OUTBOX_SWEEP_SECONDS, async () => outbox.kick(), log);
  // Stopped after everything that sends through it: what is in flight is sent before the connections close.
  parts.add({
    name: 'outbox',
    start: () => (run ? outboxSweep.start() : undefined),
    stop: async () => {
      await outboxSweep.stop();
      await outbox.idle();
    },
  });
  // Webhooks (WEBHOOKS): each worker polls the webhook outbox every second; claims keep two workers apart.
  const hooks = periodic('webhook delivery', 1, () => core.webhooks.flush(), log);
  if (run && config.WEBHOOKS?.length)
    parts.add({ name: 'webhooks', start: () => hooks.start(), stop: () => hooks.stop() });
  const followups = periodic('follow-up sweep', config.FOLLOWUP_SWEEP_SECONDS, () => scheduler.fireDue(), log);
  parts.add({
    name: 'follow-ups',
    start: () => (run ? followups.start() : undefined),
    stop: async () => {
      // The batches in hand commit; no new one starts, so the database may be closed after.
      scheduler.stop();
      await followups.stop();
    },
  });
  if (!run) return;
  // The scheduled retrain (ROUTER_RETRAIN_CRON): one worker of all of them runs it at each time; unset, an earlier
  // schedule is removed. It needs a model file to compare with and to write.
  if (config.ROUTER_RETRAIN_CRON && !modelPath)
    log.warn('ROUTER_RETRAIN_CRON is set but no model file is named (ROUTER_MODEL or model.file): no retrain');
  const retrain = async () => {
    const decision = await retrainRouter(db, { routing, modelPath: modelPath! });
    log.info(
      { decision },
      decision ? 'router retrained' : 'router retrain skipped: fewer than 20 recent reassignments',
    );
  };
  if (jobs)
    parts.add({
      name: 'router retrain',
      start: () => jobs.scheduleRetrain(modelPath ? config.ROUTER_RETRAIN_CRON : undefined, config.DIGEST_TZ, retrain),
    });
  // The daily and weekly digests, then the monthly one: each sends what is due, once across processes.
  const digestRuns = periodic(
    'digest run',
    60,
    async () => {
      for (const d of digests) await d.run();
    },
    log,
  );
  parts.add({ name: 'digests', start: () => digestRuns.start(), stop: () => digestRuns.stop() });
  // The summary's roll-up: take in the tickets changed since the last read, and fold what that appended, so a reader
  // finds little to do and sums one row per key and day.
  const fold = periodic(
    'summary roll-up fold',
    60,
    async () => {
      await drainTicketFacts(db);
      await compactSummaryRollup(db);
    },
    log,
  );
  parts.add({ name: 'summary roll-up', start: () => fold.start(), stop: () => fold.stop() });
  const retention = new RetentionSweeper({ db, days: config.RETENTION_DAYS, clock, log });
  const purge = periodic('retention purge', 3600, () => retention.sweep(), log);
  if (config.RETENTION_DAYS) parts.add({ name: 'retention', start: () => purge.start(), stop: () => purge.stop() });
}
