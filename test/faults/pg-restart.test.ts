/**
 * Fault: PostgreSQL stops and starts again while the bot runs. Requests in flight and during the outage fail cleanly
 * (503 DB_UNAVAILABLE, no driver text), /healthz and /readyz say 503 (/livez 200), and the same process serves again once the database is back,
 * with nothing it accepted lost or answered twice. Runs on a private cluster: the shared server is never stopped.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redress } from '../../src/main.ts';
import { ADMIN_TOKEN, missing, startTestApp } from '../helpers.ts';
import { clusterToolsMissing, createCluster, type PrivateCluster } from './cluster.ts';
import { complaintTurns, DirectLineConversation } from './direct-line.ts';
import { sleep, waitFor } from './process.ts';
import { assertEachAcceptedOnceWithOneReply, LEAKS } from './checks.ts';

function unavailable(): string | undefined {
  const reason = missing('postgres') ?? clusterToolsMissing();
  if (reason && process.env.CI) throw new Error(`CI must not skip: ${reason}`);
  if (reason) console.warn(`SKIPPED (private PostgreSQL cluster): ${reason}`);
  return reason;
}

describe.skipIf(unavailable())('PostgreSQL restarted while the bot runs', () => {
  let cluster: PrivateCluster | undefined;
  let app: Redress | undefined;
  beforeAll(async () => {
    cluster = await createCluster();
    // No per-client rate limit: every test customer comes from 127.0.0.1.
    app = await startTestApp('pg', {
      env: { DATABASE_URL: cluster.url, RATE_LIMIT_PUBLIC_PER_MINUTE: '0', RATE_LIMIT_STAFF_PER_MINUTE: '0' },
    });
  }, 120_000);
  afterAll(async () => {
    // The cluster must be up for a clean stop (pg-boss finishes its work); it is dropped whatever happened, even
    // when the app does not stop in time.
    try {
      await cluster?.start().catch(() => {});
      await Promise.race([app?.stop().catch(() => {}), sleep(30_000)]);
    } finally {
      await cluster?.drop();
    }
  }, 120_000);

  it('answers 503 while it is down, reconnects by itself, and loses nothing it accepted', async () => {
    // Cleanup that must happen whether or not an assertion failed: background customers stop, the lock is let go.
    const cleanup: Array<() => unknown> = [];
    try {
      const base = () => app!.url;
      const customer = await DirectLineConversation.open(base);
      const turns = complaintTurns(0);
      expect((await customer.post('turn-1', turns[0])).status).toBe(200);

      // Background customers keep posting through the whole fault, each retrying a refused post with the same id.
      let stopLoad = false;
      let aborted = false;
      let restartedAt = Infinity;
      const busy = await Promise.all(Array.from({ length: 8 }, () => DirectLineConversation.open(base)));
      const acceptedAfterRestart = new Map<DirectLineConversation, number>();
      const load = busy.map(async (c, i) => {
        const texts = [...complaintTurns(i + 1), 'Is there any news about my complaint?'];
        for (let n = 0; !aborted && (!stopLoad || (acceptedAfterRestart.get(c) ?? 0) < 1); n++) {
          const a = await c.postUntilAccepted(
            `busy-${n}`,
            texts[Math.min(n, texts.length - 1)],
            90_000,
            50,
            () => aborted,
          );
          if (a.started > restartedAt) acceptedAfterRestart.set(c, (acceptedAfterRestart.get(c) ?? 0) + 1);
          await sleep(50);
        }
      });
      cleanup.push(async () => {
        aborted = true;
        await Promise.allSettled(load);
      });
      const attempts = () => [customer, ...busy].flatMap((c) => c.attempts);
      const accepted = () => attempts().filter((a) => a.status && a.status < 300).length;
      await waitFor('30 posts accepted before the fault', () => accepted() >= 30, 60_000, 20);

      // Requests that are certainly in flight when the database goes: a session of the test's own holds the row lock
      // of four conversations, so their next turns wait inside their transactions (lockConversation) until the fault.
      const blocker = new pg.Client({ connectionString: cluster!.url, options: `-c search_path=${app!.db.schema}` });
      blocker.on('error', () => {}); // terminated by the shutdown like every backend
      await blocker.connect();
      cleanup.unshift(() => blocker.end().catch(() => {}));
      await blocker.query('BEGIN');
      const held = [customer, ...busy.slice(0, 3)].map((c) => c.conversationId);
      expect(
        (
          await blocker.query(
            "SELECT id FROM conversations WHERE channel = 'webchat' AND conversation_key = ANY($1) FOR UPDATE",
            [held],
          )
        ).rowCount,
      ).toBe(4);
      const blocked = customer.post('turn-2', turns[1]);
      // Watched from a connection of its own: inside the blocker's transaction pg_stat_activity is a snapshot taken
      // at its first read and would never show the turns arriving.
      const monitor = new pg.Client({ connectionString: cluster!.url });
      monitor.on('error', () => {});
      await monitor.connect();
      cleanup.unshift(() => monitor.end().catch(() => {}));
      await waitFor(
        'four turns waiting for their conversation lock',
        async () => {
          const r = await monitor.query(
            "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()",
          );
          return r.rows[0].n >= 4;
        },
        30_000,
        50,
      ).catch(async (e) => {
        // What every session of the app was doing, for a failure report.
        const act = await monitor.query(
          "SELECT pid, state, wait_event_type || '/' || wait_event AS wait, now() - state_change AS age, left(query, 70) AS query FROM pg_stat_activity WHERE datname = current_database()",
        );
        const open = attempts()
          .filter((x) => x.ended === undefined)
          .map((x) => `${x.clientId} for ${Date.now() - x.started} ms`);
        throw new Error(
          `${(e as Error).message}\nsessions: ${JSON.stringify(act.rows)}\nposts in flight: ${open.join(', ')}`,
        );
      });

      // The fault: a fast shutdown terminates every backend (57P01) and refuses new connections.
      const stoppingAt = Date.now();
      const acceptedBeforeStop = accepted();
      const inFlightAtStop = attempts().filter((a) => a.ended === undefined).length;
      await cluster!.stop();
      const stoppedAt = Date.now();
      const inFlight = await blocked;
      expect(inFlight.status).toBe(503);
      expect(inFlight.body).toEqual({ error: { code: 'DB_UNAVAILABLE', message: expect.any(String) } });

      const health = await fetch(`${base()}/healthz`);
      expect(health.status).toBe(503);
      expect(await health.json()).toEqual({ status: 'unavailable' });
      // Not ready (take it out of the load balancer), yet alive (do not restart it): the database is what is missing.
      const ready = await fetch(`${base()}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: 'unavailable', problems: { database: 'unreachable' } });
      expect((await fetch(`${base()}/livez`)).status).toBe(200);

      const refused = await customer.post('turn-2', turns[1]);
      expect(refused.status).toBe(503);
      expect(refused.body).toEqual({ error: { code: 'DB_UNAVAILABLE', message: expect.any(String) } });
      const read = await fetch(
        `${base()}/v3/directline/conversations/${customer.conversationId}/activities?watermark=`,
        { headers: customer.auth },
      );
      expect(read.status).toBe(503);
      expect(read.headers.get('retry-after')).toMatch(/^\d+$/);
      expect((await read.json()).error.code).toBe('DB_UNAVAILABLE');
      const generate = await fetch(`${base()}/v3/directline/tokens/generate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(generate.status).toBe(503);
      const staff = await fetch(`${base()}/api/tickets?status=open`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expect(staff.status).toBe(503);
      expect((await staff.json()).error.code).toBe('DB_UNAVAILABLE');
      await sleep(500); // the background customers keep being refused meanwhile

      await cluster!.start();
      restartedAt = Date.now();
      // The same process, not restarted: its pool drops the dead connections and opens new ones on the next use.
      await waitFor(
        '/healthz to answer 200 again',
        async () => (await fetch(`${base()}/healthz`)).status === 200,
        60_000,
        100,
      );
      expect(await (await fetch(`${base()}/readyz`)).json()).toEqual({ status: 'ready' });
      const retried = await customer.postUntilAccepted('turn-2', turns[1]);
      expect(retried.status).toBe(200);
      expect((await customer.postUntilAccepted('turn-3', turns[2])).status).toBe(200);
      expect((await customer.postUntilAccepted('turn-4', turns[3])).status).toBe(200);
      const { status, body } = await customer.activities();
      expect(status).toBe(200);
      const bot = body.activities
        .filter((a: any) => a.from.role === 'bot')
        .map((a: any) => a.text)
        .join('\n');
      expect(bot).toMatch(/recorded your complaint as CMP-\d{6}/);
      expect(
        body.activities.filter((a: any) => a.from.role === 'user').map((a: any) => a.channelData?.clientActivityID),
      ).toEqual(['turn-1', 'turn-2', 'turn-3', 'turn-4']);

      stopLoad = true;
      await Promise.all(load);

      // Every answer was a 2xx or a clean 503: no 500, no dropped connection, no driver text.
      const all = attempts();
      const failed = all.filter((a) => !(a.status && a.status < 300));
      expect(
        failed.filter((a) => a.error),
        'network errors',
      ).toEqual([]);
      expect(
        failed.filter((a) => a.status !== 503),
        'non-503 failures',
      ).toEqual([]);
      for (const a of failed) {
        expect(a.body).toEqual({ error: { code: 'DB_UNAVAILABLE', message: expect.any(String) } });
        expect(JSON.stringify(a.body)).not.toMatch(LEAKS);
      }
      const inFlightFailed = failed.filter((a) => a.started < stoppingAt);
      expect(
        inFlightFailed.length,
        'turns waiting in their transactions when the database stopped',
      ).toBeGreaterThanOrEqual(4);
      const duringOutage = failed.filter((a) => a.started >= stoppingAt);
      expect(duringOutage.length).toBeGreaterThan(0);

      // Nothing accepted is lost or doubled: each client id accepted is stored once, with one turn's replies.
      const summary = await assertEachAcceptedOnceWithOneReply(app!.db, [customer, ...busy]);
      const tickets = await app!.db.query<{ n: number }>(
        'SELECT count(*) AS n FROM tickets t JOIN conversations c ON c.id = t.conversation_id WHERE c.conversation_key = $1',
        [customer.conversationId],
      );
      expect(tickets.rows[0].n).toBe(1);
      console.log(
        `[pg-restart] accepted before the stop: ${acceptedBeforeStop}; in flight when it began: ${inFlightAtStop} ` +
          `(${inFlightFailed.length} of them answered 503); stop took ${stoppedAt - stoppingAt} ms; ` +
          `503s during the outage: ${duringOutage.length}; accepted in all: ${summary.accepted} client ids, ` +
          `${summary.inbound} inbound rows, ${summary.replies} replies, all stored once`,
      );
    } finally {
      for (const f of cleanup) await f();
    }
  });
});
