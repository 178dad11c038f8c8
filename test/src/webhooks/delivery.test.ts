/**
 * Webhooks end to end in one process: a real receiver on 127.0.0.1 (allowed through WEBHOOK_ALLOW_PRIVATE) checks
 * every signature; a complaint, staff changes and a resolution arrive once each, in order per ticket; a receiver that
 * answers 500 gets the same event id again once it recovers, with the ticket's later events held back until then; a
 * destination that never recovers is given up after a day (ticket event, /metrics); erasure drops what is queued.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redress } from '../../../src/main.ts';
import { scrubConversations } from '../../../src/store/erasures.ts';
import { addEvent, ticketByReference, ticketEvents } from '../../../src/store/tickets.ts';
import { ADMIN_TOKEN, DATABASE_URL, startTestApp, testClock, testConfig } from '../../helpers.ts';
import { prepareWebhooks } from '../../../src/webhooks/start.ts';
import { startReceiver } from './receiver.ts';

const SECRET = 'receiver-secret-0123456789';
let app: Redress;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
/** A second destination, wanting only the survey and follow-ups. */
let survey: Awaited<ReturnType<typeof startReceiver>>;
const clock = testClock(new Date().toISOString());

beforeAll(async () => {
  receiver = await startReceiver(SECRET);
  survey = await startReceiver(`${SECRET}-2`);
  app = await startTestApp(DATABASE_URL ? 'pg' : 'pglite', {
    jobs: false,
    clock: clock.now,
    env: {
      WEBHOOKS: JSON.stringify([
        {
          url: receiver.url,
          secret: SECRET,
          events: ['ticket.created', 'ticket.updated', 'ticket.resolved', 'message.received', 'message.sent'],
        },
        { url: survey.url, secret: `${SECRET}-2`, events: ['satisfaction.answered', 'followup.sent'], name: 'survey' },
      ]),
      WEBHOOK_ALLOW_PRIVATE: '127.0.0.1',
    },
  });
});
afterAll(async () => {
  await app?.stop();
  await receiver?.close();
  await survey?.close();
});

let n = 0;
async function say(key: string, text: string) {
  await app.engine.handle({
    channel: 'webchat',
    conversationKey: key,
    messageKey: `${key}-${n++}`,
    text,
    sender: { id: key },
    address: {},
    style: 'chat',
  });
}
/** Moves the clock past what the database stamped, then delivers everything due. */
async function flush() {
  clock.advance(60_000);
  return app.webhooks.flush();
}
async function staff(path: string, body: unknown) {
  const r = await fetch(app.url + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(r.status, await r.clone().text()).toBeLessThan(300);
  return r.json();
}
async function complaint(key: string): Promise<string> {
  await say(key, 'My washing machine from order 31234 has been leaking since Saturday and I want a repair.');
  for (const text of ['yes', 'Dana Cruz', `${key}@example.com`]) await say(key, text);
  const r = await app.db.query<{ reference: string }>(
    'SELECT t.reference FROM tickets t JOIN conversations c ON c.id = t.conversation_id WHERE c.conversation_key = $1',
    [key],
  );
  return r.rows[0].reference;
}
const ofTicket = (ref: string) => receiver.accepted().filter((g) => g.payload.ticket?.reference === ref);

describe('webhooks', () => {
  it('delivers every event once, signed and in order per ticket, with no customer words', async () => {
    const ref = await complaint('hook-a');
    await staff(`/api/tickets/${ref}/status`, { status: 'in_progress', note: 'calling the customer back' });
    await staff(`/api/tickets/${ref}/reassign`, { department: 'billing' });
    await staff(`/api/tickets/${ref}/status`, {
      status: 'resolved',
      resolution: { remedy: 'repair', cause: 'product_defect', message: 'We will repair it.' },
    });
    await flush();
    expect(receiver.bad).toEqual([]);
    // The chat before the ticket (no ticket yet), then the ticket's life, each event once in the order it happened.
    const turn = ['message.received', 'message.sent', 'message.sent'];
    expect(receiver.got.map((g) => g.type)).toEqual([
      ...turn,
      ...turn,
      ...turn,
      'message.received',
      'ticket.created',
      'message.sent',
      'message.sent',
      'ticket.updated',
      'ticket.updated',
      // The resolution's message is written before the status event, in the same transaction.
      'message.sent',
      'ticket.resolved',
    ]);
    expect(receiver.got.slice(0, 10).every((g) => g.payload.ticket === null)).toBe(true);
    expect(ofTicket(ref)).toHaveLength(7);
    const ids = receiver.got.map((g) => g.eventId);
    expect(new Set(ids).size).toBe(ids.length);
    const resolved = ofTicket(ref).find((g) => g.type === 'ticket.resolved')!;
    expect(resolved.payload).toMatchObject({
      version: 1,
      type: 'ticket.resolved',
      ticket: { reference: ref, status: 'resolved' },
    });
    expect(resolved.payload.data).toMatchObject({ remedy: 'repair', cause: 'product_defect', fault: 'product' });
    expect(ofTicket(ref).find((g) => g.payload.data.change === 'department')!.payload.data).toMatchObject({
      to: { department: 'billing' },
    });
    // Staff's note, the customer's words and the resolution's message stay out of every payload.
    const all = JSON.stringify(receiver.got.map((g) => g.payload));
    for (const words of ['calling the customer back', 'washing machine', 'We will repair it'])
      expect(all).not.toContain(words);
    // Nothing is left queued.
    expect((await app.db.query('SELECT 1 FROM webhook_events')).rows).toEqual([]);
  });

  it('after a 500 the same event id comes again once the receiver recovers, and nothing overtakes it', async () => {
    const ref = await complaint('hook-b');
    await flush();
    const before = receiver.got.length;
    receiver.answer(500);
    await staff(`/api/tickets/${ref}/status`, { status: 'in_progress' });
    await staff(`/api/tickets/${ref}/reassign`, { department: 'billing' });
    expect(await flush()).toEqual({ sent: 0, failed: 1 });
    const failed = receiver.got.slice(before);
    expect(failed.map((g) => g.status)).toEqual([500]);
    // Retried later, not at once: the next flush before the back-off sends nothing.
    expect(await app.webhooks.flush()).toEqual({ sent: 0, failed: 0 });
    receiver.answer(200);
    clock.advance(10 * 60_000);
    await flush();
    const after = receiver.got.slice(before + 1);
    expect(after.map((g) => g.eventId)).toEqual([failed[0].eventId, expect.any(String)]);
    expect(after.map((g) => g.payload.data.change)).toEqual(['status', 'department']);
  });

  it('gives up after a day: a webhook_gave_up event on the ticket and the failure in /metrics', async () => {
    const ref = await complaint('hook-c');
    await flush();
    receiver.answer(503);
    await staff(`/api/tickets/${ref}/status`, { status: 'in_progress' });
    const t = (await ticketByReference(app.db, ref))!;
    for (let hour = 0; hour < 30; hour++) {
      clock.advance(3_600_000);
      await app.webhooks.flush();
    }
    receiver.answer(200);
    const gaveUp = (await ticketEvents(app.db, t.id)).filter((e) => e.kind === 'webhook_gave_up');
    expect(gaveUp).toHaveLength(1);
    expect(gaveUp[0].data).toMatchObject({ type: 'ticket.updated', error: 'HTTP 503' });
    const metrics = await app.metrics.registry.metrics();
    expect(metrics).toMatch(/redress_webhook_failures_total\{destination="h-[0-9a-f]{12}",code="http_503"\} \d+/);
    expect(metrics).toMatch(/redress_webhook_events\{destination="h-[0-9a-f]{12}",state="failed"\} 1/);
  });

  it("drops an erased customer's queued events", async () => {
    receiver.answer(500);
    const ref = await complaint('hook-d');
    const t = (await ticketByReference(app.db, ref))!;
    const queued = async () =>
      (await app.db.query('SELECT 1 FROM webhook_events WHERE conversation_id = $1', [t.conversation_id])).rows.length;
    expect(await queued()).toBeGreaterThan(0);
    await app.db.transaction((tx) =>
      scrubConversations(tx, [t.conversation_id], { actor: 'test', now: clock.now(), event: {} }),
    );
    expect(await queued()).toBe(0);
    receiver.answer(200);
  });

  it('sends survey answers and follow-ups to the destination that wants them, without the comment', async () => {
    const ref = await complaint('hook-e');
    const t = (await ticketByReference(app.db, ref))!;
    await app.db.transaction(async (tx) => {
      await addEvent(tx, t.id, 'followup_sent', 'scheduler', {
        kind: 'satisfaction_check',
        followupId: 7,
        messages: [],
      });
      await addEvent(tx, t.id, 'satisfaction', 'customer', { score: 2, comment: 'the engineer never came' });
    });
    const before = receiver.got.length;
    await flush();
    expect(survey.bad).toEqual([]);
    expect(survey.got.map((g) => [g.type, g.payload.ticket?.reference, g.payload.data])).toEqual([
      ['followup.sent', ref, { kind: 'satisfaction_check', followupId: 7, messages: [] }],
      ['satisfaction.answered', ref, { score: 2 }],
    ]);
    expect(receiver.got.slice(before).map((g) => g.type)).not.toContain('satisfaction.answered');
  });

  it('a process with WEBHOOKS unset leaves the registered destinations alone; WEBHOOKS=[] removes them', async () => {
    const count = async () => (await app.db.query('SELECT id FROM webhook_destinations')).rows.length;
    const deps = { db: app.db, metrics: app.metrics, clock: clock.now, log: app.log };
    await prepareWebhooks(testConfig(), deps);
    expect(await count()).toBe(2);
    await prepareWebhooks(testConfig({ WEBHOOKS: '[]' }), deps);
    expect(await count()).toBe(0);
  });
});
