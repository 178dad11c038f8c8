/**
 * The roll-up (migrations/0027_summary_rollup.sql) against the summary computed straight from the tickets
 * (summary-oracle.ts): 400 tickets with events, resolutions, recovery tasks, tiers and imported volumes, changed after
 * they were made, read over periods cut at odd hours and in zones whole, half and three quarters of an hour off UTC,
 * before and after the roll-up is folded. Every figure must be the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/store/db.ts';
import { compactSummaryRollup, drainTicketFacts } from '../../../src/store/summary-rollup.ts';
import { summary, type SummaryQuery } from '../../../src/staff/summary.ts';
import { DATABASE_URL, testDb } from '../../helpers.ts';
import { rawSummary } from './summary-oracle.ts';

const NOW = new Date('2026-03-20T09:30:00Z');
const DEPARTMENTS = ['quality', 'billing', 'logistics'];
let db: Db;

// A small deterministic generator (mulberry32), so a failure can be replayed.
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

beforeAll(async () => {
  db = await testDb(DATABASE_URL ? 'pg' : 'pglite');
  const r = rng(17);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const MIN = 60_000;
  await db.exec(`INSERT INTO customers (name) SELECT 'customer ' || g FROM generate_series(1, 60) g`);
  for (let i = 1; i <= 400; i++) {
    // Times on whole 36-second steps, durations on 6-minute steps (or whole hours past 100 h): the precision the
    // roll-up's duration histogram keeps, so its median and 90th percentile equal the exact ones.
    const created = new Date(Date.parse('2026-03-01T00:00:00Z') + Math.floor(r() * 18 * 2400) * 36_000);
    const status = pick(['open', 'in_progress', 'resolved', 'resolved', 'closed', 'withdrawn', 'reopened']);
    const resolvedMin = r() < 0.8 ? 6 * Math.floor(r() * 900) : 60 * (100 + Math.floor(r() * 100));
    const resolved = ['resolved', 'closed'].includes(status) ? new Date(created.getTime() + resolvedMin * MIN) : null;
    const customer = 1 + Math.floor(r() * 60);
    const { rows } = await db.query<{ id: number }>(
      `WITH c AS (INSERT INTO conversations (channel, conversation_key, customer_id) VALUES ($1, $2, $3) RETURNING id)
       INSERT INTO tickets (reference, conversation_id, customer_id, channel, language, department, category, severity,
                            status, handoff, claimed_by, record, restatement, sla_due_at, resolved_at, created_at)
       SELECT $4, c.id, $3, $1, 'en', $5, $6, $7, $8, $9, $10, '{"customerWords": ["words"], "declined": []}', 'r', $11, $12, $13
         FROM c RETURNING id`,
      [
        pick(['webchat', 'email', 'phone', 'slack']),
        `k${i}`,
        customer,
        `CMP-${String(i).padStart(6, '0')}`,
        pick(DEPARTMENTS),
        pick(['product_quality', 'billing_pricing', 'delivery_logistics', 'service_attitude']),
        pick(['ordinary', 'serious', 'urgent']),
        status,
        r() < 0.2,
        pick([null, 'U1', 'U2', 'U3']),
        new Date(created.getTime() + pick([4, 24, 72, 480]) * 60 * MIN),
        resolved,
        created,
      ],
    );
    const id = rows[0].id;
    const at = (minutes: number) => new Date(created.getTime() + minutes * MIN);
    const event = (kind: string, actor: string, minutes: number, data: object = {}) =>
      db.query('INSERT INTO ticket_events (ticket_id, kind, actor, data, created_at) VALUES ($1, $2, $3, $4, $5)', [
        id,
        kind,
        actor,
        JSON.stringify(data),
        at(minutes),
      ]);
    await event('created', 'bot', 0);
    if (r() < 0.7) await event('claimed', pick(['slack:U1', 'staff-api']), 6 * Math.floor(r() * 600));
    if (r() < 0.5) await event('staff_reply', 'slack:U2', 6 * Math.floor(r() * 900));
    if (r() < 0.2) await event('staff_reply', 'staff-api', 6 * Math.floor(r() * 900));
    if (r() < 0.5) await event('status_resolved', 'slack:U1', 6 * Math.floor(r() * 900));
    if (r() < 0.2) await event('status_reopened', 'customer', 6 * Math.floor(r() * 900));
    for (let k = 0, m = r() < 0.5 ? 1 + Math.floor(r() * 2) : 0; k < m; k++)
      await event('satisfaction', 'customer', 9000 + k, { score: 1 + Math.floor(r() * 5) });
    for (let k = 0, m = r() < 0.3 ? 1 + Math.floor(r() * 2) : 0; k < m; k++) {
      const currency = pick([null, 'CNY', 'USD']);
      await db.query(
        `INSERT INTO resolutions (ticket_id, remedy, amount, currency, cost, cause, fault, resolved_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'slack:U1')`,
        [
          id,
          pick(['refund', 'apology', 'replacement']),
          currency ? 10 : null,
          currency,
          currency && r() < 0.8 ? Math.floor(r() * 10000) / 100 : null,
          pick(['defect', 'late_courier', 'rude_agent']),
          pick(['product', 'partner', 'staff']),
        ],
      );
    }
    if (r() < 0.15) {
      const outcome = pick([null, 'recovered', 'not_recovered']);
      await db.query(
        'INSERT INTO recovery_tasks (ticket_id, round, owner, state, due_at, outcome) VALUES ($1, 1, $2, $3, $4, $5)',
        [id, pick(['U1', 'U2', null]), outcome ? 'contacted' : 'open', at(3000), outcome],
      );
    }
  }
  // Changes after the fact: reassignments, status changes, claims and tiers, each through the update triggers.
  await db.exec(`UPDATE tickets SET department = 'billing', category = 'billing_pricing' WHERE id % 17 = 0;
                 UPDATE tickets SET status = 'closed', resolved_at = created_at + interval '30 hours' WHERE id % 23 = 0;
                 UPDATE tickets SET claimed_by = 'U9' WHERE id % 19 = 0;
                 UPDATE tickets SET updated_at = updated_at + interval '1 second';
                 UPDATE customers SET tier = 'gold' WHERE id % 3 = 0;
                 UPDATE recovery_tasks SET state = 'contacted', outcome = 'recovered' WHERE ticket_id % 2 = 0 AND outcome IS NULL;
                 INSERT INTO volumes (day, department, kind, count, imported_by)
                 SELECT d::date, dep, kind, 500 + (extract(day FROM d)::int * 37) % 400, 'test'
                   FROM generate_series(date '2026-02-20', date '2026-03-18', interval '1 day') d,
                        unnest(ARRAY['quality', 'billing']) dep, unnest(ARRAY['orders', 'customers']) kind
                  WHERE NOT (dep = 'billing' AND kind = 'customers');`);
});

afterAll(async () => {
  await db?.close();
});

const PERIODS: Array<Omit<SummaryQuery, 'department'>> = [
  { from: '2026-03-01', to: '2026-03-20', tz: 'UTC' },
  { from: '2026-03-03', to: '2026-03-11', tz: 'Asia/Shanghai' },
  { from: '2026-03-03', to: '2026-03-11', tz: 'Asia/Kolkata' },
  { from: '2026-03-02', to: '2026-03-16', tz: 'Asia/Kathmandu' },
  // Daylight saving time starts on 8 March in New York.
  { from: '2026-03-05', to: '2026-03-12', tz: 'America/New_York' },
  { from: '2026-03-04T07:13:00Z', to: '2026-03-09T22:41:30Z', tz: 'UTC' },
  { from: '2026-03-06T10:00:00+05:30', to: '2026-03-06T23:30:00+05:30', tz: 'Asia/Kolkata' },
  { from: '2026-03-07', to: '2026-03-08', tz: 'America/St_Johns' },
];

// Durations are compared to the hundredth of an hour both sides round to; everything else exactly.
function comparable(s: Awaited<ReturnType<typeof summary>>) {
  const hours = (h: { median: number | null; p90: number | null; tickets: number }) => ({
    ...h,
    median: h.median === null ? null : Math.round(h.median * 10) / 10,
    p90: h.p90 === null ? null : Math.round(h.p90 * 10) / 10,
  });
  return { ...s, hoursToResolution: hours(s.hoursToResolution), hoursToFirstResponse: hours(s.hoursToFirstResponse) };
}

describe('the summary read from the roll-up', () => {
  for (const folded of [false, true])
    for (const p of PERIODS)
      for (const department of [undefined, 'billing'])
        it(`equals the summary read from the tickets: ${p.from}…${p.to} ${p.tz}${department ? ` in ${department}` : ''}${folded ? ', folded' : ''}`, async () => {
          if (folded) {
            await drainTicketFacts(db);
            await compactSummaryRollup(db);
          }
          const q = { ...p, department };
          const raw = await rawSummary(db, q, NOW);
          expect(raw.received.total).toBeGreaterThan(0);
          expect(comparable(await summary(db, q, NOW))).toEqual(comparable(raw as never));
        });

  it('folds to one row per key, and a second fold finds nothing to do', async () => {
    await drainTicketFacts(db);
    await compactSummaryRollup(db);
    const { rows } = await db.query<{ loose: number; dup: number }>(
      `SELECT count(*) FILTER (WHERE NOT folded)::int AS loose,
              (SELECT count(*) FROM (SELECT 1 FROM summary_rollup GROUP BY grain, bucket, department, dim, value HAVING count(*) > 1) x)::int AS dup
         FROM summary_rollup`,
    );
    expect(rows[0]).toEqual({ loose: 0, dup: 0 });
    expect(await compactSummaryRollup(db)).toBe(0);
  });

  // Two connections: PostgreSQL only (PGlite has one).
  it.skipIf(!DATABASE_URL)(
    'never makes two transactions on one ticket wait on each other, and counts both',
    async () => {
      const q = { from: '2026-03-01', to: '2026-03-20', tz: 'UTC' };
      const before = await summary(db, q, NOW);
      // An open ticket no one on staff has answered yet.
      const { rows } = await db.query<{ id: number }>(
        `SELECT id FROM tickets t WHERE status = 'open' AND NOT EXISTS (
         SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND (e.actor LIKE 'slack:%' OR e.actor = 'staff-api'))
       ORDER BY id LIMIT 1`,
      );
      const id = rows[0].id;
      let commit!: () => void;
      const held = new Promise<void>((r) => (commit = r));
      let added!: () => void;
      const adding = new Promise<void>((r) => (added = r));
      const open = db.transaction(async (tx) => {
        await tx.query("INSERT INTO ticket_events (ticket_id, kind, actor) VALUES ($1, 'claimed', 'slack:U7')", [id]);
        added();
        await held;
      });
      await adding;
      // Another transaction changes the same ticket's row and events while the first is still open: it must not wait.
      const other = db.transaction(async (tx) => {
        await tx.query("UPDATE tickets SET status = 'withdrawn' WHERE id = $1", [id]);
        await tx.query(
          "INSERT INTO ticket_events (ticket_id, kind, actor) VALUES ($1, 'status_withdrawn', 'customer')",
          [id],
        );
      });
      const waited = await Promise.race([other.then(() => false), new Promise((r) => setTimeout(() => r(true), 5000))]);
      commit();
      await open;
      await other;
      expect(waited).toBe(false);
      const after = await summary(db, q, NOW);
      expect(after.status.withdrawn).toBe(before.status.withdrawn + 1);
      expect(after.status.open).toBe(before.status.open - 1);
      expect(after.hoursToFirstResponse.tickets).toBe(before.hoursToFirstResponse.tickets + 1);
      expect(comparable(after)).toEqual(comparable((await rawSummary(db, q, NOW)) as never));
    },
  );
});
