/**
 * Fault: the bot process is killed with SIGKILL, mid-turn and mid-follow-up, and started again on the same database.
 * The real server runs as a child process (`node bin/redress.mjs serve`) on a throw-away database of the shared
 * PostgreSQL. Afterwards every accepted message has exactly one reply and every due follow-up went out exactly once.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { ADMIN_TOKEN, DATABASE_URL, missing } from '../helpers.ts';
import { assertEachAcceptedOnceWithOneReply } from './checks.ts';
import { complaintTurns, DirectLineConversation } from './direct-line.ts';
import {
  createDatabase,
  freePort,
  killAllChildren,
  launchRedress,
  spawnRedress,
  waitFor,
  type RedressChild,
  type TempDatabase,
} from './process.ts';

describe.skipIf(missing('postgres'))('a bot process killed with SIGKILL', () => {
  let db: TempDatabase;
  let env: Record<string, string>;
  let port: number;
  let child: RedressChild | undefined;
  const base = () => `http://127.0.0.1:${port}`;
  /** The running child, started when there is none. */
  const running = async () =>
    child && child.proc.exitCode === null && child.proc.signalCode === null
      ? child
      : (child = await spawnRedress(env, { port }));

  beforeAll(async () => {
    db = await createDatabase(DATABASE_URL!);
    port = await freePort();
    env = {
      DATABASE_URL: db.url,
      ADMIN_TOKEN,
      // Fixed, so the tokens clients hold stay valid in the restarted process.
      DIRECT_LINE_SECRET: randomBytes(32).toString('base64url'),
      FOLLOWUP_SWEEP_SECONDS: '1',
      OUTBOX_SWEEP_SECONDS: '1',
      // Every test customer comes from 127.0.0.1.
      RATE_LIMIT_PUBLIC_PER_MINUTE: '0',
      LOG_LEVEL: 'warn',
    };
  }, 60_000);
  afterAll(async () => {
    await killAllChildren();
    await db?.drop();
  }, 60_000);

  it('mid-turn: after a restart every accepted message is stored once with exactly one reply', async () => {
    const first = await running();
    const convs = await Promise.all(Array.from({ length: 50 }, () => DirectLineConversation.open(base)));
    // Each customer holds a complete complaint (four turns); a post that fails is re-sent with the same activity id
    // until it is accepted, as Web Chat retries.
    let over = false;
    const clients = convs.map(async (c, i) => {
      const texts = complaintTurns(i);
      for (let t = 0; t < texts.length; t++) await c.postUntilAccepted(`t${t + 1}`, texts[t], 120_000, 200, () => over);
    });
    // Whatever happens below, the clients stop retrying when the test ends.
    onTestFinished(async () => {
      over = true;
      await Promise.allSettled(clients);
    });
    const attempts = () => convs.flatMap((c) => c.attempts);
    const ok = (a: { status?: number }) => !!a.status && a.status < 300;
    await waitFor('60 of 200 turns accepted', () => attempts().filter(ok).length >= 60, 60_000, 5);

    const killedAt = Date.now();
    const inFlight = attempts().filter((a) => a.ended === undefined);
    const acceptedBeforeKill = attempts().filter(ok).length;
    expect(await first.kill('SIGKILL')).toBe('SIGKILL');
    expect(inFlight.length).toBeGreaterThan(0);
    await waitFor('the posts in flight to end', () => inFlight.every((a) => a.ended !== undefined), 30_000, 20);
    // A post in flight either got its answer just before the kill (already in the socket) or a network error:
    // never a half answer or a 5xx.
    expect(inFlight.filter((a) => !a.error && !ok(a))).toEqual([]);
    const cut = inFlight.filter((a) => a.error);
    expect(cut.length).toBeGreaterThan(0);
    // Which of the cut posts had committed before the kill (their client never heard): their retry must be a no-op.
    const cutKeys = convs.flatMap((c) =>
      c.attempts.filter((a) => cut.includes(a)).map((a) => c.messageKey(a.clientId)),
    );
    const committed = (
      await db.pool.query(
        "SELECT count(*)::int AS n FROM messages WHERE channel = 'webchat' AND message_key = ANY($1)",
        [cutKeys],
      )
    ).rows[0].n;

    child = await spawnRedress(env, { port });
    await Promise.all(clients);

    const summary = await assertEachAcceptedOnceWithOneReply(db.pool, convs);
    expect(summary.accepted).toBe(200);
    const tickets = await db.pool.query(
      `SELECT c.conversation_key, count(t.id)::int AS n FROM conversations c LEFT JOIN tickets t ON t.conversation_id = c.id
        WHERE c.channel = 'webchat' AND c.conversation_key = ANY($1) GROUP BY 1`,
      [convs.map((c) => c.conversationId)],
    );
    expect(tickets.rows.filter((r) => r.n !== 1)).toEqual([]);
    expect(tickets.rowCount).toBe(50);
    // What the customers see: their four messages once each, in order, and the ticket reference.
    for (const c of convs) {
      const { status, body } = await c.activities();
      expect(status).toBe(200);
      expect(
        body.activities.filter((a: any) => a.from.role === 'user').map((a: any) => a.channelData?.clientActivityID),
      ).toEqual(['t1', 't2', 't3', 't4']);
      expect(body.activities.filter((a: any) => /recorded your complaint as CMP-\d{6}/.test(a.text))).toHaveLength(1);
    }
    const retries = attempts().filter((a) => a.started > killedAt && ok(a)).length;
    console.log(
      `[kill mid-turn] 50 conversations, 200 turns; accepted before the kill: ${acceptedBeforeKill}; in flight at the kill: ${inFlight.length} ` +
        `(${inFlight.length - cut.length} answered just before it, ${cut.length} cut off: ${committed} of those had committed, ${cut.length - committed} had not); posts accepted after the restart: ${retries}; ` +
        `stored: ${summary.inbound} messages, ${summary.replies} replies, each message answered by one turn`,
    );
  });

  it('mid-follow-up: after a restart every due follow-up is sent exactly once', async () => {
    await running();
    // 60 complete complaints: each ticket schedules an acknowledgement (customer), an SLA reminder (staff) and an
    // SLA breach check.
    const convs = await Promise.all(Array.from({ length: 60 }, () => DirectLineConversation.open(base)));
    const queue = convs.map((c, i) => [c, i] as const);
    await Promise.all(
      Array.from({ length: 15 }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          const [c, i] = next;
          const texts = complaintTurns(100 + i);
          for (let t = 0; t < texts.length; t++) await c.postUntilAccepted(`f${t + 1}`, texts[t], 120_000, 200);
        }
      }),
    );
    const ticketIds = (
      await db.pool.query(
        `SELECT t.id FROM tickets t JOIN conversations c ON c.id = t.conversation_id WHERE c.channel = 'webchat' AND c.conversation_key = ANY($1)`,
        [convs.map((c) => c.conversationId)],
      )
    ).rows.map((r) => Number(r.id));
    expect(ticketIds).toHaveLength(60);
    await child!.kill('SIGKILL');

    // Test setup: the acknowledgements and SLA reminders of these tickets fall due now (the SLA breach stays ahead).
    const due = await db.pool.query(
      `UPDATE followups SET due_at = now() - interval '1 minute'
        WHERE ticket_id = ANY($1) AND state = 'scheduled' AND kind IN ('acknowledgement', 'sla_reminder') RETURNING id, kind`,
      [ticketIds],
    );
    const total = due.rowCount!;
    expect(total).toBe(120);
    const dueIds = due.rows.map((r) => Number(r.id));
    const sentCount = async () =>
      (await db.pool.query("SELECT count(*)::int AS n FROM followups WHERE id = ANY($1) AND state = 'sent'", [dueIds]))
        .rows[0].n as number;

    // A new process sweeps them (every second); it is killed once a fifth have gone out.
    const sweeper = launchRedress(env, { port });
    child = sweeper;
    await waitFor(
      'the sweep to send a fifth of the follow-ups',
      async () => (await sentCount()) >= total / 5,
      90_000,
      5,
    );
    expect(await sweeper.kill('SIGKILL')).toBe('SIGKILL');
    const firedBeforeKill = await sentCount();
    expect(firedBeforeKill).toBeLessThan(total);

    child = await spawnRedress(env, { port });
    await waitFor(
      'no follow-up of these tickets left scheduled and due',
      async () =>
        (
          await db.pool.query(
            "SELECT count(*)::int AS n FROM followups WHERE ticket_id = ANY($1) AND state = 'scheduled' AND due_at <= now()",
            [ticketIds],
          )
        ).rows[0].n === 0,
      90_000,
      200,
    );

    // Each one sent exactly once: an acknowledgement as one turn of customer messages and one followup_sent event,
    // an SLA reminder as one sla_reminder event and no customer message.
    const rows = (
      await db.pool.query(
        `SELECT f.id, f.kind, f.state,
                (SELECT count(*) FROM messages m WHERE m.followup_id = f.id)::int AS messages,
                (SELECT count(DISTINCT m.xmin::text) FROM messages m WHERE m.followup_id = f.id)::int AS turns,
                (SELECT count(*) FROM ticket_events e WHERE e.ticket_id = f.ticket_id AND e.kind IN ('followup_sent', 'sla_reminder')
                    AND (e.data->>'followupId')::bigint = f.id)::int AS events
           FROM followups f WHERE f.id = ANY($1) ORDER BY f.id`,
        [dueIds],
      )
    ).rows;
    expect(rows.filter((r) => r.state !== 'sent')).toEqual([]);
    expect(rows.filter((r) => r.events !== 1)).toEqual([]);
    const acks = rows.filter((r) => r.kind === 'acknowledgement');
    expect(acks).toHaveLength(60);
    expect(acks.filter((r) => r.messages < 1 || r.turns !== 1)).toEqual([]);
    expect(rows.filter((r) => r.kind === 'sla_reminder' && r.messages !== 0)).toEqual([]);
    // And each customer finds the acknowledgement once in the conversation.
    for (const c of convs) {
      const { body } = await c.activities();
      expect(
        body.activities.filter((a: any) => /confirm we have received complaint CMP-\d{6}/.test(a.text)),
      ).toHaveLength(1);
    }
    console.log(
      `[kill mid-follow-up] ${total} follow-ups due (60 acknowledgements, 60 SLA reminders); sent before the kill: ${firedBeforeKill}; ` +
        `sent after the restart: ${total - firedBeforeKill}; each sent once`,
    );
  });
});
