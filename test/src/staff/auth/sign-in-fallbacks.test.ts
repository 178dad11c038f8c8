/**
 * Sign-in without an identity provider: the one-time link printed at a fresh start with nothing configured (as
 * Jupyter does), and the staff-token form; both give server-side sessions with an idle and an absolute expiry.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Redress } from '../../../../src/main.ts';
import { ADMIN_TOKEN, DATABASE_URL, freePort, startTestApp, testClock } from '../../../helpers.ts';
import { fixtureTicket } from '../../store/ticket-fixture.ts';
import { cookieOf, postTokenForm, signInForm, signInWithToken } from './token-sign-in.ts';

const kind = DATABASE_URL ? 'pg' : 'pglite';
const LINK = /http:\/\/127\.0\.0\.1:\d+\/dashboard\/sign-in\/once\?token=[\w-]{43}/g;

/** Starts an app with `env`, capturing what it prints to the console (stderr) while starting. */
async function startCapturing(env: Record<string, string>, clock?: () => Date) {
  let printed = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    printed += String(chunk);
    return true;
  });
  try {
    const app = await startTestApp(kind, { jobs: false, clock, env });
    return { app, printed };
  } finally {
    spy.mockRestore();
  }
}

const dashboard = (app: Redress, cookie?: string) =>
  fetch(`${app.url}/dashboard`, { headers: cookie ? { cookie } : {}, redirect: 'manual' });

describe(`the one-time sign-in link (${kind})`, () => {
  const apps: Redress[] = [];
  afterEach(async () => {
    for (const a of apps.splice(0)) await a.stop();
  });

  it('is printed once at a start with neither OIDC nor ADMIN_TOKEN, works once, as a manager of everything', async () => {
    const { app, printed } = await startCapturing({ ADMIN_TOKEN: '' });
    apps.push(app);
    const links = printed.match(LINK) ?? [];
    expect(links).toHaveLength(1);
    expect(printed).toContain('it works once');
    const link = links[0]!;
    expect(link.startsWith(`${app.url}/`)).toBe(true);
    const ticket = await fixtureTicket(app.db, 'link-ticket');

    // Before the link: the sign-in page points the newcomer to it, and shows no figures.
    const before = await dashboard(app);
    expect(before.status).toBe(401);
    expect(await before.text()).toContain('one-time link');

    const first = await fetch(link, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/dashboard');
    const session = first.headers.getSetCookie().find((c) => c.startsWith('redress_session='))!;
    expect(session).toMatch(/HttpOnly; SameSite=Lax; Path=\/dashboard/);
    const page = await dashboard(app, cookieOf(session));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('manager of every department');
    expect(html).toContain(ticket.reference);

    // A second use is refused, and gives no session.
    const second = await fetch(link, { redirect: 'manual' });
    expect(second.status).toBe(401);
    expect(await second.text()).toContain('already used or has expired');
    expect(second.headers.getSetCookie().some((c) => c.startsWith('redress_session='))).toBe(false);
    // A made-up token is refused the same way.
    const madeUp = await fetch(link.replace(/token=.*/, `token=${'x'.repeat(43)}`), { redirect: 'manual' });
    expect(madeUp.status).toBe(401);
  });

  it('is not printed when ADMIN_TOKEN is set, and a link past its hour is refused', async () => {
    const quiet = await startCapturing({});
    apps.push(quiet.app);
    expect(quiet.printed).not.toMatch(LINK);

    const clock = testClock();
    const { app, printed } = await startCapturing({ ADMIN_TOKEN: '' }, clock.now);
    apps.push(app);
    const link = printed.match(LINK)![0];
    clock.advance(3600_000 + 1000);
    expect((await fetch(link, { redirect: 'manual' })).status).toBe(401);
  });
});

describe(`the staff-token sign-in and its sessions (${kind})`, () => {
  const clock = testClock();
  let app: Redress;
  beforeAll(async () => {
    app = await startTestApp(kind, {
      jobs: false,
      clock: clock.now,
      env: { STAFF_SESSION_IDLE_MINUTES: '30', STAFF_SESSION_MAX_HOURS: '2' },
    });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('takes the staff token on a form with its CSRF token, from this site only', async () => {
    for (const token of ['', 'wrong-token-wrong-token']) {
      const r = await postTokenForm(app.url, token);
      expect(r.status).toBe(401);
      expect(r.headers.getSetCookie().some((c) => c.startsWith('redress_session='))).toBe(false);
    }
    const { cookie: csrfCookie, csrf } = await signInForm(app.url);
    const post = (headers: Record<string, string>, fields: Record<string, string>) =>
      fetch(`${app.url}/dashboard/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(fields).toString(),
        redirect: 'manual',
      });
    // The right token, but no CSRF field, a field without its cookie, or a post from another site: refused.
    expect((await post({ cookie: csrfCookie }, { token: ADMIN_TOKEN })).status).toBe(403);
    expect((await post({}, { token: ADMIN_TOKEN, csrf })).status).toBe(403);
    expect(
      (await post({ cookie: csrfCookie, origin: 'https://evil.example' }, { token: ADMIN_TOKEN, csrf })).status,
    ).toBe(403);
    expect((await post({ cookie: csrfCookie, origin: 'null' }, { token: ADMIN_TOKEN, csrf })).status).toBe(403);
    const ok = await post({ cookie: csrfCookie, origin: app.url }, { token: ADMIN_TOKEN, csrf });
    expect(ok.status).toBe(303);
    const session = cookieOf(ok.headers.getSetCookie().find((c) => c.startsWith('redress_session='))!);
    expect((await dashboard(app, session)).status).toBe(200);
  });

  it('ends a session left idle, and any session at its absolute expiry however busy', async () => {
    const idle = (await signInWithToken(app.url, ADMIN_TOKEN)).cookie;
    const busy = (await signInWithToken(app.url, ADMIN_TOKEN)).cookie;
    // 29 minutes at a time: the busy session stays alive, the idle one goes past 30 minutes unused.
    for (let i = 0; i < 4; i++) {
      clock.advance(29 * 60_000);
      expect((await dashboard(app, busy)).status, `after ${(i + 1) * 29} minutes`).toBe(200);
    }
    expect((await dashboard(app, idle)).status).toBe(401);
    // 116 minutes in: the busy one has 4 left of its 2 hours.
    clock.advance(5 * 60_000);
    expect((await dashboard(app, busy)).status).toBe(401);
  });
});

describe(`an identity provider that cannot be reached (${kind})`, () => {
  it('does not stop the start; a sign-in gets 503 with the reason, and the staff token still works', async () => {
    const down = `http://127.0.0.1:${await freePort()}`; // nothing listens there
    const app = await startTestApp(kind, {
      jobs: false,
      env: { OIDC_ISSUER: down, OIDC_CLIENT_ID: 'redress', PUBLIC_URL: 'http://127.0.0.1:3978' },
    });
    try {
      const page = await dashboard(app);
      expect(page.status).toBe(401);
      const html = await page.text();
      expect(html).toContain('Sign in with your company account');
      expect(html).toContain('name="token"');
      const start = await fetch(`${app.url}/dashboard/sign-in`, { redirect: 'manual' });
      expect(start.status).toBe(503);
      expect(await start.text()).toContain('the identity provider cannot be reached');
      expect((await dashboard(app, (await signInWithToken(app.url, ADMIN_TOKEN)).cookie)).status).toBe(200);
    } finally {
      await app.stop();
    }
  });
});
