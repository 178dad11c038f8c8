/**
 * Graceful shutdown: SIGTERM while turns are in flight. The process stops taking new connections, finishes the
 * turns it accepted, and exits 0; nothing it answered is lost and a client's retry on the next process is a no-op.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, DATABASE_URL, missing } from '../helpers.ts';
import { assertEachAcceptedOnceWithOneReply } from './checks.ts';
import { complaintTurns, DirectLineConversation } from './direct-line.ts';
import {
  createDatabase,
  freePort,
  killAllChildren,
  spawnRedress,
  waitFor,
  type RedressChild,
  type TempDatabase,
} from './process.ts';

describe.skipIf(missing('postgres'))('SIGTERM', () => {
  let db: TempDatabase;
  let env: Record<string, string>;
  let port: number;
  let child: RedressChild | undefined;
  beforeAll(async () => {
    db = await createDatabase(DATABASE_URL!);
    port = await freePort();
    env = {
      DATABASE_URL: db.url,
      ADMIN_TOKEN,
      DIRECT_LINE_SECRET: randomBytes(32).toString('base64url'),
      RATE_LIMIT_PUBLIC_PER_MINUTE: '0',
      LOG_LEVEL: 'warn',
    };
  }, 60_000);
  afterAll(async () => {
    await killAllChildren();
    await db?.drop();
  }, 60_000);

  it('finishes the turns in flight, answers none with an error, exits 0; the rest go to the next process once', async () => {
    child = await spawnRedress(env, { port });
    const base = () => `http://127.0.0.1:${port}`;
    const convs = await Promise.all(Array.from({ length: 40 }, () => DirectLineConversation.open(base)));
    const texts = convs.map((_, i) => complaintTurns(200 + i)[0]);
    const first = convs.map((c, i) => c.post('s1', texts[i]));
    // The signal comes once the first turns are committed: the others are being handled.
    const stored = async () =>
      (await db.pool.query("SELECT count(*)::int AS n FROM messages WHERE channel = 'webchat' AND direction = 'in'"))
        .rows[0].n as number;
    await waitFor('the first turns committed', async () => (await stored()) >= 3, 30_000, 2);
    const attempts = convs.map((c) => c.attempts[0]);
    const inFlight = attempts.filter((a) => a.ended === undefined);
    const exited = child.kill('SIGTERM');
    await Promise.all(first);
    expect(await exited).toBe('exit 0');
    // Each post either got its full answer, or could not reach a process that had stopped listening: never a 5xx.
    expect(attempts.filter((a) => a.status !== undefined && a.status >= 300)).toEqual([]);
    const finished = inFlight.filter((a) => a.status && a.status < 300).length;
    expect(inFlight.length).toBeGreaterThan(0);
    expect(finished).toBeGreaterThan(0);
    const answered = attempts.filter((a) => a.status && a.status < 300).length;

    // The next process takes the retries (same activity ids): each message is stored once with one turn's replies.
    child = await spawnRedress(env, { port });
    await Promise.all(convs.map((c, i) => c.postUntilAccepted('s1', texts[i])));
    const summary = await assertEachAcceptedOnceWithOneReply(db.pool, convs);
    expect(summary.accepted).toBe(40);
    console.log(
      `[SIGTERM] 40 posts; in flight at the signal: ${inFlight.length}, of which ${finished} were finished by the stopping process; ${40 - answered} in all were retried on the next process`,
    );
  });
});
