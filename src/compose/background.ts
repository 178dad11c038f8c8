/** The background work of a worker process, each on the periodic-task helper, stopped before what it uses. */
import type { Core } from '../core/build-core.ts';
import type { Digests } from '../staff/digests.ts';
import { periodic } from '../jobs/periodic.ts';
import { RetentionSweeper } from '../jobs/retention.ts';

/**
 * Adds the sweeps to the process's parts: the outbox retry sweep, the follow-up sweep (a safety net beside pg-boss's
 * timed jobs), the digests (every minute) and the retention purge (hourly, in batches). Added in this order, they stop
 * in the reverse one: nothing fires a follow-up into an outbox that has already drained.
 */
export function addBackground(core: Core, digests: Digests, run: boolean): void {
  const { config, db, outbox, scheduler, clock, log, parts } = core;
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
  const digestRuns = periodic('digest run', 60, () => digests.run(), log);
  parts.add({ name: 'digests', start: () => digestRuns.start(), stop: () => digestRuns.stop() });
  const retention = new RetentionSweeper({ db, days: config.RETENTION_DAYS, clock, log });
  const purge = periodic('retention purge', 3600, () => retention.sweep(), log);
  if (config.RETENTION_DAYS) parts.add({ name: 'retention', start: () => purge.start(), stop: () => purge.stop() });
}
