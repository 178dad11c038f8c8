import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { startRedress, type Redress } from '../../../src/main.ts';
import type { Db } from '../../../src/store/db.ts';
import { mkdirSync } from 'node:fs';
import { ADMIN_TOKEN, DATABASE_URL, missing, staffGet, testConfig, testDb } from '../../helpers.ts';

const NOW = new Date('2026-11-05T00:00:00Z');
const H = 3_600_000;
let db: Db;
let app: Redress;

/** Seeds one ticket with fixed times and events; returns its id. */
async function seed(t: {
  ref: string;
  customer: number;
  created: string;
  channel: string;
  department: string;
  category: string;
  severity: string;
  slaHours: number;
  status: string;
  resolvedAfterHours?: number;
  events?: Array<[string, string, number, Record<string, unknown>?]>;
  name?: string;
  restatement?: string;
}) {
  const created = new Date(t.created);
  const conv = (
    await db.query<{ id: number }>(
      'INSERT INTO conversations (channel, conversation_key, customer_id) VALUES ($1, $2, $3) RETURNING id',
      [t.channel, `seed-${t.ref}`, t.customer],
    )
  ).rows[0].id;
  const id = (
    await db.query<{ id: number }>(
      `INSERT INTO tickets (reference, conversation_id, customer_id, channel, language, department, category, severity, status, record, restatement, sla_due_at, resolved_at, created_at)
       VALUES ($1, $2, $3, $4, 'en', $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
      [
        t.ref,
        conv,
        t.customer,
        t.channel,
        t.department,
        t.category,
        t.severity,
        t.status,
        JSON.stringify({ customerWords: [`words of ${t.ref}`], declined: [] }),
        t.restatement ?? `restatement of ${t.ref}`,
        new Date(created.getTime() + t.slaHours * H),
        t.resolvedAfterHours ? new Date(created.getTime() + t.resolvedAfterHours * H) : null,
        created,
      ],
    )
  ).rows[0].id;
  for (const [kind, actor, afterHours, data] of t.events ?? []) {
    await db.query('INSERT INTO ticket_events (ticket_id, kind, actor, data, created_at) VALUES ($1, $2, $3, $4, $5)', [
      id,
      kind,
      actor,
      JSON.stringify(data ?? {}),
      new Date(created.getTime() + afterHours * H),
    ]);
  }
  return id;
}

beforeAll(async () => {
  db = await testDb(DATABASE_URL ? 'pg' : 'pglite');
  const customer = async (name: string) =>
    (await db.query<{ id: number }>('INSERT INTO customers (name) VALUES ($1) RETURNING id', [name])).rows[0].id;
  const ann = await customer('=HYPERLINK("http://evil.example","click")');
  const bob = await customer('Bob');
  const cy = await customer('@Cy');
  await db.query("INSERT INTO contact_points (customer_id, kind, value) VALUES ($1, 'email', 'ann@example.com')", [
    ann,
  ]);
  await seed({
    ref: 'CMP-900001',
    customer: ann,
    created: '2026-11-01T01:00:00Z',
    channel: 'webchat',
    department: 'quality',
    category: 'product_quality',
    severity: 'ordinary',
    slaHours: 72,
    status: 'resolved',
    resolvedAfterHours: 10,
    restatement: '+1 call me now',
    events: [
      ['claimed', 'staff-api', 2],
      ['status_resolved', 'staff-api', 5],
      ['satisfaction', 'customer', 6, { score: 2 }],
      ['status_reopened', 'customer', 6],
      ['status_resolved', 'staff-api', 10],
      ['satisfaction', 'customer', 11, { score: 5 }],
    ],
  });
  await seed({
    ref: 'CMP-900002',
    customer: bob,
    created: '2026-10-31T17:00:00Z',
    channel: 'email',
    department: 'billing',
    category: 'billing_pricing',
    severity: 'serious',
    slaHours: 24,
    status: 'resolved',
    resolvedAfterHours: 30,
    restatement: '-2 pounds charged',
    events: [
      ['claimed', 'slack:U1', 4],
      ['status_resolved', 'slack:U1', 30],
      ['satisfaction', 'customer', 31, { score: 4 }],
    ],
  });
  await seed({
    ref: 'CMP-900003',
    customer: ann,
    created: '2026-11-02T23:30:00Z',
    channel: 'webchat',
    department: 'quality',
    category: 'product_quality',
    severity: 'urgent',
    slaHours: 4,
    status: 'open',
  });
  await seed({
    ref: 'CMP-900004',
    customer: bob,
    created: '2026-11-03T16:30:00Z',
    channel: 'webchat',
    department: 'logistics',
    category: 'delivery_logistics',
    severity: 'ordinary',
    slaHours: 72,
    status: 'open',
  });
  await seed({
    ref: 'CMP-900005',
    customer: cy,
    created: '2026-11-02T02:00:00Z',
    channel: 'email',
    department: 'logistics',
    category: 'delivery_logistics',
    severity: 'ordinary',
    slaHours: 72,
    status: 'withdrawn',
  });
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
    const html = await r.text();
    expect(html).toMatch(/<b>4<\/b> received/);
    expect(html).toContain('<tr><th scope="row">quality</th><td>1 met, 1 breached, 0 pending</td></tr>');
    // A customer's name or words are escaped, never markup.
    expect(html).not.toContain('<script>alert');
    await db.query("UPDATE tickets SET language = 'zh-Hant' WHERE reference = 'CMP-900003'");
    const again = await (
      await fetch(`${app.url}/dashboard?from=2026-11-01&to=2026-11-04&tz=Asia/Shanghai`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      })
    ).text();
    expect(again).toMatch(
      /<li lang="zh-Hant">“words of CMP-900003” <small>CMP-900003 · in Traditional Chinese: the customer's own words, untranslated<\/small>/,
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
