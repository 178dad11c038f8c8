/**
 * Fault: the process delivering webhooks is SIGKILLed while a request is in flight (the receiver holds it open) and
 * started again on the same database. The receiver, a real HTTP server checking each signature, then gets the same
 * event id again and the ticket's later event after it, each accepted once. A private destination not allowed stops
 * the process at start with a clear error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, DATABASE_URL, missing } from '../helpers.ts';
import { startReceiver } from '../src/webhooks/receiver.ts';
import {
  createDatabase,
  freePort,
  killAllChildren,
  launchRedress,
  spawnRedress,
  waitFor,
  type TempDatabase,
} from './process.ts';

const SECRET = 'fault-receiver-secret-0123';

describe.skipIf(missing('postgres'))('webhooks and a process killed with SIGKILL', () => {
  let db: TempDatabase;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let env: Record<string, string>;
  let port: number;

  beforeAll(async () => {
    db = await createDatabase(DATABASE_URL!);
    receiver = await startReceiver(SECRET);
    port = await freePort();
    env = {
      DATABASE_URL: db.url,
      ADMIN_TOKEN,
      WEBHOOKS: JSON.stringify([{ url: receiver.url, secret: SECRET, events: ['ticket.created', 'ticket.updated'] }]),
      LOG_LEVEL: 'warn',
    };
  }, 60_000);
  afterAll(async () => {
    await killAllChildren();
    await receiver?.close();
    await db?.drop();
  }, 60_000);

  const post = (path: string, body: unknown) =>
    fetch(`http://127.0.0.1:${port}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('refuses a loopback destination at start unless WEBHOOK_ALLOW_PRIVATE allows it', async () => {
    const child = launchRedress(env, { port });
    await expect(child.ready).rejects.toThrow(/exit/);
    expect(child.output()).toMatch(
      /WEBHOOKS: http:\/\/127\.0\.0\.1:\d+\/hooks refused: 127\.0\.0\.1 resolves to .*private/,
    );
  }, 120_000);

  it('redelivers the event in flight with the same id after a restart, then the rest in order', async () => {
    env.WEBHOOK_ALLOW_PRIVATE = '127.0.0.1';
    receiver.answer('hang');
    const first = await spawnRedress(env, { port });
    const opened = await post('/api/tickets', {
      source: 'phone_call',
      text: 'The kettle I bought last week leaks from the base and tripped the fuse.',
      loggedBy: 'alice',
    });
    expect(opened.status).toBe(201);
    const { reference } = (await opened.json()) as { reference: string };
    // The worker has sent ticket.created and the receiver holds the request open: kill the process mid-delivery.
    await waitFor('the first delivery', () => receiver.got.length >= 1);
    expect((await post(`/api/tickets/${reference}/status`, { status: 'in_progress' })).status).toBe(200);
    await first.kill('SIGKILL');
    const inFlight = receiver.got[0];
    expect(inFlight).toMatchObject({ type: 'ticket.created', status: 0 });

    receiver.answer(200);
    await spawnRedress(env, { port });
    // The claim's lease (15 s) runs out; then the same event comes again, and the ticket's update after it.
    await waitFor('the redelivery and the update', () => receiver.accepted().length >= 2, 120_000);
    const accepted = receiver.accepted();
    expect(accepted.map((g) => g.eventId)).toEqual([inFlight.eventId, expect.any(String)]);
    expect(accepted[1].eventId).not.toBe(inFlight.eventId);
    expect(accepted.map((g) => [g.type, g.payload.ticket?.reference])).toEqual([
      ['ticket.created', reference],
      ['ticket.updated', reference],
    ]);
    expect(receiver.bad).toEqual([]);
    // Nothing more is owed: the outbox is empty and nothing arrives twice after it.
    await waitFor(
      'an empty webhook outbox',
      async () => (await db.pool.query('SELECT 1 FROM webhook_events')).rowCount === 0,
    );
    expect(receiver.accepted()).toHaveLength(2);
  }, 240_000);
});
