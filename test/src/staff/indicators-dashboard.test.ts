import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedress, type Redress } from '../../../src/main.ts';
import type { Db } from '../../../src/store/db.ts';
import { ADMIN_TOKEN, DATABASE_URL, testConfig, testDb } from '../../helpers.ts';
import { NOW, seedIndicatorTickets } from './indicators-fixture.ts';

// The indicator sections of the dashboard (issue #17 item 3) on the tickets of indicators-fixture.ts: names, not ids,
// in English and Chinese, and every count of tickets a link to a list whose total is the count, in both zones.
let db: Db;
let app: Redress;
beforeAll(async () => {
  db = await testDb(DATABASE_URL ? 'pg' : 'pglite');
  await seedIndicatorTickets(db);
  app = await startRedress(testConfig(DATABASE_URL ? { DATABASE_URL } : {}), { db, jobs: false, clock: () => NOW });
});
afterAll(async () => {
  await app?.stop();
  await db?.close();
});

const html = async (path: string) =>
  (await fetch(app.url + path, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).text();
const listCount = (page: string) => Number(/<b id="count" data-count="(\d+)"/.exec(page)?.[1] ?? NaN);
// The page from the indicator sections on (the complaint rate's heading starts them).
const sections = (page: string, heading: string) => page.slice(page.indexOf(`<h2>${heading}</h2>`));
const links = (page: string) =>
  [...page.matchAll(/<a class="n" href="([^"]+)">(\d+)<\/a>/g)].map((m) => ({
    href: m[1].replace(/&amp;/g, '&'),
    n: Number(m[2]),
  }));

describe('the indicator sections', () => {
  for (const tz of ['UTC', 'Asia/Shanghai'])
    it(`every count links to its tickets (${tz})`, async () => {
      const page = sections(
        await html(`/dashboard?from=2026-12-01&to=2026-12-03&tz=${tz}`),
        'Complaints per 1,000 orders and customers',
      );
      const found = links(page.slice(0, page.indexOf('<h2>Top recurring issues</h2>')));
      // Complaints: all and 3 departments; satisfaction: 6 dimensions, now and before; SLA: 3 claimers × 3.
      expect(found.length).toBeGreaterThanOrEqual(4 + 2 * 12 + 9);
      expect(found.some((l) => /claimed_by=-&figure=sla_pending/.test(l.href))).toBe(true);
      expect(found.some((l) => /tier=core&figure=answered/.test(l.href))).toBe(true);
      expect(found.some((l) => /from=2026-11-29&to=2026-12-01/.test(l.href))).toBe(true);
      expect(found.filter((l) => l.n > 0).length).toBeGreaterThan(20);
      for (const l of found) expect({ href: l.href, n: listCount(await html(l.href)) }).toEqual(l);
    });

  it('shows names and rates in English, and in Chinese', async () => {
    const en = sections(
      await html('/dashboard?from=2026-12-01&to=2026-12-03&tz=UTC&lang=en'),
      'Complaints per 1,000 orders and customers',
    );
    for (const text of [
      'Satisfaction against the previous period (2026-11-29 to 2026-12-01)',
      '<th scope="row">Billing team</th>',
      '<th scope="row">Core customer</th>',
      '<th scope="row">no tier set</th>',
      '<th scope="row">unclaimed</th>',
      '<th scope="row">Serious</th>',
      '<td>0.8</td>',
      '<td>+3.5</td>',
      '100% (1 of 1)',
    ])
      expect(en).toContain(text);
    expect(en).not.toMatch(/<th scope="row">(core|key|billing|quality|serious|billing_pricing|webchat)<\/th>/);
    const zh = await html('/dashboard?from=2026-12-01&to=2026-12-03&tz=UTC&lang=zh-Hans');
    for (const text of ['每千订单、每千客户投诉数', '核心客户', '未认领', '未设等级', '账务部', '按认领人统计 SLA'])
      expect(zh).toContain(text);
  });

  it('the list of a claimer or a tier says so, and refuses a malformed one', async () => {
    const list = await html('/dashboard/tickets?from=2026-12-01&to=2026-12-03&tz=UTC&claimed_by=-&tier=core');
    expect(listCount(list)).toBe(1); // T4: unclaimed, its customer core
    expect(list).toContain('unclaimed');
    expect(list).toContain('Core customer');
    const r = await fetch(`${app.url}/dashboard/tickets?from=2026-12-01&to=2026-12-03&tier=Core!`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(r.status).toBe(400);
  });
});
