/** pg-boss on the same database (PostgreSQL or PGlite): timed jobs that wake a worker when a follow-up is due. */
import PgBoss from 'pg-boss';
import type { Db, Queryable } from './store/db.ts';
import type { FollowupQueue } from './engine.ts';
import type { Logger } from './log.ts';

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
export async function startJobs(db: Db, databaseUrl: string | undefined, onDue: ((followupId: number) => Promise<unknown>) | undefined, log?: Logger): Promise<Jobs> {
  const schema = db.schema === 'public' ? 'pgboss' : `${db.schema}_boss`;
  const boss = databaseUrl
    ? new PgBoss({ connectionString: databaseUrl, schema, max: 3, supervise: true })
    : new PgBoss({ db: executor(db), schema, supervise: true });
  boss.on('error', (err) => log?.error({ err }, 'pg-boss error'));
  await boss.start();
  await boss.createQueue(QUEUE);
  // A web process only schedules; workers are woken.
  if (onDue) {
    await boss.work<{ followupId: number }>(QUEUE, { pollingIntervalSeconds: 2 }, async (jobs) => {
      for (const job of jobs) await onDue(job.data.followupId);
    });
  }
  return {
    async enqueue(tx, followupId, dueAt) {
      await boss.send(QUEUE, { followupId }, { startAfter: dueAt, singletonKey: `followup-${followupId}`, db: executor(tx) } as PgBoss.SendOptions);
    },
    async stop() {
      await boss.stop({ graceful: true, wait: true, timeout: 5000 });
    },
  };
}
