/**
 * Issue #18 item 4, the headers: the chat page's Content-Security-Policy (a fresh nonce per response, the one its
 * script tags carry; frame-ancestors from WEB_CHAT_EMBED_ORIGINS, else the page's own origin only), the widget's
 * options escaped and validated in the frame page, /embed.js as a cacheable script without eval or inline handlers,
 * and the dashboard's own policies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redress } from '../../../src/main.ts';
import { ADMIN_TOKEN, DATABASE_URL, startTestApp } from '../../helpers.ts';

let open: Redress;
let listed: Redress;
beforeAll(async () => {
  open = await startTestApp(DATABASE_URL ? 'pg' : 'pglite');
  listed = await startTestApp(DATABASE_URL ? 'pg' : 'pglite', {
    env: { WEB_CHAT_EMBED_ORIGINS: 'https://shop.example.com,https://*.example.org , https://shop.example.com' },
  });
});
afterAll(async () => {
  await open?.stop();
  await listed?.stop();
});

const get = (app: Redress, path: string, headers: Record<string, string> = {}) => fetch(app.url + path, { headers });
const policy = (r: Response) =>
  Object.fromEntries(
    (r.headers.get('content-security-policy') ?? '')
      .split(/;\s*/)
      .map((d) => [d.split(' ')[0], d.slice(d.indexOf(' ') + 1)]),
  );

describe('the chat page', () => {
  it('sends a strict policy whose nonce is fresh and the one its scripts and styles carry', async () => {
    const [a, b] = [await get(open, '/'), await get(open, '/')];
    const p = policy(a);
    const nonce = /'nonce-([\w+/=]+)'/.exec(p['script-src'])![1];
    expect(p).toEqual({
      'default-src': "'none'",
      'script-src': `'self' 'nonce-${nonce}'`,
      'style-src': `'self' 'nonce-${nonce}' 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='`,
      'img-src': "'self' data: blob:",
      'media-src': "'self' data: blob:",
      'font-src': "'self' data:",
      'connect-src': "'self' blob:",
      'worker-src': 'blob:',
      'base-uri': "'none'",
      'form-action': "'none'",
      'frame-ancestors': "'self'",
    });
    expect(policy(b)['script-src']).not.toContain(nonce);
    const html = await a.text();
    // Every inline script and style carries the nonce; the JSON block is data, never run.
    const tags = [...html.matchAll(/<(script|style)\b[^>]*>/g)].map((m) => m[0]);
    expect(tags).toEqual([
      `<style nonce="${nonce}">`,
      '<script type="application/json" id="redress-page">',
      '<script src="/webchat.js">',
      `<script nonce="${nonce}">`,
    ]);
    expect(a.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(a.headers.get('x-content-type-options')).toBe('nosniff');
    expect(a.headers.get('referrer-policy')).toBe('no-referrer');
    expect(a.headers.get('vary')).toContain('Accept-Language');
  });

  it('lets the sites of WEB_CHAT_EMBED_ORIGINS frame it, each once, and drops X-Frame-Options for them', async () => {
    const r = await get(listed, '/');
    expect(policy(r)['frame-ancestors']).toBe("'self' https://shop.example.com https://*.example.org");
    expect(r.headers.get('x-frame-options')).toBeNull();
  });

  it("takes the widget's options in its frame only, escaped, and drops invalid ones for the defaults", async () => {
    const html = async (q: string) => (await get(open, '/?' + q)).text();
    const hostile = await html(`embed=1&title=${encodeURIComponent('<img src=x onerror=alert(1)>"')}&color=red;x`);
    expect(hostile).toContain('<h1>&lt;img src=x onerror=alert(1)&gt;&quot;</h1>');
    expect(hostile).not.toContain('<img');
    // "red;x" is not a #rgb colour: the default navy with white text.
    expect(hostile).toContain('background: #1f3a5f; color: #ffffff;');
    // A light colour gets dark text (its contrast with #111111 is 12.5, with white 1.5).
    expect(await html('embed=1&color=%23ffcc00')).toContain('background: #ffcc00; color: #111111;');
    // Titles are cut to 60 characters; without embed=1 the options are ignored.
    expect(await html(`embed=1&title=${'x'.repeat(70)}`)).toContain(`<h1>${'x'.repeat(60)}</h1>`);
    expect(await html('title=Hello&color=%23ffcc00')).toContain('<h1>Complaints</h1>');
    // The page's language from Accept-Language (q weights), overridden by ?lang=.
    const lang = async (q: string, accept: string) =>
      /<html lang="([^"]+)">/.exec(await (await get(open, '/' + q, { 'accept-language': accept })).text())![1];
    expect(await lang('', 'fr;q=1, zh-HK;q=0.8, en;q=0.5')).toBe('zh-Hant');
    expect(await lang('', 'zh-CN')).toBe('zh-Hans');
    expect(await lang('?lang=en', 'zh-CN')).toBe('en');
  });
});

describe('/embed.js', () => {
  it('is a cacheable script with its own ETag, usable by other sites, with no eval or inline handler', async () => {
    const r = await get(open, '/embed.js');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(r.headers.get('cache-control')).toBe('public, max-age=3600');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(r.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    const etag = r.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]{27}"$/);
    const again = await get(open, '/embed.js', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const script = await r.text();
    expect(script).not.toMatch(
      /\beval\b|new Function|innerHTML|outerHTML|insertAdjacentHTML|document\.write|setAttribute\('(on|style)/,
    );
    // The languages' default titles are in it.
    expect(script).toContain('"zh-Hant":{"title":"投訴"');
  });
});

describe('the dashboard', () => {
  it('keeps its nonce policy and refuses framing', async () => {
    const r = await get(open, '/dashboard', { authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(r.status).toBe(200);
    const p = policy(r);
    expect(p['default-src']).toBe("'none'");
    expect(p['script-src']).toMatch(/^'self' 'nonce-[\w+/=]+'$/);
    expect(p['frame-ancestors']).toBe("'none'");
    expect(r.headers.get('x-frame-options')).toBe('DENY');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    // The sign-in page a signed-out manager gets, on a server that lists embedding sites too.
    const signIn = await get(listed, '/dashboard');
    expect(signIn.status).toBe(401);
    expect(policy(signIn)).toMatchObject({ 'default-src': "'none'", 'frame-ancestors': "'none'" });
    expect(signIn.headers.get('x-frame-options')).toBe('DENY');
  });
});
