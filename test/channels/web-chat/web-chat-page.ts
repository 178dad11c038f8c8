/** Chromium for tests (Debian's binary through playwright-core), and a customer's hands on the Web Chat page. */
import { expect } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM } from '../../helpers.ts';

/** Headless Chromium with nothing running in the background (no updates, sync or QUIC probes). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
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
}

const WAIT = { timeout: 30_000, interval: 250 };
// Web Chat also writes each message into screen-reader-only text ("Bot said: ..."), so read the rendered bubbles
// rather than document.body.innerText, which would count every message twice or more.
const BOT = '.webchat__bubble:not(.webchat__bubble--from-user) .webchat__bubble__content';
const USER = '.webchat__bubble.webchat__bubble--from-user .webchat__bubble__content';

/** Types and reads on the Web Chat of `page`; `errors` collects script errors and failed requests. */
export function webChat(page: Page) {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  // A failed request is logged to the console without its URL; the response listener records it with the URL.
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()} ${r.request().method()} ${r.url()}`);
  });
  const bubbles = (selector: string) => page.locator(selector).allInnerTexts();
  return {
    errors,
    /** The bot's bubbles, in order. */
    bot: () => bubbles(BOT),
    /** The customer's bubbles, in order. */
    user: () => bubbles(USER),
    /** Types `text` into the send box and presses Enter; waits until the page shows it as sent. */
    async say(text: string): Promise<void> {
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
    },
    /** Waits until a bot bubble matches `re` and returns the bot's bubbles. */
    async botSays(re: RegExp): Promise<string[]> {
      try {
        await expect.poll(async () => (await bubbles(BOT)).some((t) => re.test(t)), WAIT).toBe(true);
      } catch {
        const said = await bubbles(BOT).catch(() => []);
        throw new Error(
          `the bot never said ${re}; it said: ${JSON.stringify(said)}; browser errors: ${errors.join(' | ') || 'none'}`,
        );
      }
      return bubbles(BOT);
    },
  };
}
