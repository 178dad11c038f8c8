/** pg-boss on the same database (PostgreSQL or PGlite): timed jobs that wake a worker when a follow-up is due. */
import PgBoss from 'pg-boss';
import { withAdvisoryLock } from '../store/advisory-lock.ts';
import type { Db, Queryable } from '../store/db.ts';
import type { FollowupQueue } from '../core/schedule-followups.ts';
import type { Logger } from '../core/log.ts';

const QUEUE = 'redress-followup';
/** The queue (and schedule name) of the scheduled router retrain. */
export const RETRAIN_QUEUE = 'redress-router-retrain';

/** Adapts one of our connections (or a transaction) to pg-boss's `executeSql`. */
function executor(q: Queryable) {
  return {
    async executeSql(text: string, values?: unknown[]) {
      // pg-boss sends multi-statement SQL without parameters (its migrations); only exec runs those on PGlite.
      return values?.length ? q.query(text, values) : q.exec(text);
    },
  };
}

/** A started pg-boss with the follow-up queue. */
export interface Jobs extends FollowupQueue {
  /**
   * On a worker: runs `run` at each time `cron` (5 fields, in `tz`) names, in one worker of all of them; without a
   * `cron`, removes a schedule an earlier start left, so unsetting ROUTER_RETRAIN_CRON turns the retrain off.
   */
  scheduleRetrain(cron: string | undefined, tz: string, run: () => Promise<unknown>): Promise<void>;
  stop(): Promise<void>;
}

/** Starts pg-boss in schema `<db schema>_boss` (pgboss for public) and, given `onDue`, a worker that calls it. */
export async function startJobs(
  db: Db,
  databaseUrl: string | undefined,
  onDue: ((followupId: number) => Promise<unknown>) | undefined,
  log?: Logger,
): Promise<Jobs> {
  const schema = db.schema === 'public' ? 'pgboss' : `${db.schema}_boss`;
  const boss = databaseUrl
    ? new PgBoss({ connectionString: databaseUrl, schema, max: 3, supervise: true })
    : new PgBoss({ db: executor(db), schema, supervise: true });
  boss.on('error', (err) => log?.error({ err }, 'pg-boss error'));
  // Processes starting together on a new database deadlock in pg-boss's own setup (40P01): one at a time.
  await withAdvisoryLock(db, `redress:pg-boss:${schema}`, async () => {
    await boss.start();
    await boss.createQueue(QUEUE);
  });
  // A web process only schedules; workers are woken.
  if (onDue) {
    // pg-boss's shortest poll: a follow-up fires within about half a second of its due time.
    await boss.work<{ followupId: number }>(QUEUE, { pollingIntervalSeconds: 0.5 }, async (jobs) => {
      for (const job of jobs) await onDue(job.data.followupId);
    });
  }
  return {
    async enqueue(tx, followups) {
      // One statement for all of them (send() would take one each). The singleton key only names the job (a standard
      // queue does not deduplicate on it); a second job for a follow-up would find it already fired.
      const jobs = followups.map((f) => ({
        name: QUEUE,
        data: { followupId: f.followupId },
        startAfter: f.dueAt,
        singletonKey: `followup-${f.followupId}`,
      }));
      await boss.insert(jobs, { db: executor(tx) } as PgBoss.InsertOptions);
    },
    async scheduleRetrain(cron, tz, run) {
      // singleton: one retrain at a time across processes, even one that outlasts the interval. No retry: the next tick
      // is the retry. pg-boss only marks a failed job failed, so the failure is logged here.
      await withAdvisoryLock(db, `redress:pg-boss:${schema}`, () =>
        boss.createQueue(RETRAIN_QUEUE, { name: RETRAIN_QUEUE, policy: 'singleton', retryLimit: 0 }),
      );
      if (!cron) return boss.unschedule(RETRAIN_QUEUE);
      await boss.schedule(RETRAIN_QUEUE, cron, {}, { tz });
      await boss.work(RETRAIN_QUEUE, async () => {
        try {
          await run();
        } catch (err) {
          log?.error({ err }, 'router retrain failed');
          throw err;
        }
      });
    },
    async stop() {
      await boss.stop({ graceful: true, wait: true, timeout: 5000 });
    },
  };
}
