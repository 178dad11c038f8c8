import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { startRedress, type Redress } from '../../../src/main.ts';
import type { Db } from '../../../src/store/db.ts';
import { mkdirSync } from 'node:fs';
import { NOW, seedSummaryTickets } from './summary-fixture.ts';
import { ADMIN_TOKEN, DATABASE_URL, missing, staffGet, testConfig, testDb } from '../../helpers.ts';

let db: Db;
let app: Redress;

beforeAll(async () => {
  db = await testDb(DATABASE_URL ? 'pg' : 'pglite');
  await seedSummaryTickets(db);
  app = await startRedress(testConfig(DATABASE_URL ? { DATABASE_URL } : {}), { db, jobs: false, clock: () => NOW });
});
afterAll(async () => {
  await app?.stop();
  await db?.close();
});

const get = (path: string) => staffGet(app, path);

describe('GET /api/summary', () => {
  it('matches the hand-computed figures for a period in Asia/Shanghai', async () => {
    const { status, body } = await get('/api/summary?from=2026-11-01&to=2026-11-04&tz=Asia/Shanghai');
    expect(status).toBe(200);
    // Shanghai is UTC+8: the period is 2026-10-31T16:00Z to 2026-11-03T16:00Z, so 900002 is in and 900004 is out.
    expect(body.received).toMatchObject({
      total: 4,
      byChannel: { webchat: 2, email: 2 },
      byDay: [
        { day: '2026-11-01', count: 2 },
        { day: '2026-11-02', count: 1 },
        { day: '2026-11-03', count: 1 },
      ],
      byDepartment: { quality: 2, billing: 1, logistics: 1 },
      bySeverity: { ordinary: 2, serious: 1, urgent: 1 },
    });
    expect(body.status).toEqual({ open: 1, resolved: 2, withdrawn: 1, handedOff: 0 });
    expect(body.hoursToResolution).toEqual({ median: 20, p90: 28, tickets: 2 });
    expect(body.hoursToFirstResponse).toEqual({ median: 3, p90: 3.8, tickets: 2 });
    expect(body.sla).toEqual([
      { department: 'billing', met: 0, breached: 1, pending: 0 },
      { department: 'logistics', met: 0, breached: 0, pending: 0 },
      { department: 'quality', met: 1, breached: 1, pending: 0 },
    ]);
    expect(body.satisfaction).toEqual({ answered: 2, average: 3, low: 1, recoveredAfterSecondFollowup: 1 });
    expect(body.reopenRate).toBe(0.5);
    expect(body.repeatComplainers).toEqual({ customers: 1, tickets: 2 });
    expect(body.topIssues[0]).toMatchObject({ category: 'product_quality', count: 2 });
    expect(body.topIssues[0].quotes.map((q: any) => q.reference)).toEqual(['CMP-900003', 'CMP-900001']);
  });

  it('the same dates in UTC take a different set of tickets', async () => {
    const { body } = await get('/api/summary?from=2026-11-01&to=2026-11-04');
    expect(body.received.total).toBe(4);
    expect(body.received.byDay).toEqual([
      { day: '2026-11-01', count: 1 },
      { day: '2026-11-02', count: 2 },
      { day: '2026-11-03', count: 1 },
    ]);
    expect(body.received.byChannel).toEqual({ webchat: 3, email: 1 });
  });

  it('an empty period has every day at zero and no averages', async () => {
    const { body } = await get('/api/summary?from=2026-12-01&to=2026-12-03');
    expect(body.received).toMatchObject({
      total: 0,
      byDay: [
        { day: '2026-12-01', count: 0 },
        { day: '2026-12-02', count: 0 },
      ],
      byChannel: {},
    });
    expect(body.hoursToResolution).toEqual({ median: null, p90: null, tickets: 0 });
    expect(body.reopenRate).toBeNull();
    expect(body.topIssues).toEqual([]);
  });

  it('one department, and bad queries', async () => {
    const { body } = await get('/api/summary?from=2026-11-01&to=2026-11-04&tz=Asia/Shanghai&department=quality');
    expect(body.received.total).toBe(2);
    expect((await get('/api/summary?from=yesterday&to=2026-11-04')).status).toBe(400);
    expect((await get('/api/summary?from=2026-11-01&to=2026-11-04&tz=Mars/Olympus')).status).toBe(400);
  });
});

describe('without from and to', () => {
  it("the summary, the CSV and the dashboard answer the last 7 days, today included, in the query's zone", async () => {
    // NOW is 2026-11-05T00:00Z: the 5th in UTC, still the 4th in Los Angeles.
    const utc = await get('/api/summary');
    expect(utc.status).toBe(200);
    expect(utc.body.period).toEqual({ from: '2026-10-30', to: '2026-11-06', tz: 'UTC', department: null });
    expect(utc.body.received.total).toBe(5);
    expect(utc.body.received.byDay).toHaveLength(7);
    const la = await get('/api/summary?tz=America/Los_Angeles');
    expect(la.body.period).toMatchObject({ from: '2026-10-29', to: '2026-11-05' });
    // Only `to`: the 7 days before it.
    const before = await get('/api/summary?to=2026-11-02');
    expect(before.body.period).toMatchObject({ from: '2026-10-26', to: '2026-11-02' });
    expect(before.body.received.total).toBe(2);
    const csv = await fetch(`${app.url}/api/tickets.csv`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(csv.status).toBe(200);
    expect((parse(await csv.text(), { columns: true }) as unknown[]).length).toBe(5);
    const page = await (
      await fetch(`${app.url}/dashboard`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    ).text();
    expect(page).toContain('name="from" value="2026-10-30"');
    expect(page).toContain('name="to" value="2026-11-06"');
  });
});

describe('GET /api/tickets.csv', () => {
  it('round-trips through a CSV parser and neutralises formulas at cell start', async () => {
    const r = await fetch(`${app.url}/api/tickets.csv?from=2026-10-01&to=2026-12-01`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(r.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows = parse(await r.text(), { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((x) => x.reference)).toEqual([
      'CMP-900002',
      'CMP-900001',
      'CMP-900005',
      'CMP-900003',
      'CMP-900004',
    ]);
    const ann = rows.find((x) => x.reference === 'CMP-900001')!;
    expect(ann.customer_name).toBe(`'=HYPERLINK("http://evil.example","click")`);
    expect(ann.restatement).toBe(`'+1 call me now`);
    expect(ann.customer_email).toBe('ann@example.com');
    expect(rows.find((x) => x.reference === 'CMP-900002')!.restatement).toBe(`'-2 pounds charged`);
    expect(rows.find((x) => x.reference === 'CMP-900005')!.customer_name).toBe(`'@Cy`);
    for (const row of rows) for (const v of Object.values(row)) expect(v).not.toMatch(/^[=+\-@]/);
  });

  it('refuses without the staff token and returns no data', async () => {
    for (const path of [
      '/api/tickets.csv?from=2026-10-01&to=2026-12-01',
      '/api/summary?from=2026-10-01&to=2026-12-01',
    ]) {
      const r = await fetch(app.url + path);
      expect(r.status).toBe(401);
      expect(await r.text()).not.toMatch(/CMP-9000|quality/);
    }
  });
});

describe('GET /dashboard', () => {
  it('is not open to the public: 401 with a sign-in form and no figures', async () => {
    const r = await fetch(`${app.url}/dashboard?from=2026-10-25&to=2026-11-08`);
    expect(r.status).toBe(401);
    const html = await r.text();
    expect(html).toContain('name="token"');
    expect(html).not.toMatch(/CMP-9000|product_quality/);
    expect((await fetch(`${app.url}/dashboard/chart.js`)).status).toBe(401);
  });

  it('works without JavaScript for the numbers', async () => {
    const r = await fetch(`${app.url}/dashboard?from=2026-11-01&to=2026-11-04&tz=Asia/Shanghai`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    // Every figure is a link to its tickets (test/src/staff/dashboard.test.ts follows them); here, the figures alone.
    const html = (await r.text()).replace(/<a class="n" href="[^"]*">([^<]*)<\/a>/g, '$1');
    expect(html).toMatch(/<b>4<\/b> received/);
    expect(html).toContain('<tr><th scope="row">Product Quality team</th><td>1 met, 1 breached, 0 pending</td></tr>');
    // A customer's name or words are escaped, never markup.
    expect(html).not.toContain('<script>alert');
    await db.query("UPDATE tickets SET language = 'zh-Hant' WHERE reference = 'CMP-900003'");
    const again = await (
      await fetch(`${app.url}/dashboard?from=2026-11-01&to=2026-11-04&tz=Asia/Shanghai`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      })
    ).text();
    expect(again).toMatch(
      /<li lang="zh-Hant"><a href="\/dashboard\/tickets\/CMP-900003">“words of CMP-900003”<\/a> <small>CMP-900003 · in Traditional Chinese: the customer&#39;s own words, untranslated<\/small>/,
    );
    await db.query("UPDATE tickets SET language = 'en' WHERE reference = 'CMP-900003'");
  });

  it.skipIf(missing('chromium'))('renders in headless Chromium with its charts drawn after signing in', async () => {
    const { launchChromium } = await import('../../channels/web-chat/web-chat-page.ts');
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 1600 } });
      await page.goto(`${app.url}/dashboard`);
      await page.fill('input[name=token]', ADMIN_TOKEN);
      await Promise.all([page.waitForURL(/\/dashboard$/), page.click('button')]);
      await page.goto(`${app.url}/dashboard?from=2026-10-25&to=2026-11-08&tz=Asia/Shanghai`);
      const drawn = await page.evaluate(() =>
        ['byDay', 'byChannel', 'bySeverity', 'sla'].map((id) => {
          const chart = (window as any).Chart?.getChart(id);
          return chart
            ? chart.data.datasets.reduce(
                (n: number, d: any) => n + d.data.reduce((a: number, b: number) => a + b, 0),
                0,
              )
            : -1;
        }),
      );
      expect(drawn).toEqual([5, 5, 5, 3]);
      mkdirSync('test-artifacts', { recursive: true });
      await page.screenshot({ path: 'test-artifacts/dashboard.png', fullPage: true });
    } finally {
      await browser.close();
    }
  });
});
