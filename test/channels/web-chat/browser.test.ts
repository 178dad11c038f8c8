/**
 * A real browser against the real bot: Chromium opens GET /, the official Bot Framework Web Chat talks to our own
 * Direct Line (polling), a customer files a complaint, and the staff API shows the ticket it made.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Redress } from '../../../src/main.ts';
import { CHROMIUM, DATABASE_URL, missing, startTestApp, staffGet } from '../../helpers.ts';

const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/', import.meta.url));
const WAIT = { timeout: 30_000, interval: 250 };

describe.skipIf(missing('chromium'))(`web chat in Chromium (${DATABASE_URL ? 'pg' : 'pglite'})`, () => {
  let app: Redress;
  let browser: Browser;
  let page: Page;
  const browserErrors: string[] = [];

  beforeAll(async () => {
    app = await startTestApp(DATABASE_URL ? 'pg' : 'pglite');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1000, height: 1800 } });
    page = await context.newPage();
    page.on('pageerror', (e) => browserErrors.push(`pageerror: ${e.message}`));
    // A failed request is logged to the console without its URL; the response listener records it with the URL.
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
        browserErrors.push(`console: ${m.text()}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400) browserErrors.push(`HTTP ${r.status()} ${r.request().method()} ${r.url()}`);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  // Web Chat also writes each message into screen-reader-only text ("Bot said: ..."), so read the rendered bubbles
  // rather than document.body.innerText, which would count every message twice or more.
  const BOT = '.webchat__bubble:not(.webchat__bubble--from-user) .webchat__bubble__content';
  const USER = '.webchat__bubble.webchat__bubble--from-user .webchat__bubble__content';
  const bubbles = (selector: string) => page.locator(selector).allInnerTexts();

  /** Types `text` into Web Chat's send box and presses Enter; waits until the page shows it as sent. */
  async function say(text: string): Promise<void> {
    const box = page.locator('.webchat__send-box-text-box__input');
    await box.waitFor({ state: 'visible', timeout: WAIT.timeout });
    const before = (await bubbles(USER)).length;
    await box.fill(text);
    await box.press('Enter');
    await expect
      .poll(async () => (await bubbles(USER)).slice(before).map((t) => t.trim()), {
        ...WAIT,
        message: `"${text}" never appeared as sent`,
      })
      .toEqual([text]);
  }

  /** Waits until a bot bubble matches `re` and returns the bot's bubbles. */
  async function botSays(re: RegExp): Promise<string[]> {
    try {
      await expect.poll(async () => (await bubbles(BOT)).some((t) => re.test(t)), WAIT).toBe(true);
    } catch {
      const said = await bubbles(BOT).catch(() => []);
      throw new Error(
        `the bot never said ${re}; it said: ${JSON.stringify(said)}; browser errors: ${browserErrors.join(' | ') || 'none'}`,
      );
    }
    return bubbles(BOT);
  }

  it('takes a complaint through Web Chat and files a ticket', async () => {
    await page.goto(app.url + '/', { waitUntil: 'load' });
    expect(await page.locator('header h1').textContent()).toBe('Complaints');

    await say('Hi, my order #4411 arrived on 3 March with a cracked screen and I want a replacement.');
    await botSays(/sorry/i);
    await botSays(
      /Let me check I've understood: your order 4411 arrived damaged, with a cracked screen\b.*Have I got that right\?/s,
    );

    await say('yes');
    await botSays(/^Thank you for confirming\.$/);
    await botSays(/Which product or service is this about\?/);

    await say('a phone');
    await botSays(/May I have your name, please\?/);

    await say('Jane Smith');
    await botSays(/What is the best email address or phone number to reach you on\?/);

    await say('jane@example.com');
    const said = await botSays(/I've recorded your complaint as CMP-\d{6}/);
    const ref = said.join('\n').match(/I've recorded your complaint as (CMP-\d{6,})/)![1];

    // Every message shows once: polling neither repeats the bot's replies nor echoes the customer's own messages twice.
    expect((await bubbles(USER)).map((t) => t.trim())).toEqual([
      'Hi, my order #4411 arrived on 3 March with a cracked screen and I want a replacement.',
      'yes',
      'a phone',
      'Jane Smith',
      'jane@example.com',
    ]);
    expect(new Set(said).size).toBe(said.length);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: ARTIFACTS + 'web-chat.png', fullPage: true });

    const { status, body } = await staffGet(app, '/api/tickets/' + ref);
    expect(status).toBe(200);
    expect(body).toMatchObject({ reference: ref, status: 'open', department: 'quality', channel: 'webchat' });
    expect(body.record.orderNumber).toBe('4411');

    // No script errors and no failed requests (the browser's own favicon probe aside).
    expect(browserErrors.filter((e) => !/ GET \S+\/favicon\.ico$/.test(e))).toEqual([]);
  });
});
