import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Outbound, PushChannel } from '../../../src/core/ports.ts';
import type { Redress } from '../../../src/main.ts';
import { STAFF_CHANNEL, staffPush } from '../../../src/staff/staff-logged.ts';
import { ADMIN_TOKEN, DATABASE_URL, missing, startTestApp } from '../../helpers.ts';

// The whole Redress on PostgreSQL, POST /api/tickets as src/compose/staff-routes.ts wires it.
let app: Redress;
let url: string;
// What the staff channel's push side handed to "email": a recording stand-in for the SMTP sender.
const mailed: Outbound[][] = [];
const email: PushChannel = {
  send: async (group) => void mailed.push(group),
  newExternalId: () => `<${Math.random()}@t>`,
};

beforeAll(async () => {
  if (missing('postgres')) return;
  app = await startTestApp('pg', { jobs: false });
  // The email channel is not configured here: its sender is the stand-in above.
  app.deliver.register(STAFF_CHANNEL, staffPush(email));
  url = app.url;
});
afterAll(async () => {
  await app?.stop();
});

const post = (body: unknown, token = ADMIN_TOKEN) =>
  fetch(`${url}/api/tickets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const complaint =
  'My order AB7712 arrived broken on 14 November and nobody answered my three emails about it. I want a refund.';
const repliesOf = async (reference: string) =>
  (
    await app.db.query<{ text: string; delivery: string }>(
      `SELECT m.text, m.delivery FROM messages m JOIN tickets t ON t.conversation_id = m.conversation_id
        WHERE t.reference = $1 AND m.direction = 'out' ORDER BY m.id`,
      [reference],
    )
  ).rows;

describe.skipIf(!DATABASE_URL && !process.env.CI)('POST /api/tickets (staff-logged complaints)', () => {
  it.each(['in_person', 'letter', 'phone_call', 'partner'] as const)(
    'opens a routed ticket for a %s complaint, with the source and who logged it',
    async (source) => {
      const r = await post({
        source,
        text: complaint,
        customer: { name: 'Miriam Cole', email: `miriam.${source}@example.com`, phone: '+14155550132' },
        loggedBy: 'alice',
        externalId: `desk-${source}`,
      });
      expect(r.status).toBe(201);
      const t = await r.json();
      expect(t).toMatchObject({ channel: 'staff', status: 'open', source, loggedBy: 'alice' });
      expect(t.customer.email).toContain(`miriam.${source}@example.com`);
      expect(t.record.orderNumber).toBe('AB7712');
      expect(t.restatement).toMatch(/AB7712/);
      // The signed contact points are read as contact points, not as part of the complaint.
      expect(t.restatement).not.toMatch(/Miriam|example\.com|5550132/);
      // Every staff action is a ticket event with the acting user.
      expect(t.events.filter((e: { kind: string }) => e.kind === 'logged_by_staff')).toEqual([
        expect.objectContaining({ actor: 'staff:alice', data: { source, loggedBy: 'alice' } }),
      ]);
      // The restatement is the recorded reply, handed to the outbox for the staff channel's push side (the turn wakes
      // the outbox, so it may already be sent).
      const replies = await repliesOf(t.reference);
      expect(replies.map((x) => x.text).join('\n')).toContain(t.restatement);
      expect(replies.every((x) => x.delivery !== 'none')).toBe(true);
    },
  );

  it('sends the restatement by email when an address was given', async () => {
    mailed.length = 0;
    const t = await (
      await post({ source: 'letter', text: complaint, customer: { email: 'k@example.com' }, loggedBy: 'bob' })
    ).json();
    await app.outbox.flush();
    const group = mailed.find((g) => g[0].ticketReference === t.reference);
    expect(group?.[0].address).toMatchObject({ email: 'k@example.com' });
    expect(group!.map((m) => m.text).join('\n')).toContain(t.restatement);
    expect((await repliesOf(t.reference)).every((x) => x.delivery === 'sent')).toBe(true);
  });

  it('without an email the reply stays recorded and unsent: nothing waits in the outbox for an address there is not', async () => {
    const t = await (
      await post({ source: 'in_person', text: complaint, customer: { phone: '+14155550199' }, loggedBy: 'bob' })
    ).json();
    await app.outbox.flush();
    expect(mailed.some((g) => g[0].ticketReference === t.reference)).toBe(false);
    const replies = await repliesOf(t.reference);
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.every((x) => x.delivery === 'none')).toBe(true);
  });

  it('a retry with the same externalId is the same ticket (200), with one event', async () => {
    const body = { source: 'partner', text: complaint, customer: {}, loggedBy: 'carol', externalId: 'partner-77' };
    const a = await post(body);
    const b = await post({ ...body, loggedBy: 'dave' });
    expect([a.status, b.status]).toEqual([201, 200]);
    const [ta, tb] = [await a.json(), await b.json()];
    expect(tb.reference).toBe(ta.reference);
    expect(tb.loggedBy).toBe('carol');
    expect(tb.events.filter((e: { kind: string }) => e.kind === 'logged_by_staff')).toHaveLength(1);
    const n = await app.db.query<{ n: string }>(
      "SELECT count(*) AS n FROM tickets WHERE channel = 'staff' AND reference = $1",
      [ta.reference],
    );
    expect(Number(n.rows[0].n)).toBe(1);
  });

  it('answers 200 with no ticket when the text holds no complaint', async () => {
    const r = await post({ source: 'letter', text: 'Thank you all for the lovely trip last week!', loggedBy: 'alice' });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ ticket: null, reason: expect.stringMatching(/no complaint/) });
  });

  it.each([
    [{ text: complaint, loggedBy: 'a' }, /source/],
    [{ source: 'fax', text: complaint, loggedBy: 'a' }, /source/],
    [{ source: 'letter', text: '   ', loggedBy: 'a' }, /text/],
    [{ source: 'letter', text: 'x'.repeat(20_001), loggedBy: 'a' }, /text/],
    [{ source: 'letter', text: complaint }, /loggedBy/],
    [{ source: 'letter', text: complaint, loggedBy: 'a', customer: { email: 'not-an-address' } }, /customer\.email/],
  ])('refuses a bad body with 400 naming the field (%#)', async (body, field) => {
    const r = await post(body);
    expect(r.status).toBe(400);
    expect((await r.json()).error).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(field) });
  });

  it('refuses a request without the staff token', async () => {
    const before = await app.db.query<{ n: string }>("SELECT count(*) AS n FROM messages WHERE channel = 'staff'");
    const r = await post({ source: 'letter', text: complaint, loggedBy: 'a' }, 'wrong-token');
    expect(r.status).toBe(401);
    const after = await app.db.query<{ n: string }>("SELECT count(*) AS n FROM messages WHERE channel = 'staff'");
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });
});
