/** Webhook safety: only http(s), private destinations refused at start unless allowed, the variables checked by zod. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/core/config.ts';
import { isRedressError } from '../../../src/core/errors.ts';
import { AddressPolicy, checkDestinations } from '../../../src/webhooks/address-guard.ts';
import { startTestApp } from '../../helpers.ts';

const SECRET = 'a-secret-of-16-chars-or-more';
const hook = (url: string) => ({ url, secret: SECRET, events: ['ticket.created' as const], id: url });

describe('the address policy', () => {
  const none = new AddressPolicy();
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.20.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    'fd12::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:a9fe:a9fe',
  ])('refuses %s', (a) => expect(none.refusal('h', a)).toMatch(/private, loopback, link-local or reserved/));
  it.each(['93.184.216.34', '2606:4700::1111', '::ffff:93.184.216.34'])('lets %s through', (a) =>
    expect(none.refusal('h', a)).toBeUndefined(),
  );
  it('lets through what WEBHOOK_ALLOW_PRIVATE names: a CIDR block, an address, a host', () => {
    const p = new AddressPolicy(['10.20.0.0/16', '::1', 'crm.internal']);
    expect(p.refusal('h', '10.20.3.4')).toBeUndefined();
    expect(p.refusal('h', '10.21.3.4')).toBeDefined();
    expect(p.refusal('h', '::1')).toBeUndefined();
    expect(p.refusal('crm.internal', '192.168.0.9')).toBeUndefined();
  });
  it('resolves names: localhost is loopback', async () => {
    expect(await none.check('http://localhost:8080/x')).toMatch(
      /^localhost resolves to .*allow it in WEBHOOK_ALLOW_PRIVATE/,
    );
    expect(await none.check('http://[::ffff:7f00:1]/x')).toBeDefined();
  });
  it('lists every refused destination in one CONFIG_INVALID error', async () => {
    const err = await checkDestinations(
      [hook('http://127.0.0.1:9/a'), hook('https://93.184.216.34/b'), hook('http://10.0.0.8/c')],
      none,
    ).catch((e: unknown) => e);
    expect(isRedressError(err, 'CONFIG_INVALID')).toBe(true);
    expect((err as { details: string[] }).details).toEqual([
      expect.stringMatching(/^WEBHOOKS: http:\/\/127\.0\.0\.1:9\/a refused: 127\.0\.0\.1 resolves to 127\.0\.0\.1/),
      expect.stringMatching(/^WEBHOOKS: http:\/\/10\.0\.0\.8\/c refused/),
    ]);
  });
});

describe('the webhook variables', () => {
  // Every problem is in the one CONFIG_INVALID message, a line each.
  const problems = (env: Record<string, string>): string =>
    (() => {
      try {
        return String(loadConfig(env));
      } catch (e) {
        return (e as Error).message;
      }
    })();
  it('accept a list of destinations and give each a stable id', () => {
    const c = loadConfig({
      WEBHOOKS: JSON.stringify([{ url: 'https://crm.example/hooks', secret: SECRET, events: ['ticket.created'] }]),
    });
    expect(c.WEBHOOKS).toEqual([
      expect.objectContaining({ url: 'https://crm.example/hooks', id: expect.stringMatching(/^h-[0-9a-f]{12}$/) }),
    ]);
  });
  it('refuse what is not JSON, not http(s), an unknown event, a short secret, a bad allow-list entry', () => {
    expect(problems({ WEBHOOKS: '[{url:' })).toMatch(/^ {2}- WEBHOOKS: must be JSON/m);
    const p = problems({
      WEBHOOKS: JSON.stringify([{ url: 'ftp://crm.example/x', secret: 'short', events: ['ticket.deleted'] }]),
      WEBHOOK_ALLOW_PRIVATE: '10.0.0.0/40',
    });
    expect(p).toMatch(/http:\/\/ or https:\/\//);
    expect(p).toMatch(/at least 16 characters/);
    expect(p).toMatch(/ticket\.created/);
    expect(p).toMatch(/WEBHOOK_ALLOW_PRIVATE: each entry must be/);
  });
});

describe('at start', () => {
  it('a private-range destination stops the start with a clear error, and starts once allowed', async () => {
    const env = {
      WEBHOOKS: JSON.stringify([{ url: 'http://127.0.0.1:9/hooks', secret: SECRET, events: ['ticket.created'] }]),
    };
    const err = await startTestApp('pglite', { jobs: false, env }).catch((e: unknown) => e);
    expect(isRedressError(err, 'CONFIG_INVALID')).toBe(true);
    expect((err as Error).message).toMatch(/127\.0\.0\.1:9\/hooks refused: .*private.*WEBHOOK_ALLOW_PRIVATE/);
    const app = await startTestApp('pglite', { jobs: false, env: { ...env, WEBHOOK_ALLOW_PRIVATE: '127.0.0.0/8' } });
    await app.stop();
  });
});
