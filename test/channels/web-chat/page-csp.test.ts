/**
 * Issue #18 items 4 and 6 on the chat page itself: in Chromium, under its nonce-based Content-Security-Policy (no
 * 'unsafe-inline', no 'unsafe-eval'), Web Chat loads and a complaint gets the bot's reply with no violation reported;
 * axe-core finds no serious or critical violation after the greeting and a reply.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, webChat } from './web-chat-page.ts';
import { axeSerious, watchCsp } from './page-checks.ts';
import type { Redress } from '../../../src/main.ts';
import { DATABASE_URL, missing, startTestApp } from '../../helpers.ts';

describe.skipIf(missing('chromium'))(`chat page under its CSP in Chromium (${DATABASE_URL ? 'pg' : 'pglite'})`, () => {
  let app: Redress;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let csp: Awaited<ReturnType<typeof watchCsp>>;

  beforeAll(async () => {
    app = await startTestApp(DATABASE_URL ? 'pg' : 'pglite');
    browser = await launchChromium();
    context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1000, height: 1200 } });
    csp = await watchCsp(context);
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('sends a policy without unsafe-inline or unsafe-eval, and the chat works under it', async () => {
    const chat = webChat(page);
    const response = await page.goto(app.url + '/', { waitUntil: 'load' });
    const policy = response!.headers()['content-security-policy'];
    expect(policy).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(policy).toMatch(/script-src 'self' 'nonce-[\w+/=]{24}'/);

    await chat.say('My parcel from order 5521 never arrived and I want a refund.');
    await chat.botSays(/sorry/i);
    await chat.botSays(/Have I got that right\?/);
    // Web Chat's injected styles carry the nonce: the send box is laid out by them, not unstyled.
    const sendBox = page.locator('.webchat__send-box');
    expect(await sendBox.evaluate((e) => getComputedStyle(e).display)).not.toBe('inline');

    expect(await csp.violations(page)).toEqual([]);
    expect(chat.errors.filter((e) => !/ GET \S+\/favicon\.ico$/.test(e))).toEqual([]);
  });

  it('has no serious or critical axe violation after the greeting and a reply', async () => {
    // The page of the test before: the customer's message and the bot's replies are on it.
    expect(await page.locator('.webchat__bubble').count()).toBeGreaterThanOrEqual(3);
    const found = await axeSerious(page);
    expect(found, JSON.stringify(found, null, 2)).toEqual([]);
    // axe ran in the page under its policy without setting one off.
    expect(await csp.violations(page)).toEqual([]);
  });

  it('the axe check finds what it should: no title, no language, an image without text, a field without a label', async () => {
    const bad = await context.newPage();
    await bad.setContent('<html><body><main><img src="data:,"><input type="text"></main></body></html>');
    expect((await axeSerious(bad)).map((f) => f.id).sort()).toEqual([
      'document-title',
      'html-has-lang',
      'image-alt',
      'label',
    ]);
    await bad.close();
  });
});
