/** pg-boss on the same database (PostgreSQL or PGlite): timed jobs that wake a worker when a follow-up is due. */
import PgBoss from 'pg-boss';
import { withAdvisoryLock } from '../store/advisory-lock.ts';
import type { Db, Queryable } from '../store/db.ts';
import type { FollowupQueue } from '../core/schedule-followups.ts';
import type { Logger } from '../core/log.ts';

const QUEUE = 'redress-followup';

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
    async stop() {
      await boss.stop({ graceful: true, wait: true, timeout: 5000 });
    },
  };
}
