import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outcomesTable } from '../../../src/staff/dashboard-outcomes.ts';
import { dashboardNames } from '../../../src/staff/dashboard-i18n.ts';
import { summary, summaryQuerySchema } from '../../../src/staff/summary.ts';
import { loadRoutingConfig } from '../../../src/router/routing-file.ts';
import type { Db } from '../../../src/store/db.ts';
import { startRedress } from '../../../src/main.ts';
import { ADMIN_TOKEN, DATABASE_URL, testConfig, testDb } from '../../helpers.ts';
import { fixtureTicket } from '../../src/store/ticket-fixture.ts';

// The outcome indicators of #17 (resolution rate, first-contact resolution, remedies and their cost, top root causes,
// recovery per department) on seeded tickets, computed by hand in two time zones: ticket E was received on
// 30 November in UTC but on 1 December in Shanghai, ticket F on 1 December in UTC but on 2 December in Shanghai.
let db: Db;
beforeAll(async () => {
  db = await testDb(DATABASE_URL ? 'pg' : 'pglite');
  const seed = async (
    key: string,
    at: string,
    status: string,
    o: {
      replies?: number;
      reopened?: boolean;
      resolution?: [string, number, string, string];
      recovered?: boolean | null;
    },
  ) => {
    const t = await fixtureTicket(db, key);
    await db.query('UPDATE tickets SET created_at = $2, status = $3 WHERE id = $1', [t.id, at, status]);
    for (let i = 0; i < (o.replies ?? 0); i++)
      await db.query(
        "INSERT INTO ticket_events (ticket_id, kind, actor, data) VALUES ($1, 'staff_reply', 'slack:U1', '{}')",
        [t.id],
      );
    if (o.reopened)
      await db.query(
        "INSERT INTO ticket_events (ticket_id, kind, actor, data) VALUES ($1, 'status_reopened', 'customer', '{}')",
        [t.id],
      );
    if (o.resolution) {
      const [remedy, cost, cause, fault] = o.resolution;
      await db.query(
        "INSERT INTO resolutions (ticket_id, remedy, currency, cost, cause, fault, resolved_by) VALUES ($1, $2, 'EUR', $3, $4, $5, 'staff:ann')",
        [t.id, remedy, cost, cause, fault],
      );
    }
    if (o.recovered !== undefined)
      await db.query(
        'INSERT INTO recovery_tasks (ticket_id, round, due_at, outcome, state) VALUES ($1, 1, $2, $3, $4)',
        [t.id, at, o.recovered ? 'recovered' : null, o.recovered ? 'contacted' : 'open'],
      );
  };
  await seed('A', '2026-12-01T10:00:00Z', 'resolved', {
    replies: 1,
    resolution: ['refund', 20, 'product_defect', 'product'],
  });
  await seed('B', '2026-12-01T12:00:00Z', 'resolved', {
    replies: 2,
    resolution: ['refund', 30, 'staff_error', 'staff'],
  });
  await seed('C', '2026-12-01T13:00:00Z', 'reopened', { reopened: true, recovered: true });
  await seed('D', '2026-12-01T14:00:00Z', 'withdrawn', {});
  await seed('E', '2026-11-30T20:00:00Z', 'closed', {
    resolution: ['replacement', 55, 'product_defect', 'product'],
    recovered: null,
  });
  await seed('F', '2026-12-01T18:00:00Z', 'open', { replies: 1 });
});
afterAll(async () => {
  await db?.close();
});

const outcomes = async (tz: string) =>
  (
    await summary(
      db,
      summaryQuerySchema.parse({ from: '2026-12-01', to: '2026-12-02', tz }),
      new Date('2026-12-03T00:00:00Z'),
    )
  ).outcomes;

describe('outcome indicators', () => {
  it('1 December in UTC: A, B, C, D (withdrawn) and F', async () => {
    expect(await outcomes('UTC')).toEqual({
      // Resolvable: A, B, C, F; resolved: A, B; at the first contact: A (B had two staff replies).
      resolutionRate: 0.5,
      firstContactResolution: 0.5,
      counts: { resolvable: 4, resolved: 2, firstContact: 1 },
      remedies: [{ remedy: 'refund', currency: 'EUR', count: 2, cost: 50 }],
      topCauses: [
        { cause: 'product_defect', fault: 'product', count: 1 },
        { cause: 'staff_error', fault: 'staff', count: 1 },
      ],
      recovery: [{ department: 'quality', tasks: 1, contacted: 1, recovered: 1, rate: 1 }],
    });
  });

  it('1 December in Shanghai: E joins, F falls on the next day', async () => {
    expect(await outcomes('Asia/Shanghai')).toEqual({
      // Resolvable: E, A, B, C; resolved: E (closed), A, B; at the first contact: E and A.
      resolutionRate: 0.75,
      firstContactResolution: 0.67,
      counts: { resolvable: 4, resolved: 3, firstContact: 2 },
      remedies: [
        { remedy: 'refund', currency: 'EUR', count: 2, cost: 50 },
        { remedy: 'replacement', currency: 'EUR', count: 1, cost: 55 },
      ],
      topCauses: [
        { cause: 'product_defect', fault: 'product', count: 2 },
        { cause: 'staff_error', fault: 'staff', count: 1 },
      ],
      recovery: [{ department: 'quality', tasks: 2, contacted: 1, recovered: 1, rate: 0.5 }],
    });
  });

  it('shows on the dashboard with the names of remedies, causes and departments, in English and Chinese', async () => {
    const routing = loadRoutingConfig('dialogs/routing.yaml');
    const o = await outcomes('Asia/Shanghai');
    const en = outcomesTable(o, { lang: 'en', names: dashboardNames(routing, 'en') }, String);
    for (const text of [
      '75% (3 of 4)',
      '67% (2 of 3)',
      'Refund: 2, 50 EUR',
      'Replacement: 1, 55 EUR',
      'Product defect: 2',
    ])
      expect(en).toContain(text);
    expect(en).toContain('Product Quality team: 1 of 2');
    expect(en).not.toMatch(/product_defect|staff_error|quality:/);
    const zh = outcomesTable(o, { lang: 'zh-Hans', names: dashboardNames(routing, 'zh-Hans') }, String);
    for (const text of ['处理结果', '退款: 2, 50 EUR', '产品缺陷: 2', '产品质量部: 2 个中 1 个'])
      expect(zh).toContain(text);
  });

  it('links each ticket count of the section to the list of its tickets, with the count matching', async () => {
    const app = await startRedress(testConfig(DATABASE_URL ? { DATABASE_URL } : {}), {
      db,
      jobs: false,
      clock: () => new Date('2026-12-03T00:00:00Z'),
    });
    try {
      const get = async (path: string) =>
        (await fetch(app.url + path, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).text();
      for (const tz of ['UTC', 'Asia/Shanghai']) {
        const page = await get(`/dashboard?from=2026-12-01&to=2026-12-02&tz=${encodeURIComponent(tz)}`);
        const section = page.slice(page.indexOf('<h2>Outcomes</h2>'));
        const links = [
          ...section.slice(0, section.indexOf('</section>')).matchAll(/<a class="n" href="([^"]+)">(\d+)<\/a>/g),
        ];
        // resolved, resolvable, first contact, resolved again, and one per top cause.
        expect(links.map((m) => /figure=(\w+)|cause=(\w+)/.exec(m[1])![0])).toEqual([
          'figure=resolved',
          'figure=resolvable',
          'figure=first_contact',
          'figure=resolved',
          'cause=product_defect',
          'cause=staff_error',
        ]);
        for (const [, href, n] of links) {
          const list = await get(href.replace(/&amp;/g, '&'));
          expect({ href, n: /<b id="count" data-count="(\d+)"/.exec(list)?.[1] }).toEqual({ href, n });
        }
      }
    } finally {
      await app.stop();
    }
  });
});
