/**
 * Web Chat with its default options in Chromium streams over our Direct Line WebSocket: no activities are polled
 * during the conversation, and the bot's typing reaches the page and shows as Web Chat's typing indicator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, webChat } from './web-chat-page.ts';
import type { Redress } from '../../../src/main.ts';
import { DATABASE_URL, missing, startTestApp } from '../../helpers.ts';

describe.skipIf(missing('chromium'))(`Web Chat streams in Chromium (${DATABASE_URL ? 'pg' : 'pglite'})`, () => {
  let app: Redress;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    app = await startTestApp(DATABASE_URL ? 'pg' : 'pglite', { jobs: false });
    browser = await launchChromium();
    page = await (await browser.newContext({ locale: 'en-GB' })).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('holds the chat over one WebSocket with typing shown, and never polls', async () => {
    const chat = webChat(page);
    const requests: string[] = [];
    page.on('request', (r) => requests.push(`${r.method()} ${new URL(r.url()).pathname}`));
    const sockets: string[] = [];
    const frames: any[] = [];
    page.on('websocket', (ws) => {
      sockets.push(new URL(ws.url()).pathname);
      ws.on('framereceived', (f) => {
        if (typeof f.payload === 'string' && f.payload) frames.push(JSON.parse(f.payload));
      });
    });
    // Each turn waits a moment before it runs, so the typing indicator stays on screen long enough to be seen (a
    // turn normally takes a few milliseconds). The wait is ours, in the test; nothing is timed.
    const handle = app.engine.handle.bind(app.engine);
    app.engine.handle = async (m) => {
      await new Promise((r) => setTimeout(r, 1500));
      return handle(m);
    };
    await page.goto(app.url + '/', { waitUntil: 'load' });
    // Set before the first message: did the typing indicator ever render?
    await page.evaluate(() => {
      const w = window as unknown as { typingShown: boolean };
      w.typingShown = false;
      new MutationObserver(() => {
        if (document.querySelector('.webchat__typing-indicator')) w.typingShown = true;
      }).observe(document.body, { childList: true, subtree: true });
    });

    await chat.say('My washing machine from order 30017 has been leaking since last Saturday and I want a repair.');
    await chat.botSays(/Let me check I've understood/);
    await chat.say('yes');
    await chat.botSays(/Thank you for confirming/);

    // The stream carried everything: one socket to the conversation's stream, no GET …/activities at all.
    expect(sockets).toHaveLength(1);
    expect(sockets[0]).toMatch(/^\/v3\/directline\/conversations\/[\w-]+\/stream$/);
    expect(requests.filter((r) => r.startsWith('GET') && r.endsWith('/activities'))).toEqual([]);
    expect(requests.filter((r) => r.startsWith('POST') && r.endsWith('/activities'))).toHaveLength(2);
    // The bot's typing reached the page before each answer, and Web Chat showed it.
    // (The first turn's may go before the socket is open; by the second the first answer came over it.)
    const kinds = frames.flatMap((f) => f.activities.map((a: any) => `${a.type} ${a.from.role} ${a.text ?? ''}`));
    const yes = kinds.indexOf('message user yes');
    expect(yes).toBeGreaterThan(0);
    expect(kinds[yes - 1]).toBe('typing bot ');
    expect(await page.evaluate(() => (window as unknown as { typingShown: boolean }).typingShown)).toBe(true);
    expect(chat.errors.filter((e) => !/ GET \S+\/favicon\.ico$/.test(e))).toEqual([]);
  });
});
