/**
 * The dashboard's Actions pages in Chromium (issue #17 item 4): a manager signed in through a real OpenID Connect
 * provider opens an action through the form (cause chosen by its name, a ticket by reference), marks it done, and
 * reads it in Chinese; another site's form posts to the same routes are refused and change nothing.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Redress } from '../../../src/main.ts';
import type { TicketRow } from '../../../src/store/tickets.ts';
import { DATABASE_URL, freePort, missing, startTestApp } from '../../helpers.ts';
import { launchChromium } from '../../channels/web-chat/web-chat-page.ts';
import { fixtureTicket } from '../store/ticket-fixture.ts';
import { oidcEnv, signInThroughProvider, startProvider, type TestProvider } from './auth/oidc-harness.ts';
import { api } from './actions-fixture.ts';

const kind = DATABASE_URL ? 'pg' : 'pglite';

describe.skipIf(missing('chromium'))(`the Actions pages in Chromium (${kind})`, () => {
  let app: Redress;
  let idp: TestProvider;
  let browser: Browser;
  let attacker: Server;
  let attackerPort: number;
  let ticket: TicketRow;
  // What the other site's page posts, and where (set by each test).
  let attack = { action: '', fields: {} as Record<string, string> };

  beforeAll(async () => {
    const publicUrl = `http://127.0.0.1:${await freePort()}`;
    idp = await startProvider(publicUrl);
    app = await startTestApp(kind, { jobs: false, env: oidcEnv(idp, publicUrl) });
    ticket = await fixtureTicket(app.db, 'actions-browser');
    attackerPort = await freePort();
    attacker = createServer((_req, res) => {
      res.setHeader('Content-Type', 'text/html');
      const inputs = Object.entries(attack.fields)
        .map(([k, v]) => `<input name="${k}" value="${v}">`)
        .join('');
      res.end(
        `<form id="f" method="post" action="${app.url}${attack.action}">${inputs}</form><script>document.getElementById('f').submit()</script>`,
      );
    });
    await new Promise<void>((r) => attacker.listen(attackerPort, '127.0.0.1', r));
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => attacker?.close(r));
    await app?.stop();
    await idp?.stop();
  });

  /** Alice (a manager of every department) signed in through the provider's login and consent pages. */
  const signIn = async () => (await signInThroughProvider(browser, app.url, 'alice')).page;

  it('opens an action through the form and marks it done', async () => {
    const page = await signIn();
    await page.click('#actions-link');
    expect(new URL(page.url()).pathname).toBe('/dashboard/actions');
    expect(await page.locator('body').innerText()).toContain('No actions.');
    await page.fill('#new-action input[name=title]', 'Inspect the kettle batch');
    await page.fill('#new-action input[name=owner]', 'U024BE7LH');
    await page.fill('#new-action input[name=due]', '2030-01-31');
    await page.selectOption('#new-action select[name=cause]', { label: 'Product defect' });
    await page.selectOption('#new-action select[name=department]', { label: 'Product Quality team' });
    await page.fill('#new-action input[name=tickets]', ticket.reference);
    await page.click('#new-action button');
    await page.waitForURL(/\/dashboard\/actions\/\d+$/);
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    const body = await page.locator('main').innerText();
    expect(body).toContain('Inspect the kettle batch');
    expect(body).toContain('Product defect');
    expect(body).toContain('Product Quality team');
    expect(await page.locator('#action-state').innerText()).toBe('Open');
    // The linked ticket opens its page; the effect states its two periods (opened a moment ago: 0 days each).
    expect(await page.locator(`a[href="/dashboard/tickets/${ticket.reference}"]`).count()).toBe(1);
    expect(await page.locator('#effect').innerText()).toContain('the 0 days before the action was opened');

    await page.selectOption('#change-state select[name=state]', { label: 'Done' });
    await page.click('#change-state button');
    await page.waitForURL(`${app.url}/dashboard/actions/${id}`);
    expect(await page.locator('#action-state').innerText()).toBe('Done');
    expect(await page.locator('main').innerText()).toMatch(/Alice Manager\s+State: Open → Done/);
    const saved = (await api(app.url, 'GET', `/api/actions/${id}`)).body;
    expect(saved).toMatchObject({ state: 'done', createdBy: 'Alice Manager', tickets: [ticket.reference] });
    expect(saved.history).toHaveLength(2);

    // Done ones are apart from open ones; the page reads in Chinese with names, not ids.
    await page.goto(`${app.url}/dashboard/actions?show=open`);
    expect(await page.locator('main').innerText()).not.toContain('Inspect the kettle batch');
    await page.goto(`${app.url}/dashboard/actions/${id}?lang=zh-Hans`);
    const zh = await page.locator('main').innerText();
    expect(zh).toContain('已完成');
    expect(zh).toContain('产品缺陷');
    expect(zh).toContain('产品质量部');
    await page.context().close();
  });

  it("refuses another site's form posts: no action opened, none changed", async () => {
    const page = await signIn();
    const opened = await api(app.url, 'POST', '/api/actions', {
      title: 'Keep me open',
      owner: 'o',
      due: '2030-01-31',
      by: 'alice',
    });
    const before = (await api(app.url, 'GET', '/api/actions')).body.actions.length;
    // From another origin of the same site (another port) the session cookie goes along: the Origin check refuses.
    for (const [action, fields] of [
      [`/dashboard/actions/${opened.body.id}`, { csrf: 'guessed', state: 'cancelled' }],
      ['/dashboard/actions', { csrf: 'guessed', title: 'Forged', owner: 'x', due: '2030-01-01' }],
    ] as const) {
      attack = { action, fields };
      const answer = page.waitForResponse(`${app.url}${action}`);
      await page.goto(`http://127.0.0.1:${attackerPort}/`);
      expect((await answer).status(), action).toBe(403);
    }
    expect((await api(app.url, 'GET', `/api/actions/${opened.body.id}`)).body.state).toBe('open');
    expect((await api(app.url, 'GET', '/api/actions')).body.actions).toHaveLength(before);
    // The session survived: the page still opens.
    expect((await page.goto(`${app.url}/dashboard/actions`))!.status()).toBe(200);
    await page.context().close();
  });
});
