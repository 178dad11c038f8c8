/**
 * The dashboard of issue #17: names instead of ids in English and Chinese, every figure a link to the tickets behind
 * it (the list's total is the figure), the drill-down from a chart in Chromium, and the read-only ticket page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startRedress, type Redress } from '../../../src/main.ts';
import type { Db } from '../../../src/store/db.ts';
import { fromAcceptLanguage } from '../../../src/staff/dashboard-i18n.ts';
import { NOW, seedSummaryTickets } from './summary-fixture.ts';
import { ADMIN_TOKEN, DATABASE_URL, missing, testConfig, testDb } from '../../helpers.ts';

let db: Db;
let app: Redress;
const HOSTILE = '<script>__pwned=1</script><img src=x onerror=__pwned=2>';
// Shanghai days: every seeded ticket is in; quality has two (one SLA met, one breached).
const PERIOD = 'from=2026-10-25&to=2026-11-08&tz=Asia/Shanghai';
// Every id the seeded tickets carry, none of which a manager should read as a label (a row, a heading, a bar).
const IDS =
  /^(quality|billing|logistics|product_quality|billing_pricing|delivery_logistics|webchat|email|ordinary|serious|urgent)( —|$)/;

beforeAll(async () => {
  db = await testDb(DATABASE_URL ? 'pg' : 'pglite');
  await seedSummaryTickets(db);
  await db.query('UPDATE tickets SET restatement = $1 WHERE reference = $2', [HOSTILE, 'CMP-900004']);
  app = await startRedress(testConfig(DATABASE_URL ? { DATABASE_URL } : {}), { db, jobs: false, clock: () => NOW });
});
afterAll(async () => {
  await app?.stop();
  await db?.close();
});

const signedIn = (path: string, headers: Record<string, string> = {}) =>
  fetch(app.url + path, { headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...headers } });
const html = async (path: string, headers?: Record<string, string>) => (await signedIn(path, headers)).text();
const listCount = (page: string) => Number(/<b id="count" data-count="(\d+)"/.exec(page)?.[1] ?? NaN);
const unescape = (s: string) => s.replace(/&amp;/g, '&');

describe('drill-down', () => {
  it('every figure of the page links to a list whose total is the figure', async () => {
    const page = await html(`/dashboard?${PERIOD}`);
    const links = [...page.matchAll(/<a class="n" href="([^"]+)">(\d+)<\/a>/g)].map((m) => ({
      href: unescape(m[1]),
      n: Number(m[2]),
    }));
    // Received, open, resolved; 4 channels-severities-departments-categories tables; speed; SLA; satisfaction; top issues.
    expect(links.length).toBeGreaterThan(30);
    expect(links.filter((l) => l.n > 0).length).toBeGreaterThan(20);
    for (const l of links) expect({ href: l.href, n: listCount(await html(l.href)) }).toEqual(l);
  });

  it('narrows by the figure exactly as the summary counts it', async () => {
    const rows = (page: string) => [...page.matchAll(/<a href="\/dashboard\/tickets\/(CMP-\d+)">/g)].map((m) => m[1]);
    const breached = await html(`/dashboard/tickets?${PERIOD}&department=quality&figure=sla_breached`);
    expect(listCount(breached)).toBe(1);
    // 900003 is open, urgent and four hours past its SLA at NOW; 900001 was resolved in time.
    expect(rows(breached)).toEqual(['CMP-900003']);
    expect(rows(await html(`/dashboard/tickets?${PERIOD}&figure=recovered`))).toEqual(['CMP-900001']);
    expect(rows(await html(`/dashboard/tickets?${PERIOD}&figure=repeat`))).toEqual([
      'CMP-900004',
      'CMP-900003',
      'CMP-900001',
      'CMP-900002',
    ]);
    expect((await signedIn(`/dashboard/tickets?${PERIOD}&figure=everything`)).status).toBe(400);
    expect((await signedIn(`/dashboard/tickets?${PERIOD}&category=x'y`)).status).toBe(400);
  });

  it('lists customer text escaped, and nothing without signing in', async () => {
    const page = await html(`/dashboard/tickets?${PERIOD}`);
    expect(listCount(page)).toBe(5);
    expect(page).toContain('&lt;script&gt;__pwned=1&lt;/script&gt;');
    expect(page).not.toContain(HOSTILE);
    for (const path of [`/dashboard/tickets?${PERIOD}`, '/dashboard/tickets/CMP-900001']) {
      const r = await fetch(app.url + path);
      expect(r.status).toBe(401);
      // The sign-in page may name the page asked for (it returns there); nothing of the ticket itself.
      expect(await r.text()).not.toMatch(/words of|__pwned|Refund|Product defect/);
    }
  });
});

describe('the ticket page', () => {
  it('shows the record, restatement, remedy, cause, scores and events, read-only, in the chosen language', async () => {
    const page = await html('/dashboard/tickets/CMP-900001');
    for (const text of [
      'words of CMP-900001',
      '+1 call me now',
      'Refund',
      'Product defect',
      '20 GBP',
      'status_reopened',
      'Product Quality team',
      'product quality',
      'Web chat',
    ])
      expect(page).toContain(text);
    expect(page).not.toMatch(/<form|method="post"/i);
    // The understanding's audit (evidence spans, declined fields, empty lists) is not shown to a manager.
    expect(page).not.toMatch(/\bdeclined\b|&quot;span&quot;|\[\]/);
    const zh = await html('/dashboard/tickets/cmp-900001?lang=zh-Hans');
    for (const text of ['退款', '产品缺陷', '产品质量部', '网页聊天']) expect(zh).toContain(text);
    const hostile = await html('/dashboard/tickets/CMP-900004');
    expect(hostile).toContain('&lt;img src=x onerror=__pwned=2&gt;');
    expect(hostile).not.toContain(HOSTILE);
    expect((await signedIn('/dashboard/tickets/CMP-999999')).status).toBe(404);
    expect((await signedIn('/dashboard/tickets/nonsense')).status).toBe(404);
  });
});

describe('language', () => {
  it('follows Accept-Language by its weights, Taiwan and Hong Kong reading Traditional', () => {
    expect(fromAcceptLanguage('zh-TW,zh;q=0.9,en;q=0.8')).toBe('zh-Hant');
    expect(fromAcceptLanguage('zh-HK')).toBe('zh-Hant');
    expect(fromAcceptLanguage('en;q=0.5, zh-CN;q=0.9')).toBe('zh-Hans');
    expect(fromAcceptLanguage('fr-FR, en-GB;q=0.5')).toBe('en');
    expect(fromAcceptLanguage('de, fr')).toBeUndefined();
    expect(fromAcceptLanguage('zh;q=0, en')).toBe('en');
  });

  it('?lang= sets a cookie that the next page follows over the browser', async () => {
    const r = await signedIn(`/dashboard?${PERIOD}&lang=zh-Hant`);
    const cookie = r.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^redress_lang=zh-Hant;/);
    expect(await r.text()).toContain('產品質量部');
    const next = await html(`/dashboard?${PERIOD}`, { cookie: 'redress_lang=zh-Hant', 'accept-language': 'en' });
    expect(next).toContain('<html lang="zh-Hant">');
  });
});

/** Signs in through the dashboard's own form, as a manager does. */
async function signIn(page: Page): Promise<void> {
  await page.goto(`${app.url}/dashboard`);
  await page.fill('input[name=token]', ADMIN_TOKEN);
  await Promise.all([page.waitForURL(/\/dashboard$/), page.click('form button')]);
}

/** What a chart shows: its labels, and the table row headers of the page (where ids would show). */
const shown = (page: Page) =>
  page.evaluate(() => ({
    charts: Object.fromEntries(
      ['byChannel', 'bySeverity', 'byDepartment', 'sla'].map((id) => [
        id,
        (window as any).Chart.getChart(id).data.labels as string[],
      ]),
    ),
    rows: [...document.querySelectorAll('main th[scope=row]')].map((th) => th.textContent ?? ''),
    headings: [...document.querySelectorAll('main h3')].map((h) => h.textContent ?? ''),
  }));

describe.skipIf(missing('chromium'))('in Chromium', () => {
  it('in English and in Chinese, with names, not ids', async () => {
    const { launchChromium } = await import('../../channels/web-chat/web-chat-page.ts');
    const browser = await launchChromium();
    try {
      const en = await (await browser.newContext({ locale: 'en-GB' })).newPage();
      await signIn(en);
      await en.goto(`${app.url}/dashboard?${PERIOD}`);
      const english = await shown(en);
      // Most first: logistics has 900004 and 900005, quality 900001 and 900003 (ties by id), billing 900002.
      expect(english.charts.byDepartment).toEqual([
        'Delivery and Logistics team',
        'Product Quality team',
        'Billing team',
      ]);
      expect(english.charts.bySeverity).toEqual(['Ordinary', 'Serious', 'Urgent']);
      expect(english.charts.byChannel).toEqual(['Web chat', 'Email']);
      expect(english.rows).toContain('billing and pricing');
      for (const text of [...english.rows, ...english.headings, ...Object.values(english.charts).flat()])
        expect(text).not.toMatch(IDS);
      expect(await en.locator('h1').innerText()).toContain('Complaints');

      // A browser asking for Chinese gets Simplified; the switch changes to Traditional and is remembered.
      const zh = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
      await signIn(zh);
      await zh.goto(`${app.url}/dashboard?${PERIOD}`);
      const chinese = await shown(zh);
      expect(chinese.charts.byDepartment).toEqual(['物流配送部', '产品质量部', '账务部']);
      expect(chinese.charts.bySeverity).toEqual(['一般', '严重', '紧急']);
      expect(chinese.rows).toContain('账单与价格');
      for (const text of [...chinese.rows, ...chinese.headings, ...Object.values(chinese.charts).flat()])
        expect(text).not.toMatch(IDS);
      expect(await zh.locator('h1').innerText()).toContain('投诉');
      await Promise.all([zh.waitForURL(/lang=zh-Hant/), zh.click('nav.lang a[lang=zh-Hant]')]);
      expect((await shown(zh)).charts.byDepartment).toEqual(['物流配送部', '產品質量部', '賬務部']);
      await zh.goto(`${app.url}/dashboard?${PERIOD}`);
      expect(await zh.locator('html').getAttribute('lang')).toBe('zh-Hant');
      await zh.screenshot({ path: 'test-artifacts/dashboard-zh-hant.png', fullPage: true });
    } finally {
      await browser.close();
    }
  });

  it('a click on a bar opens the list of its tickets, with the count matching', async () => {
    const { launchChromium } = await import('../../channels/web-chat/web-chat-page.ts');
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 1600 } });
      await signIn(page);
      for (const [chart, index, dataset] of [
        ['byDepartment', 0, 0],
        ['sla', 2, 1],
        ['byDay', 7, 0],
      ] as const) {
        await page.goto(`${app.url}/dashboard?${PERIOD}`);
        const bar = await page.evaluate(
          ([id, i, d]) => {
            const c = (window as any).Chart.getChart(id);
            const el = c.getDatasetMeta(d).data[i];
            const box = c.canvas.getBoundingClientRect();
            return { x: box.left + el.x, y: box.top + (el.y + el.base) / 2, value: c.data.datasets[d].data[i] };
          },
          [chart, index, dataset] as const,
        );
        expect(bar.value, `${chart} bar ${index}`).toBeGreaterThan(0);
        await Promise.all([page.waitForURL(/\/dashboard\/tickets\?/), page.mouse.click(bar.x, bar.y)]);
        expect(Number(await page.locator('#count').getAttribute('data-count')), chart).toBe(bar.value);
        expect(await page.locator('table.list tbody tr').count()).toBe(bar.value);
      }
    } finally {
      await browser.close();
    }
  });
});
