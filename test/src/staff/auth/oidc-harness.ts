/**
 * A real OpenID Connect provider for sign-in tests (the oidc-provider package, in-process on a free port) with its own
 * development login form (any password) and a few accounts, and Redress configured to sign in against it.
 */
import { createServer, type Server } from 'node:http';
import Provider from 'oidc-provider';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { freePort } from '../../../helpers.ts';

/** The provider's accounts: login name → name and groups (the roles claim). */
export const ACCOUNTS: Record<string, { name: string; email: string; groups: string[] }> = {
  alice: { name: 'Alice Manager', email: 'alice@example.com', groups: ['redress-managers'] },
  bob: { name: 'Bob Billing', email: 'bob@example.com', groups: ['redress:manager:billing', 'everyone'] },
  carol: { name: 'Carol Staff', email: 'carol@example.com', groups: ['redress-staff'] },
  dave: { name: 'Dave Nobody', email: 'dave@example.com', groups: ['everyone'] },
};

/** The client Redress is registered as. */
export const CLIENT = { id: 'redress-dashboard', secret: 'a-client-secret-of-the-test-0123456789' };

/** A running provider: its issuer URL, the authorisation requests it received, and stop. */
export interface TestProvider {
  issuer: string;
  authorizationRequests: URL[];
  stop(): Promise<void>;
}

/** Starts the provider for a Redress whose PUBLIC_URL is `publicUrl`; PKCE is required of every client. */
export async function startProvider(publicUrl: string): Promise<TestProvider> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT.id,
        client_secret: CLIENT.secret,
        redirect_uris: [`${publicUrl}/dashboard/sign-in/callback`],
        response_types: ['code'],
        grant_types: ['authorization_code'],
      },
    ],
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email'], profile: ['name'], groups: ['groups'] },
    cookies: { keys: ['test-provider-cookie-key-0123456789'] },
    findAccount: (_ctx, id) => {
      const a = ACCOUNTS[id];
      return a ? { accountId: id, claims: () => ({ sub: id, ...a }) } : undefined;
    },
  });
  const authorizationRequests: URL[] = [];
  const callback = provider.callback();
  const server: Server = createServer((req, res) => {
    if (req.url?.startsWith('/auth?')) authorizationRequests.push(new URL(req.url, issuer));
    return callback(req, res);
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    issuer,
    authorizationRequests,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** The Redress environment that signs in against `p`, served at `publicUrl` (PORT its port). */
export function oidcEnv(p: TestProvider, publicUrl: string): Record<string, string> {
  return {
    PORT: new URL(publicUrl).port,
    PUBLIC_URL: publicUrl,
    OIDC_ISSUER: p.issuer,
    OIDC_CLIENT_ID: CLIENT.id,
    OIDC_CLIENT_SECRET: CLIENT.secret,
    OIDC_SCOPES: 'openid email profile groups',
  };
}

/**
 * Signs `login` in, in a new browser context, from the dashboard page `start` of the Redress at `appUrl` through the
 * provider's own login and consent pages; `watch` sees the page before it opens (to record its requests).
 */
export async function signInThroughProvider(
  browser: Browser,
  appUrl: string,
  login: string,
  start = '/dashboard',
  watch?: (page: Page) => void,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();
  watch?.(page);
  await page.goto(`${appUrl}${start}`);
  await page.click('#sign-in');
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', 'any password');
  await page.click('button[type=submit]');
  // The provider asks for consent the first time; then it sends the browser back to the callback.
  await page.waitForURL((u) => u.href.startsWith(appUrl) || u.pathname.includes('/interaction/'));
  if (new URL(page.url()).pathname.includes('/interaction/')) await page.click('button[type=submit]');
  await page.waitForURL((u) => u.href.startsWith(appUrl));
  return { context, page };
}
