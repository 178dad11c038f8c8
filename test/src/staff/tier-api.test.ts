import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redress } from '../../../src/main.ts';
import { eraseCustomer } from '../../../src/privacy/erase.ts';
import { ADMIN_TOKEN, DATABASE_URL, missing, staffGet, startTestApp } from '../../helpers.ts';

// The staff API sets a customer's tier by contact point or by ticket, on PostgreSQL; the next complaint of that
// customer is routed with it (routing.yaml: core is raised to serious and answered in half the time).
let app: Redress;
beforeAll(async () => {
  if (missing('postgres')) return;
  app = await startTestApp('pg', { jobs: false });
});
afterAll(async () => {
  await app?.stop();
});

const post = (path: string, body: unknown, token = ADMIN_TOKEN) =>
  fetch(`${app.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
let n = 0;
/** A complaint by email from `from` (the email channel vouches for its From address); the ticket as staff see it. */
const emailComplaint = async (from: string) => {
  const key = `<tier-${++n}@customer.example>`;
  const r = await app.engine.handle({
    channel: 'email',
    conversationKey: key,
    messageKey: key,
    text: `My desk lamp from order 4112${n} arrived broken last Tuesday. I want a replacement. Lena Fox`,
    sender: { id: from },
    verified: { email: from },
    address: { email: from, subject: 'Broken lamp', lastMessageId: key, references: [key] },
    style: 'letter',
  });
  expect(r.ticketReference).toMatch(/^CMP-/);
  return (await staffGet(app, `/api/tickets/${r.ticketReference}`)).body;
};
const hours = (t: { createdAt: string; slaDueAt: string }) =>
  (Date.parse(t.slaDueAt) - Date.parse(t.createdAt)) / 3_600_000;

describe.skipIf(!DATABASE_URL && !process.env.CI)('customer tiers through the staff API', () => {
  it('a tier set by email address routes that customer’s next complaint, once; the same call again changes nothing', async () => {
    const before = await emailComplaint('dora@example.com');
    expect(before).toMatchObject({ severity: 'ordinary', tier: null, tierChanges: [] });
    expect(hours(before)).toBeCloseTo(72, 1);

    const set = await post('/api/customers/tier', { email: 'Bob@Example.com', tier: 'core', by: 'alice' });
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual({
      tier: 'core',
      points: [{ kind: 'email', value: 'bob@example.com' }],
      changed: 1,
    });
    expect(
      await (await post('/api/customers/tier', { email: 'bob@example.com', tier: 'core', by: 'alice' })).json(),
    ).toMatchObject({ changed: 0 });

    const t = await emailComplaint('bob@example.com');
    expect(t).toMatchObject({ severity: 'serious', tier: 'core' });
    expect(hours(t)).toBeCloseTo(12, 1);
    expect(t.routingReasons).toEqual(
      expect.arrayContaining(['serious: core customer (tier core)', 'SLA ×0.5 for tier core']),
    );
    expect(t.tierChanges).toEqual([{ from: null, to: 'core', by: 'staff:alice', via: 'api', at: expect.any(String) }]);
  });

  it('a tier set by ticket reference is a ticket event of the staff member, and reaches the customer’s next ticket', async () => {
    const first = await emailComplaint('erin@example.com');
    const r = await post(`/api/tickets/${first.reference.toLowerCase()}/tier`, { tier: 'key', by: 'carol' });
    expect(r.status).toBe(200);
    const t = await r.json();
    expect(t.tier).toBe('key');
    expect(t.events.filter((e: { kind: string }) => e.kind === 'tier_changed')).toEqual([
      expect.objectContaining({ actor: 'staff:carol', data: { from: 'ordinary', to: 'key' } }),
    ]);
    expect(t.tierChanges).toEqual([{ from: null, to: 'key', by: 'staff:carol', via: 'api', at: expect.any(String) }]);
    // Setting the tier the customer has already adds no event.
    await post(`/api/tickets/${first.reference}/tier`, { tier: 'key', by: 'carol' });
    const again = (await staffGet(app, `/api/tickets/${first.reference}`)).body;
    expect(again.events.filter((e: { kind: string }) => e.kind === 'tier_changed')).toHaveLength(1);
    // The ticket already open keeps its SLA (staff change severity on it); the next one is a key customer's.
    expect(again.severity).toBe(first.severity);
    const next = await emailComplaint('erin@example.com');
    expect(next.tier).toBe('key');
    expect(next.routingReasons).toContain('SLA ×0.75 for tier key');
  });

  it('a phone number is kept as the identity a call vouches for', async () => {
    const r = await post('/api/customers/tier', { phone: '+1 415-555-0100', tier: 'key', by: 'alice' });
    expect(await r.json()).toMatchObject({ points: [{ kind: 'channel', value: 'phone:+14155550100' }], changed: 1 });
  });

  it('an erasure forgets the tiers kept on the person, whether or not they ever complained', async () => {
    const tiers = async (value: string) =>
      (await app.db.query('SELECT 1 FROM customer_tiers WHERE value = $1', [value])).rows.length;
    // Imported by email for someone who never complained, and set for a complainant.
    expect(
      (await post('/api/customers/tier', { email: 'never.wrote@example.com', tier: 'key', by: 'alice' })).status,
    ).toBe(200);
    const t = await emailComplaint('wrote.once@example.com');
    expect((await post(`/api/tickets/${t.reference}/tier`, { tier: 'core', by: 'alice' })).status).toBe(200);
    expect([await tiers('never.wrote@example.com'), await tiers('wrote.once@example.com')]).toEqual([1, 1]);
    for (const email of ['never.wrote@example.com', 'Wrote.Once@example.com'])
      await eraseCustomer(app.db, { email }, { actor: 'dpo', now: new Date() });
    expect([await tiers('never.wrote@example.com'), await tiers('wrote.once@example.com')]).toEqual([0, 0]);
    const changes = await app.db.query(
      "SELECT 1 FROM customer_tier_changes WHERE value IN ('never.wrote@example.com', 'wrote.once@example.com')",
    );
    expect(changes.rows).toEqual([]);
  });

  it('refuses what it cannot do, saying why', async () => {
    const ref = (await emailComplaint('fay@example.com')).reference;
    const refused = async (path: string, body: unknown, status: number, token = ADMIN_TOKEN) => {
      const r = await post(path, body, token);
      expect(r.status).toBe(status);
      return (await r.json()).error.message as string;
    };
    expect(await refused(`/api/tickets/${ref}/tier`, { tier: 'gold', by: 'x' }, 400)).toBe(
      'unknown tier "gold"; known: core, key, ordinary',
    );
    expect(await refused(`/api/tickets/${ref}/tier`, { tier: 'key' }, 400)).toMatch(/^by: /);
    expect(await refused('/api/tickets/CMP-999999/tier', { tier: 'key', by: 'x' }, 404)).toBe('no ticket CMP-999999');
    expect(await refused('/api/customers/tier', { tier: 'key', by: 'x' }, 400)).toBe(
      'give an email, a phone or an account',
    );
    expect(await refused('/api/customers/tier', { phone: '415 555 0100', tier: 'key', by: 'x' }, 400)).toMatch(
      /country code/,
    );
    expect(await refused('/api/customers/tier', { email: 'a@b.co', tier: 'key', by: 'x' }, 401, 'wrong')).toMatch(
      /ADMIN_TOKEN/,
    );
    const t = (await staffGet(app, `/api/tickets/${ref}`)).body;
    expect(t.tierChanges).toEqual([]);
  });
});
