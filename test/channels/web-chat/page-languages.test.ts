/**
 * Issue #18 item 5: the chat page's own text (title, greeting, button, the send box's placeholder, Web Chat's own
 * words) follows the browser's language in Chromium, English, Simplified or Traditional Chinese from the
 * Accept-Language the browser's locale sends; `?lang=` overrides it. The texts are written out here by hand. axe-core
 * finds no serious or critical problem in any of them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from './web-chat-page.ts';
import { axeSerious } from './page-checks.ts';
import type { Redress } from '../../../src/main.ts';
import { DATABASE_URL, missing, startTestApp } from '../../helpers.ts';

const SEEN = {
  en: {
    lang: 'en',
    documentTitle: 'Redress — tell us what went wrong',
    h1: 'Complaints',
    greeting: "We're sorry something went wrong. Tell us about it and we'll make sure the right team puts it right.",
    button: 'Start a new chat',
    placeholder: 'Tell us what happened',
    send: 'Send',
  },
  'zh-Hans': {
    lang: 'zh-Hans',
    documentTitle: 'Redress — 告诉我们哪里出了问题',
    h1: '投诉',
    greeting: '很抱歉给您带来不便。请告诉我们发生了什么，我们会确保由合适的团队为您解决。',
    button: '开始新的对话',
    placeholder: '请告诉我们发生了什么',
    send: '发送',
  },
  'zh-Hant': {
    lang: 'zh-Hant',
    documentTitle: 'Redress — 告訴我們哪裡出了問題',
    h1: '投訴',
    greeting: '很抱歉給您帶來不便。請告訴我們發生了什麼，我們會確保由合適的團隊為您解決。',
    button: '開始新的對話',
    placeholder: '請告訴我們發生了什麼',
    send: '傳送',
  },
};

describe.skipIf(missing('chromium'))(`chat page languages in Chromium (${DATABASE_URL ? 'pg' : 'pglite'})`, () => {
  let app: Redress;
  let browser: Browser;

  beforeAll(async () => {
    app = await startTestApp(DATABASE_URL ? 'pg' : 'pglite');
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const seen = async (locale: string, path = '/') => {
    const context = await browser.newContext({ locale });
    const page = await context.newPage();
    await page.goto(app.url + path, { waitUntil: 'load' });
    const input = page.locator('.webchat__send-box-text-box__input');
    await input.waitFor({ state: 'visible', timeout: 30_000 });
    const text = {
      lang: await page.locator('html').getAttribute('lang'),
      documentTitle: await page.title(),
      h1: await page.locator('body > header h1').textContent(),
      greeting: (await page
        .locator('body > header p')
        .first()
        .evaluate((p) => p.firstChild?.textContent ?? ''))!.trim(),
      button: await page.locator('#new-chat').textContent(),
      placeholder: await input.getAttribute('placeholder'),
      send: await page.locator('button.webchat__send-button').getAttribute('title'),
    };
    // No serious or critical accessibility problem in any language (the lang attribute among them).
    const found = await axeSerious(page);
    expect(found, JSON.stringify(found, null, 2)).toEqual([]);
    await context.close();
    return text;
  };

  it('speaks English to an English browser', async () => {
    expect(await seen('en-GB')).toEqual(SEEN.en);
  });

  it('speaks Simplified Chinese to a mainland browser', async () => {
    expect(await seen('zh-CN')).toEqual(SEEN['zh-Hans']);
  });

  it('speaks Traditional Chinese to a Taiwan or Hong Kong browser', async () => {
    expect(await seen('zh-TW')).toEqual(SEEN['zh-Hant']);
    expect(await seen('zh-HK')).toEqual(SEEN['zh-Hant']);
  });

  it('falls back to English for a language it does not speak, and ?lang= overrides the browser', async () => {
    expect(await seen('fr-FR')).toEqual(SEEN.en);
    expect(await seen('en-GB', '/?lang=zh-Hant')).toEqual(SEEN['zh-Hant']);
    expect(await seen('zh-CN', '/?lang=en')).toEqual(SEEN.en);
  });
});
