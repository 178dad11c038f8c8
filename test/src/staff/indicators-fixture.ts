/**
 * Seven tickets near midnight, with scores, claimers, tiers, recovery tasks and volumes, for the indicators of issue #17
 * item 3 (test/src/staff/indicators.test.ts works their figures out by hand). Times are UTC; Shanghai is UTC+8:
 * T3 (30 Nov 18:00) is 1 December there, T4 (2 Dec 20:00) 3 December, T6 (28 Nov 20:00) 29 November.
 */
import type { Db } from '../../../src/store/db.ts';
import { fixtureTicket } from '../store/ticket-fixture.ts';

/** The clock the figures are read at: SLAs of open tickets are judged against it. */
export const NOW = new Date('2026-12-05T00:00:00Z');
const H = 3_600_000;

interface Seed {
  at: string;
  department: string;
  category: string;
  channel: string;
  severity: string;
  status: string;
  claimedBy: string | null;
  tier: string | null;
  scores: number[];
  slaHours: number;
  resolvedAfterHours?: number;
  /** Recovery tasks: owner and outcome (null: still open). */
  tasks?: Array<[string | null, 'recovered' | 'not_recovered' | null]>;
}

const TICKETS: Record<string, Seed> = {
  T1: {
    at: '2026-12-01T10:00:00Z',
    ...{ department: 'quality', category: 'product_quality', channel: 'webchat', severity: 'serious' },
    ...{ status: 'resolved', claimedBy: 'U1', tier: 'core', scores: [5], slaHours: 24, resolvedAfterHours: 2 },
  },
  T2: {
    at: '2026-12-01T12:00:00Z',
    ...{ department: 'billing', category: 'billing_pricing', channel: 'email', severity: 'ordinary' },
    ...{ status: 'resolved', claimedBy: 'U2', tier: null, scores: [2, 4], slaHours: 24, resolvedAfterHours: 30 },
    tasks: [
      ['U2', 'recovered'],
      ['U1', null],
    ],
  },
  T3: {
    at: '2026-11-30T18:00:00Z',
    ...{ department: 'quality', category: 'product_quality', channel: 'webchat', severity: 'urgent' },
    ...{ status: 'open', claimedBy: 'U1', tier: 'key', scores: [3], slaHours: 6 },
    tasks: [['U1', 'not_recovered']],
  },
  T4: {
    at: '2026-12-02T20:00:00Z',
    ...{ department: 'billing', category: 'billing_pricing', channel: 'webchat', severity: 'serious' },
    ...{ status: 'open', claimedBy: null, tier: 'core', scores: [4], slaHours: 76 },
    tasks: [[null, null]],
  },
  T5: {
    at: '2026-11-29T10:00:00Z',
    ...{ department: 'quality', category: 'product_quality', channel: 'webchat', severity: 'serious' },
    ...{ status: 'resolved', claimedBy: 'U1', tier: 'core', scores: [1], slaHours: 24, resolvedAfterHours: 5 },
  },
  T6: {
    at: '2026-11-28T20:00:00Z',
    ...{ department: 'quality', category: 'product_quality', channel: 'email', severity: 'ordinary' },
    ...{ status: 'resolved', claimedBy: null, tier: null, scores: [4], slaHours: 72, resolvedAfterHours: 5 },
  },
  T7: {
    at: '2026-12-01T15:00:00Z',
    ...{ department: 'logistics', category: 'delivery_logistics', channel: 'webchat', severity: 'serious' },
    ...{ status: 'withdrawn', claimedBy: null, tier: null, scores: [], slaHours: 72 },
  },
};

/** Volumes: quality's orders on four days (two outside the period), billing's customers on two. */
export const VOLUMES = [
  { day: '2026-11-30', department: 'quality', kind: 'orders', count: 1000 },
  { day: '2026-12-01', department: 'quality', kind: 'orders', count: 2000 },
  { day: '2026-12-02', department: 'quality', kind: 'orders', count: 3000 },
  { day: '2026-12-03', department: 'quality', kind: 'orders', count: 5000 },
  { day: '2026-12-01', department: 'billing', kind: 'customers', count: 400 },
  { day: '2026-12-02', department: 'billing', kind: 'customers', count: 600 },
] as const;

/** Seeds T1 … T7 (references are their keys' tickets) and the volumes into `db`. */
export async function seedIndicatorTickets(db: Db): Promise<void> {
  for (const [key, s] of Object.entries(TICKETS)) {
    const t = await fixtureTicket(db, `indicators-${key}`);
    const at = new Date(s.at).getTime();
    await db.query(
      `UPDATE tickets SET created_at = $2, department = $3, category = $4, channel = $5, severity = $6, status = $7,
              claimed_by = $8, sla_due_at = $9, resolved_at = $10 WHERE id = $1`,
      [
        t.id,
        new Date(at),
        s.department,
        s.category,
        s.channel,
        s.severity,
        s.status,
        s.claimedBy,
        new Date(at + s.slaHours * H),
        s.resolvedAfterHours === undefined ? null : new Date(at + s.resolvedAfterHours * H),
      ],
    );
    await db.query(
      'UPDATE customers SET tier = $2 FROM tickets WHERE tickets.id = $1 AND customers.id = tickets.customer_id',
      [t.id, s.tier],
    );
    for (const score of s.scores)
      await db.query(
        "INSERT INTO ticket_events (ticket_id, kind, actor, data) VALUES ($1, 'satisfaction', 'customer', $2)",
        [t.id, JSON.stringify({ score })],
      );
    for (const [i, [owner, outcome]] of (s.tasks ?? []).entries())
      await db.query(
        'INSERT INTO recovery_tasks (ticket_id, round, owner, state, due_at, outcome) VALUES ($1, $2, $3, $4, $5, $6)',
        [t.id, i + 1, owner, outcome ? 'contacted' : 'open', new Date(at + 48 * H), outcome],
      );
  }
  for (const v of VOLUMES)
    await db.query("INSERT INTO volumes (day, department, kind, count, imported_by) VALUES ($1, $2, $3, $4, 'test')", [
      v.day,
      v.department,
      v.kind,
      v.count,
    ]);
}
