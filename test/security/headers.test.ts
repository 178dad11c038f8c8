/**
 * The response headers every route sends (no framing, no sniffing, no referrer, no caching of private pages), the
 * dashboard's Content-Security-Policy and session cookie, and its CSV link followed with that cookie, as a browser does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redress } from '../../src/main.ts';
import { ADMIN_TOKEN, DATABASE_URL, startTestApp } from '../helpers.ts';
import { directLine } from './support.ts';
import { cookieOf, signInWithToken } from '../src/staff/auth/token-sign-in.ts';

const API_TOKEN = 'systems-token-headers-0123456789';
let app: Redress;
let proxied: Redress;
let reference: string;
let chat: { conversationId: string; token: string };

beforeAll(async () => {
  const kind = DATABASE_URL ? 'pg' : 'pglite';
  app = await startTestApp(kind, { jobs: false, env: { API_TOKEN } });
  proxied = await startTestApp(kind, { jobs: false, env: { TRUST_PROXY: '1' } });
  ({ reference, conversation: chat } = await directLine(app).complain(
    'My kettle from order 4411 broke yesterday. I want a refund. Ana Ruiz, ana.ruiz@example.com',
  ));
});
afterAll(async () => {
  await app?.stop();
  await proxied?.stop();
});

const staff = { authorization: `Bearer ${ADMIN_TOKEN}` };
/**
 * Signs in through the dashboard's form, as the browser does (its Origin the scheme the proxy reports); returns the
 * session's Set-Cookie header.
 */
const signIn = async (on: Redress, headers: Record<string, string> = {}) => {
  const https = on === proxied && headers['x-forwarded-proto'] === 'https';
  const origin = https ? on.url.replace(/^http:/, 'https:') : on.url;
  return (await signInWithToken(on.url, ADMIN_TOKEN, { origin, ...headers })).setCookie;
};

describe('every response carries the protective headers', () => {
  const requests = (): Array<[string, () => Promise<Response>]> => [
    ['the chat page', () => fetch(`${app.url}/`)],
    ['the dashboard sign-in page', () => fetch(`${app.url}/dashboard`)],
    ['the dashboard', () => fetch(`${app.url}/dashboard`, { headers: staff })],
    ['the staff API list', () => fetch(`${app.url}/api/tickets`, { headers: staff })],
    ['a staff API ticket', () => fetch(`${app.url}/api/tickets/${reference}`, { headers: staff })],
    ['the staff API refusing a token', () => fetch(`${app.url}/api/tickets`)],
    ['the CSV export', () => fetch(`${app.url}/api/tickets.csv`, { headers: staff })],
    [
      'a transcript upload refused',
      () =>
        fetch(`${app.url}/api/transcripts`, {
          method: 'POST',
          headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'image/png' },
          body: 'x',
        }),
    ],
    [
      'Direct Line activities',
      () =>
        fetch(`${app.url}/v3/directline/conversations/${chat.conversationId}/activities`, {
          headers: { authorization: `Bearer ${chat.token}` },
        }),
    ],
    ['an unknown path', () => fetch(`${app.url}/no/such/page`)],
    ['the health check', () => fetch(`${app.url}/healthz`)],
  ];

  it.each(requests().map(([name], i) => [name, i] as const))(
    '%s: no framing, no sniffing, no referrer to other sites, not cached',
    async (name, i) => {
      const r = await requests()[i][1]();
      await r.arrayBuffer();
      // The chat page may be framed by its own origin (the widget's frame, docs/web-chat.md; other sites only when
      // WEB_CHAT_EMBED_ORIGINS lists them); nothing else may be framed at all.
      const own = name === 'the chat page';
      expect(r.headers.get('x-frame-options')).toBe(own ? 'SAMEORIGIN' : 'DENY');
      expect(r.headers.get('content-security-policy')).toMatch(
        own ? /(^|;\s*)frame-ancestors 'self'(;|$)/ : /(^|;\s*)frame-ancestors 'none'(;|$)/,
      );
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      // Dashboard pages send the Origin of their own forms (checked against CSRF): same-origin, never to other sites.
      expect(r.headers.get('referrer-policy')).toBe(name.includes('dashboard') ? 'same-origin' : 'no-referrer');
      expect(r.headers.get('cache-control')).toBe('no-store');
    },
  );

  it('the public Web Chat bundle alone stays cacheable', async () => {
    const r = await fetch(`${app.url}/webchat.js`);
    await r.arrayBuffer();
    expect(r.headers.get('cache-control')).toBe('public, max-age=86400');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('the dashboard', () => {
  it('has a Content-Security-Policy that allows its own scripts only, the inline one by a fresh nonce', async () => {
    const policy = async () => {
      const r = await fetch(`${app.url}/dashboard`, { headers: staff });
      return { csp: r.headers.get('content-security-policy')!, html: await r.text() };
    };
    const { csp, html } = await policy();
    const directives = Object.fromEntries(
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([k, ...v]) => [k, v]),
    );
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(directives['form-action']).toEqual(["'self'"]);
    expect(directives['script-src']).not.toContain("'unsafe-inline'");
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    // Every script on the page carries the nonce; a second response has another.
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBe(2);
    for (const s of scripts) expect(s).toContain(`nonce="${nonce}"`);
    expect((await policy()).csp).not.toContain(nonce);
  });

  // Lax, not Strict: the identity provider's redirect back is a cross-site navigation, and the dashboard it leads to
  // must see the cookie; another site's POST still goes without it, and every form carries a CSRF token.
  it('sets its session cookie HttpOnly and SameSite=Lax, without Secure over plain http (localhost would lose it)', async () => {
    const cookie = await signIn(app);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/i);
    // A client's own X-Forwarded-Proto means nothing without a trusted proxy.
    expect(await signIn(app, { 'x-forwarded-proto': 'https' })).not.toMatch(/Secure/i);
  });

  it('sets it Secure when a trusted proxy (TRUST_PROXY) says the browser came over https', async () => {
    expect(await signIn(proxied, { 'x-forwarded-proto': 'https' })).toMatch(/; Secure/);
    expect(await signIn(proxied, { 'x-forwarded-proto': 'http' })).not.toMatch(/Secure/i);
    expect(await signIn(proxied)).not.toMatch(/Secure/i);
  });

  it('the CSV link works with the session cookie a browser sends, as a GET only', async () => {
    const cookie = cookieOf(await signIn(app));
    const page = await fetch(`${app.url}/dashboard`, { headers: { cookie } });
    expect(page.status).toBe(200);
    const href = /<a href="([^"]+)">Export CSV<\/a>/.exec(await page.text())?.[1].replace(/&amp;/g, '&');
    expect(href).toBeDefined();
    // The cookie's Path must cover the link, or a browser would not send it.
    const path = /; Path=([^;]+)/.exec(await signIn(app))![1];
    expect(new URL(href!, app.url).pathname.startsWith(`${path}/`)).toBe(true);
    const csv = await fetch(new URL(href!, app.url), { headers: { cookie } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('cache-control')).toBe('no-store');
    const text = await csv.text();
    expect(text.split('\r\n')[0]).toMatch(/^"?reference"?,/);
    expect(text).toContain(reference);
    // Without the cookie, or with a forged one, it is refused; nothing but GET is served there.
    expect((await fetch(new URL(href!, app.url))).status).toBe(401);
    expect(
      (await fetch(new URL(href!, app.url), { headers: { cookie: `${cookie.split('.')[0]}.forged` } })).status,
    ).toBe(401);
    expect((await fetch(new URL(href!, app.url), { method: 'POST', headers: { cookie } })).status).toBe(405);
    // The staff API's own CSV stays behind its bearer token.
    expect((await fetch(`${app.url}/api/tickets.csv`, { headers: { cookie } })).status).toBe(401);
  });
});
