import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summary, summaryQuerySchema } from '../../../src/staff/summary.ts';
import { previousPeriod } from '../../../src/staff/previous-period.ts';
import type { Db } from '../../../src/store/db.ts';
import { DATABASE_URL, testDb } from '../../helpers.ts';
import { NOW, seedIndicatorTickets } from './indicators-fixture.ts';

// The indicators of #17 item 3 on the seeded tickets of indicators-fixture.ts, worked out by hand for 1–2 December
// (previous period 29–30 November) in UTC and in Shanghai (UTC+8). First scores: T1 5, T2 2, T3 3, T4 4, T5 1, T6 4.
// UTC: T1, T2, T4, T7 now; T3, T5 before. Shanghai: T1, T2, T3, T7 now; T5, T6 before.
let db: Db;
beforeAll(async () => {
  db = await testDb(DATABASE_URL ? 'pg' : 'pglite');
  await seedIndicatorTickets(db);
});
afterAll(async () => {
  await db?.close();
});

const indicators = async (tz: string) =>
  (await summary(db, summaryQuerySchema.parse({ from: '2026-12-01', to: '2026-12-03', tz }), NOW)).indicators;
// One value of a dimension: answered, average; the same before; the change of the average.
const cell = (
  id: string | null,
  a: number,
  avg: number | null,
  pa: number,
  pavg: number | null,
  change: number | null,
) => ({
  id,
  answered: a,
  average: avg,
  previousAnswered: pa,
  previousAverage: pavg,
  change,
});

describe('complaints per 1,000 orders and customers', () => {
  // Quality's orders of 1 and 2 December: 2,000 + 3,000 (30 Nov and 3 Dec are outside); billing's customers 400 + 600.
  it('in UTC: quality has T1, billing T2 and T4, logistics T7 (no volumes: null)', async () => {
    expect((await indicators('UTC')).complaintRate).toEqual({
      overall: { complaints: 4, orders: 5000, customers: 1000, perThousandOrders: 0.8, perThousandCustomers: 4 },
      byDepartment: [
        {
          department: 'billing',
          complaints: 2,
          orders: null,
          customers: 1000,
          perThousandOrders: null,
          perThousandCustomers: 2,
        },
        {
          department: 'logistics',
          complaints: 1,
          orders: null,
          customers: null,
          perThousandOrders: null,
          perThousandCustomers: null,
        },
        {
          department: 'quality',
          complaints: 1,
          orders: 5000,
          customers: null,
          perThousandOrders: 0.2,
          perThousandCustomers: null,
        },
      ],
    });
  });

  it('in Shanghai: T3 joins quality, T4 falls on 3 December; the same days of volumes', async () => {
    expect((await indicators('Asia/Shanghai')).complaintRate).toEqual({
      overall: { complaints: 4, orders: 5000, customers: 1000, perThousandOrders: 0.8, perThousandCustomers: 4 },
      byDepartment: [
        {
          department: 'billing',
          complaints: 1,
          orders: null,
          customers: 1000,
          perThousandOrders: null,
          perThousandCustomers: 1,
        },
        {
          department: 'logistics',
          complaints: 1,
          orders: null,
          customers: null,
          perThousandOrders: null,
          perThousandCustomers: null,
        },
        {
          department: 'quality',
          complaints: 2,
          orders: 5000,
          customers: null,
          perThousandOrders: 0.4,
          perThousandCustomers: null,
        },
      ],
    });
  });

  it('a volume’s day is a calendar day of the period’s zone, counted when its midnight there is in the period', async () => {
    // Shanghai's 1 December: [30 Nov 16:00, 1 Dec 16:00) UTC holds T3, T1, T2 and T7, and 1 December's volumes.
    const shanghai = summaryQuerySchema.parse({
      from: '2026-11-30T16:00:00Z',
      to: '2026-12-01T16:00:00Z',
      tz: 'Asia/Shanghai',
    });
    expect((await summary(db, shanghai, NOW)).indicators.complaintRate.overall).toEqual({
      complaints: 4,
      orders: 2000,
      customers: 400,
      perThousandOrders: 2,
      perThousandCustomers: 10,
    });
    // [1 Dec 20:00, 2 Dec 10:00) UTC holds UTC's midnight of 2 December but no Shanghai midnight (16:00 UTC).
    const q = summaryQuerySchema.parse({ from: '2026-12-01T20:00:00Z', to: '2026-12-02T10:00:00Z', tz: 'UTC' });
    expect((await summary(db, q, NOW)).indicators.complaintRate.overall).toMatchObject({
      orders: 3000,
      customers: 600,
    });
    const there = (await summary(db, { ...q, tz: 'Asia/Shanghai' }, NOW)).indicators.complaintRate.overall;
    expect(there).toEqual({
      complaints: 0,
      orders: null,
      customers: null,
      perThousandOrders: null,
      perThousandCustomers: null,
    });
  });
});

describe('satisfaction by dimension against the previous period', () => {
  it('in UTC (before: T3 urgent 3 and T5 serious 1, both U1)', async () => {
    const s = (await indicators('UTC')).satisfactionBy;
    expect(s.previousPeriod).toEqual({ from: '2026-11-29', to: '2026-12-01' });
    expect(s.category).toEqual([cell('billing_pricing', 2, 3, 0, null, null), cell('product_quality', 1, 5, 2, 2, 3)]);
    expect(s.channel).toEqual([cell('webchat', 2, 4.5, 2, 2, 2.5), cell('email', 1, 2, 0, null, null)]);
    expect(s.severity).toEqual([
      cell('serious', 2, 4.5, 1, 1, 3.5),
      cell('ordinary', 1, 2, 0, null, null),
      cell('urgent', 0, null, 1, 3, null),
    ]);
    expect(s.department).toEqual([cell('billing', 2, 3, 0, null, null), cell('quality', 1, 5, 2, 2, 3)]);
    expect(s.staff).toEqual([
      cell('U1', 1, 5, 2, 2, 3),
      cell('U2', 1, 2, 0, null, null),
      cell(null, 1, 4, 0, null, null),
    ]);
    expect(s.tier).toEqual([
      cell('core', 2, 4.5, 1, 1, 3.5),
      cell(null, 1, 2, 0, null, null),
      cell('key', 0, null, 1, 3, null),
    ]);
  });

  it('in Shanghai (before: T5 serious 1 by U1, T6 ordinary 4 by email, unclaimed, no tier)', async () => {
    const s = (await indicators('Asia/Shanghai')).satisfactionBy;
    expect(s.category).toEqual([
      cell('product_quality', 2, 4, 2, 2.5, 1.5),
      cell('billing_pricing', 1, 2, 0, null, null),
    ]);
    expect(s.channel).toEqual([cell('webchat', 2, 4, 1, 1, 3), cell('email', 1, 2, 1, 4, -2)]);
    expect(s.severity).toEqual([
      cell('ordinary', 1, 2, 1, 4, -2),
      cell('serious', 1, 5, 1, 1, 4),
      cell('urgent', 1, 3, 0, null, null),
    ]);
    expect(s.department).toEqual([cell('quality', 2, 4, 2, 2.5, 1.5), cell('billing', 1, 2, 0, null, null)]);
    expect(s.staff).toEqual([
      cell('U1', 2, 4, 1, 1, 3),
      cell('U2', 1, 2, 0, null, null),
      cell(null, 0, null, 1, 4, null),
    ]);
    expect(s.tier).toEqual([cell('core', 1, 5, 1, 1, 4), cell('key', 1, 3, 0, null, null), cell(null, 1, 2, 1, 4, -2)]);
  });

  it('reads the first score as the summary’s satisfaction does: the answers and the average agree', async () => {
    for (const tz of ['UTC', 'Asia/Shanghai']) {
      const s = await summary(db, summaryQuerySchema.parse({ from: '2026-12-01', to: '2026-12-03', tz }), NOW);
      for (const dim of ['category', 'channel', 'severity', 'department', 'staff', 'tier'] as const) {
        const rows = s.indicators.satisfactionBy[dim];
        expect(rows.reduce((a, r) => a + r.answered, 0)).toBe(s.satisfaction.answered);
        const sum = rows.reduce((a, r) => a + r.answered * (r.average ?? 0), 0);
        expect(Math.round((sum / s.satisfaction.answered) * 100) / 100).toBe(s.satisfaction.average);
      }
    }
  });

  it('the previous period has the same length: days for dates, time for instants', () => {
    const q = (from: string, to: string) => ({ from, to, tz: 'Asia/Shanghai' });
    expect(previousPeriod(q('2026-03-01', '2026-04-01'))).toMatchObject({ from: '2026-01-29', to: '2026-03-01' });
    expect(previousPeriod(q('2026-12-01T06:00:00Z', '2026-12-01T10:00:00Z'))).toMatchObject({
      from: '2026-12-01T02:00:00.000Z',
      to: '2026-12-01T06:00:00.000Z',
    });
    // A date is midnight in the zone: Shanghai's 2 December starts at 1 Dec 16:00 UTC.
    expect(previousPeriod(q('2026-12-02', '2026-12-02T04:00:00Z'))).toMatchObject({
      from: '2026-12-01T04:00:00.000Z',
      to: '2026-12-01T16:00:00.000Z',
    });
    // Across a change of clocks (New York, 8 March 2026): midnight is 05:00 UTC before it.
    expect(previousPeriod({ from: '2026-03-09', to: '2026-03-09T12:00:00Z', tz: 'America/New_York' })).toMatchObject({
      from: '2026-03-08T20:00:00.000Z',
      to: '2026-03-09T04:00:00.000Z',
    });
  });
});

describe('per person', () => {
  // SLA at NOW: T1 met (U1), T2 breached (U2), T3 open past its SLA (U1), T4 open within it, T7 withdrawn (neither).
  // Recovery: T2 round 1 U2 recovered, round 2 U1 open; T3 U1 not recovered; T4 no owner, open.
  it('in UTC', async () => {
    expect((await indicators('UTC')).people).toEqual({
      sla: [
        { staff: 'U1', met: 1, breached: 0, pending: 0 },
        { staff: 'U2', met: 0, breached: 1, pending: 0 },
        { staff: null, met: 0, breached: 0, pending: 1 },
      ],
      recovery: [
        { owner: 'U1', tasks: 1, recovered: 0, rate: 0 },
        { owner: 'U2', tasks: 1, recovered: 1, rate: 1 },
        { owner: null, tasks: 1, recovered: 0, rate: 0 },
      ],
    });
  });

  it('in Shanghai', async () => {
    expect((await indicators('Asia/Shanghai')).people).toEqual({
      sla: [
        { staff: 'U1', met: 1, breached: 1, pending: 0 },
        { staff: 'U2', met: 0, breached: 1, pending: 0 },
        { staff: null, met: 0, breached: 0, pending: 0 },
      ],
      recovery: [
        { owner: 'U1', tasks: 2, recovered: 0, rate: 0 },
        { owner: 'U2', tasks: 1, recovered: 1, rate: 1 },
      ],
    });
  });

  it('SLA per person adds up to SLA per department', async () => {
    for (const tz of ['UTC', 'Asia/Shanghai']) {
      const s = await summary(db, summaryQuerySchema.parse({ from: '2026-11-25', to: '2026-12-05', tz }), NOW);
      const total = (rows: Array<{ met: number; breached: number; pending: number }>) =>
        rows.reduce((a, r) => [a[0] + r.met, a[1] + r.breached, a[2] + r.pending], [0, 0, 0]);
      expect(total(s.indicators.people.sla)).toEqual(total(s.sla));
    }
  });
});
