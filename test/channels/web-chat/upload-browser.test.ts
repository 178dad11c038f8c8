/**
 * Web Chat's upload button in Chromium (issue #18 item 3): the customer picks a photo through Web Chat's own file
 * input, the official client uploads it to our Direct Line, and the bot acknowledges it in the chat; a text file named
 * .jpg and a photo over the limit are refused, the reason said in the chat.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, webChat } from './web-chat-page.ts';
import type { Redress } from '../../../src/main.ts';
import { DATABASE_URL, missing, startTestApp } from '../../helpers.ts';

const JPEG = readFileSync('test/fixtures/uploads/kettle.jpg');

describe.skipIf(missing('chromium'))(`Web Chat uploads in Chromium (${DATABASE_URL ? 'pg' : 'pglite'})`, () => {
  let app: Redress;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    // A limit small enough that a padded photo passes it (20 KB, as the bot says it).
    app = await startTestApp(DATABASE_URL ? 'pg' : 'pglite', {
      jobs: false,
      env: { WEB_CHAT_UPLOAD_MAX_BYTES: '20480' },
    });
    browser = await launchChromium();
    page = await (await browser.newContext({ locale: 'en-GB' })).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('a photo through the upload button is stored and acknowledged; a fake photo and a large one are refused', async () => {
    const chat = webChat(page);
    const csp: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) csp.push(m.text());
    });
    await page.goto(`${app.url}/`, { waitUntil: 'load' });
    await chat.say('Hello');
    await chat.botSays(/./);

    const input = page.locator('input[type="file"]');
    await input.waitFor({ state: 'attached', timeout: 30_000 });
    // Web Chat holds a picked file in its send box (the paper clip checked) until the customer sends it (its default
    // sendAttachmentOn: 'send'); the click waits for the file to be taken in.
    const attached = page.locator('.webchat__attachment-icon--checked');
    const send = page.locator('button.webchat__send-button');
    await input.setInputFiles({ name: 'kettle.jpg', mimeType: 'image/jpeg', buffer: JPEG });
    await attached.waitFor({ state: 'visible', timeout: 30_000 });
    await send.click();
    await chat.botSays(/^Thanks for the file; I've kept it with your complaint\./);
    const stored = await app.db.query<{ name: string; content_type: string; size: number; content: Buffer }>(
      'SELECT name, content_type, size::int AS size, content FROM attachments ORDER BY id',
    );
    expect(stored.rows.map((r) => [r.name, r.content_type, r.size])).toEqual([['kettle.jpg', 'image/jpeg', 843]]);
    expect(stored.rows[0].content.equals(JPEG)).toBe(true);

    // The accepted upload went without a script error or a failed request (the browser's favicon probe aside).
    expect(chat.errors.filter((e) => !/favicon/.test(e))).toEqual([]);
    const before = chat.errors.length;
    await attached.waitFor({ state: 'detached', timeout: 30_000 });
    await input.setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('not a photo at all') });
    await attached.waitFor({ state: 'visible', timeout: 30_000 });
    await send.click();
    await chat.botSays(/^Sorry, we can't accept that kind of file\. You can send JPEG, PNG, GIF, WebP or PDF files\.$/);

    // A real photo made larger than the limit (zeros after its end): refused with the limit said in the chat.
    await attached.waitFor({ state: 'detached', timeout: 30_000 });
    const big = Buffer.concat([JPEG, Buffer.alloc(30_000 - JPEG.length)]);
    await input.setInputFiles({ name: 'big.jpg', mimeType: 'image/jpeg', buffer: big });
    await attached.waitFor({ state: 'visible', timeout: 30_000 });
    await send.click();
    await chat.botSays(/^Sorry, that file is too large for us to accept: uploads are limited to 20 KB in all\./);
    expect((await app.db.query('SELECT 1 FROM attachments')).rows).toHaveLength(1);
    expect(csp).toEqual([]);
    // What the refused files cause, and nothing else: the 415 and 413, Web Chat saying its posts failed, and its
    // thumbnail maker failing on a "photo" that is not one.
    const expected = [
      /^HTTP 41[35] POST .*\/upload\?userId=/,
      /^console: botframework-webchat: Failed to post activity/,
      /^console: InvalidStateError: The source image could not be decoded/,
      /favicon/,
    ];
    expect(chat.errors.slice(before).filter((e) => !expected.some((re) => re.test(e)))).toEqual([]);
  });
});
