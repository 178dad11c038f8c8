/**
 * Issue #17 item 5 in Chromium: staff sign in on the dashboard through a real OpenID Connect provider (oidc-provider,
 * authorisation-code flow with PKCE); a department manager sees only their department; sign-out ends the session; a
 * forged or replayed session cookie and a cross-site form post are refused.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Redress } from '../../../../src/main.ts';
import type { TicketRow } from '../../../../src/store/tickets.ts';
import { DATABASE_URL, freePort, missing, startTestApp } from '../../../helpers.ts';
import { launchChromium } from '../../../channels/web-chat/web-chat-page.ts';
import { fixtureTicket } from '../../store/ticket-fixture.ts';
import { oidcEnv, signInThroughProvider, startProvider, type TestProvider } from './oidc-harness.ts';

const kind = DATABASE_URL ? 'pg' : 'pglite';

describe.skipIf(missing('chromium'))(`dashboard sign-in through OpenID Connect in Chromium (${kind})`, () => {
  let app: Redress;
  let idp: TestProvider;
  let browser: Browser;
  let attacker: Server;
  let attackerPort: number;
  let billing: TicketRow;
  let quality: TicketRow;

  beforeAll(async () => {
    const publicUrl = `http://127.0.0.1:${await freePort()}`;
    idp = await startProvider(publicUrl);
    app = await startTestApp(kind, { jobs: false, env: oidcEnv(idp, publicUrl) });
    quality = await fixtureTicket(app.db, 'oidc-quality');
    billing = await fixtureTicket(app.db, 'oidc-billing');
    await app.db.query("UPDATE tickets SET department = 'billing', category = 'billing_pricing' WHERE id = $1", [
      billing.id,
    ]);
    // Another site: its page posts a form to the dashboard's sign-out, without the session's CSRF token.
    attackerPort = await freePort();
    attacker = createServer((_req, res) => {
      res.setHeader('Content-Type', 'text/html');
      res.end(
        `<form id="f" method="post" action="${app.url}/dashboard/sign-out"><input name="csrf" value="guessed"></form><script>document.getElementById('f').submit()</script>`,
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

  /** Signs `login` in from the dashboard's sign-in page through the provider's own login and consent pages. */
  async function signIn(
    login: string,
    start = '/dashboard',
  ): Promise<{ context: BrowserContext; page: Page; callback?: string }> {
    let callback: string | undefined;
    const { context, page } = await signInThroughProvider(browser, app.url, login, start, (p) =>
      p.on('request', (r) => {
        if (r.url().startsWith(`${app.url}/dashboard/sign-in/callback?`)) callback = r.url();
      }),
    );
    return { context, page, callback };
  }

  const sessionCookie = async (context: BrowserContext) =>
    (await context.cookies(`${app.url}/dashboard`)).find((c) => c.name === 'redress_session');

  it('signs a manager of every department in with the code flow and PKCE, and sign-out ends the session', async () => {
    const { context, page, callback } = await signIn('alice');
    expect(new URL(page.url()).pathname).toBe('/dashboard');
    // The provider's answer works once: the same callback again (its code and state) is refused.
    expect(new URL(callback!).searchParams.get('code')).toBeTruthy();
    const replay = await fetch(callback!, { redirect: 'manual' });
    expect(replay.status).toBe(401);
    expect(replay.headers.getSetCookie().some((c) => c.startsWith('redress_session='))).toBe(false);
    expect(await page.locator('.signed-in').innerText()).toMatch(/Alice Manager.*manager of every department/s);
    const byDepartment = await page.locator('section', { hasText: 'By department' }).first().innerText();
    expect(byDepartment).toContain('Billing team');
    expect(byDepartment).toContain('Product Quality team');
    // The authorisation request was the code flow with an S256 PKCE challenge, a state and a nonce.
    const auth = idp.authorizationRequests.at(-1)!.searchParams;
    expect(auth.get('response_type')).toBe('code');
    expect(auth.get('code_challenge_method')).toBe('S256');
    expect(auth.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(auth.get('state')).toBeTruthy();
    expect(auth.get('nonce')).toBeTruthy();

    const cookie = (await sessionCookie(context))!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false, path: '/dashboard' });
    const asCookie = { cookie: `redress_session=${cookie.value}` };
    expect((await fetch(`${app.url}/dashboard`, { headers: asCookie })).status).toBe(200);

    await page.click('#sign-out');
    expect(await page.locator('body').innerText()).toContain('You are signed out.');
    expect(await sessionCookie(context)).toBeUndefined();
    const again = await page.goto(`${app.url}/dashboard`);
    expect(again!.status()).toBe(401);
    // The old cookie, replayed after sign-out, is refused: the session is gone on the server.
    const replayed = await fetch(`${app.url}/dashboard`, { headers: asCookie });
    expect(replayed.status).toBe(401);
    expect(await replayed.text()).not.toContain(billing.reference);
    await context.close();
  });

  it('shows a department manager only their department, on the dashboard, its lists, tickets and CSV', async () => {
    // Opened from a link to one of its tickets: sign-in leads back there.
    const { context, page } = await signIn('bob', `/dashboard/tickets/${billing.reference}`);
    expect(new URL(page.url()).pathname).toBe(`/dashboard/tickets/${billing.reference}`);
    await page.goto(`${app.url}/dashboard`);
    expect(await page.locator('.signed-in').innerText()).toMatch(/Bob Billing.*manager of billing/s);
    // The figures by department (the period picker still names every department) and the total: billing's only.
    const byDepartment = await page.locator('section', { hasText: 'By department' }).first().innerText();
    expect(byDepartment).toContain('Billing team');
    expect(byDepartment).not.toContain('Product Quality team');
    expect(await page.locator('.kpis b').first().innerText()).toBe('1');
    // Asking for the other department by the query gives nothing, not its figures.
    await page.goto(`${app.url}/dashboard?department=quality`);
    expect(await page.locator('.kpis b').first().innerText()).toBe('0');

    await page.goto(`${app.url}/dashboard/tickets`);
    const list = await page.content();
    expect(list).toContain(billing.reference);
    expect(list).not.toContain(quality.reference);
    expect((await page.goto(`${app.url}/dashboard/tickets/${quality.reference}`))!.status()).toBe(404);
    expect((await page.goto(`${app.url}/dashboard/tickets/${billing.reference}`))!.status()).toBe(200);

    const cookie = (await sessionCookie(context))!;
    const csv = await (
      await fetch(`${app.url}/dashboard/tickets.csv`, { headers: { cookie: `redress_session=${cookie.value}` } })
    ).text();
    expect(csv).toContain(billing.reference);
    expect(csv).not.toContain(quality.reference);
    await context.close();
  });

  it('lets staff sign in without the figures, and refuses an account with no Redress role', async () => {
    const staff = await signIn('carol');
    expect(await staff.page.locator('body').innerText()).toContain("The dashboard's figures are for managers");
    expect(await staff.page.content()).not.toContain(billing.reference);
    expect((await staff.page.goto(`${app.url}/dashboard/tickets`))!.status()).toBe(403);
    await staff.context.close();

    const nobody = await signIn('dave');
    expect(await nobody.page.locator('body').innerText()).toContain('your account has no Redress role');
    expect(await sessionCookie(nobody.context)).toBeUndefined();
    await nobody.context.close();
  });

  it('refuses a forged session cookie and a cross-site form post', async () => {
    const { context, page } = await signIn('alice');
    const real = (await sessionCookie(context))!.value;
    // Forged: a cookie of the right shape that no sign-in made, and the real one altered by one character.
    const altered = (real[0] === 'A' ? 'B' : 'A') + real.slice(1);
    for (const forged of ['A'.repeat(43), altered, 'not-a-session']) {
      const r = await fetch(`${app.url}/dashboard`, { headers: { cookie: `redress_session=${forged}` } });
      expect(r.status, forged).toBe(401);
      expect(await r.text()).not.toContain(billing.reference);
    }
    // Another site's page posts to sign-out in the signed-in browser. From another origin of the same site (another
    // port) the cookie goes with it, so the Origin and CSRF checks refuse it (403); from another site (localhost is
    // not 127.0.0.1) SameSite=Lax keeps the cookie back, so there is no session to act on (401).
    for (const [host, status] of [
      ['127.0.0.1', 403],
      ['localhost', 401],
    ] as const) {
      const answer = page.waitForResponse(`${app.url}/dashboard/sign-out`);
      await page.goto(`http://${host}:${attackerPort}/`);
      expect((await answer).status(), host).toBe(status);
      expect(await page.locator('body').innerText()).not.toContain('You are signed out.');
    }
    expect(await page.locator('body').innerText()).toContain('You are not signed in.');
    // The session survived both: the dashboard still opens.
    expect((await page.goto(`${app.url}/dashboard`))!.status()).toBe(200);
    // Our own origin without the session's token is refused too.
    const noToken = await fetch(`${app.url}/dashboard/sign-out`, {
      method: 'POST',
      headers: {
        cookie: `redress_session=${real}`,
        origin: app.url,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'csrf=guessed',
    });
    expect(noToken.status).toBe(403);
    expect((await page.goto(`${app.url}/dashboard`))!.status()).toBe(200);
    await context.close();
  });
});
