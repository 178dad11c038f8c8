/**
 * The embeddable widget (issue #18 items 4 and 6) in Chromium, on a shop's page from another site (localhost against
 * the bot's 127.0.0.1) that allows no inline script or style: the button shows the script tag's title, colour and
 * position, opens the chat in a frame and the bot answers there; a site missing from WEB_CHAT_EMBED_ORIGINS gets the
 * button but its frame is refused by frame-ancestors. axe-core finds nothing serious on the shop's page or in the frame.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { launchChromium } from './web-chat-page.ts';
import { axeSerious, watchCsp } from './page-checks.ts';
import { shopPage, startEmbedSite, type EmbedSite } from './embed-site.ts';
import type { Redress } from '../../../src/main.ts';
import { DATABASE_URL, missing, startTestApp } from '../../helpers.ts';

const WAIT = { timeout: 30_000, interval: 250 };
const BOT = '.webchat__bubble:not(.webchat__bubble--from-user) .webchat__bubble__content';
// A light colour: the text on it must be dark (#111111) to be read.
const TAG = 'data-title="Talk to Acme" data-color="#ffcc00" data-position="left" data-lang="en"';

describe.skipIf(missing('chromium'))(`the /embed.js widget in Chromium (${DATABASE_URL ? 'pg' : 'pglite'})`, () => {
  let app: Redress;
  let listed: EmbedSite;
  let unlisted: EmbedSite;
  let plain: EmbedSite;
  let browser: Browser;
  let context: BrowserContext;
  let csp: Awaited<ReturnType<typeof watchCsp>>;

  beforeAll(async () => {
    const page = () => ({ bot: app.url, html: shopPage(app.url, TAG) });
    listed = await startEmbedSite(page);
    unlisted = await startEmbedSite(page);
    plain = await startEmbedSite(() => ({ bot: app.url, html: shopPage(app.url, '') }));
    app = await startTestApp(DATABASE_URL ? 'pg' : 'pglite', {
      env: { WEB_CHAT_EMBED_ORIGINS: `https://shop.example.com, ${listed.origin},${plain.origin}` },
    });
    browser = await launchChromium();
    context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1200, height: 900 } });
    csp = await watchCsp(context);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await listed?.close();
    await unlisted?.close();
    await plain?.close();
  });

  const chatFrame = async (page: Page): Promise<Frame> => {
    await expect.poll(() => page.frames().some((f) => f.url().startsWith(app.url + '/?embed=1')), WAIT).toBe(true);
    return page.frames().find((f) => f.url().startsWith(app.url + '/?embed=1'))!;
  };

  let shop: Page;

  it('shows the button as the script tag says, opens the chat, and the bot answers in it', async () => {
    shop = await context.newPage();
    await shop.goto(listed.origin + '/', { waitUntil: 'load' });
    const button = shop.locator('#redress-chat-button');
    await button.waitFor({ state: 'visible', timeout: WAIT.timeout });
    expect(await button.textContent()).toBe('Talk to Acme');
    expect(await button.getAttribute('aria-expanded')).toBe('false');
    const look = await button.evaluate((e) => {
      const s = getComputedStyle(e);
      return { background: s.backgroundColor, color: s.color, left: s.left, right: e.style.right };
    });
    expect(look).toEqual({ background: 'rgb(255, 204, 0)', color: 'rgb(17, 17, 17)', left: '20px', right: '' });
    expect((await button.boundingBox())!.x).toBe(20);

    await button.click();
    expect(await button.getAttribute('aria-expanded')).toBe('true');
    const frame = await chatFrame(shop);
    expect(new URL(frame.url()).searchParams.get('title')).toBe('Talk to Acme');
    const header = frame.locator('body > header h1');
    await header.waitFor({ timeout: WAIT.timeout });
    expect(await header.textContent()).toBe('Talk to Acme');
    expect(await frame.locator('body > header').evaluate((e) => getComputedStyle(e).backgroundColor)).toBe(
      'rgb(255, 204, 0)',
    );
    // The frame sits on the button's side.
    expect((await shop.locator('#redress-chat-frame').boundingBox())!.x).toBe(20);

    const box = frame.locator('.webchat__send-box-text-box__input');
    await box.waitFor({ state: 'visible', timeout: WAIT.timeout });
    await box.fill('The kettle from order 7788 leaks and I want a replacement.');
    await box.press('Enter');
    await expect
      .poll(async () => (await frame.locator(BOT).allInnerTexts()).some((t) => /Have I got that right\?/.test(t)), WAIT)
      .toBe(true);

    // Neither the shop's strict policy nor the chat page's own was broken by the widget or the chat.
    expect(await csp.violations(shop)).toEqual([]);
  });

  it('has no serious or critical axe violation on the shop page with the chat open, nor in the chat', async () => {
    const onShop = await axeSerious(shop);
    expect(onShop, JSON.stringify(onShop, null, 2)).toEqual([]);
    const inChat = await axeSerious(await chatFrame(shop));
    expect(inChat, JSON.stringify(inChat, null, 2)).toEqual([]);
  });

  it('closes with the button and with Escape, and opens the same chat again', async () => {
    const button = shop.locator('#redress-chat-button');
    const frame = shop.locator('#redress-chat-frame');
    await button.click();
    expect(await button.getAttribute('aria-expanded')).toBe('false');
    expect(await frame.isVisible()).toBe(false);
    await button.click();
    expect(await frame.isVisible()).toBe(true);
    // The conversation is still there: the frame was hidden, not reloaded.
    expect((await (await chatFrame(shop)).locator(BOT).allInnerTexts()).join('\n')).toMatch(/Have I got that right\?/);
    // Escape in the chat (the frame has the focus when it opens) closes it and gives the focus back to the button.
    await (await chatFrame(shop)).locator('.webchat__send-box-text-box__input').press('Escape');
    await expect.poll(() => button.getAttribute('aria-expanded'), WAIT).toBe('false');
    expect(await frame.isVisible()).toBe(false);
    expect(await button.evaluate((e) => document.activeElement === e)).toBe(true);
    // And Escape on the shop's page itself.
    await button.click();
    await shop.locator('h1').click();
    await shop.keyboard.press('Escape');
    expect(await button.getAttribute('aria-expanded')).toBe('false');
  });

  it('a site not in WEB_CHAT_EMBED_ORIGINS gets the button, but its frame is refused by frame-ancestors', async () => {
    const page = await context.newPage();
    const refused = page.waitForEvent('console', {
      predicate: (m) => /frame-ancestors/.test(m.text()),
      timeout: WAIT.timeout,
    });
    await page.goto(unlisted.origin + '/', { waitUntil: 'load' });
    await page.locator('#redress-chat-button').click();
    const message = (await refused).text();
    expect(message).toContain(`Framing '${app.url}/' violates`);
    expect(message).toContain(`"frame-ancestors 'self' https://shop.example.com ${listed.origin} ${plain.origin}"`);
    expect(message).toContain('The request has been blocked');
    // The frame holds Chromium's error page, not the chat.
    const frame = page.frames().find((f) => f !== page.mainFrame())!;
    expect(frame.url()).not.toContain('embed=1');
    expect(await frame.locator('body > header h1').count()).toBe(0);
  });

  it("without data- attributes: the browser's language, the default colour, on the right", async () => {
    const zh = await browser.newContext({ locale: 'zh-TW', viewport: { width: 1200, height: 900 } });
    const page = await zh.newPage();
    await page.goto(plain.origin + '/', { waitUntil: 'load' });
    const button = page.locator('#redress-chat-button');
    await button.waitFor({ state: 'visible', timeout: WAIT.timeout });
    expect(await button.textContent()).toBe('投訴');
    const look = await button.evaluate((e) => {
      const s = getComputedStyle(e);
      return { background: s.backgroundColor, color: s.color, right: s.right, left: e.style.left };
    });
    expect(look).toEqual({ background: 'rgb(31, 58, 95)', color: 'rgb(255, 255, 255)', right: '20px', left: '' });
    await button.click();
    const frame = await chatFrame(page);
    expect(await frame.locator('html').getAttribute('lang')).toBe('zh-Hant');
    expect(await frame.locator('body > header h1').textContent()).toBe('投訴');
    expect(await page.locator('#redress-chat-frame').getAttribute('title')).toBe('投訴對話');
    await zh.close();
  });
});
