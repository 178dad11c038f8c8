/**
 * A real browser against the real bot: Chromium opens GET /, the official Bot Framework Web Chat talks to our own
 * Direct Line (streaming over a WebSocket, as the page's client does when the server offers a stream), a customer
 * files a complaint, and the staff API shows the ticket it made.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, webChat } from './web-chat-page.ts';
import type { Redress } from '../../../src/main.ts';
import { DATABASE_URL, missing, startTestApp, staffGet } from '../../helpers.ts';

const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/', import.meta.url));

describe.skipIf(missing('chromium'))(`web chat in Chromium (${DATABASE_URL ? 'pg' : 'pglite'})`, () => {
  let app: Redress;
  let browser: Browser;
  let page: Page;

  let chat: ReturnType<typeof webChat>;

  beforeAll(async () => {
    app = await startTestApp(DATABASE_URL ? 'pg' : 'pglite');
    browser = await launchChromium();
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1000, height: 1800 } });
    page = await context.newPage();
    chat = webChat(page);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const say = (text: string) => chat.say(text);
  const botSays = (re: RegExp) => chat.botSays(re);

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

    // Every message shows once: the stream neither repeats the bot's replies nor echoes the customer's messages twice.
    expect((await chat.user()).map((t) => t.trim())).toEqual([
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
    expect(chat.errors.filter((e) => !/ GET \S+\/favicon\.ico$/.test(e))).toEqual([]);
  });
});
