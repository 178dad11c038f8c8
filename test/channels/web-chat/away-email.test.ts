/**
 * Follow-ups reach a web-chat customer who left (issue #16 item 1), in Chromium against the whole Redress with the
 * email channel on Dovecot and a real SMTP sink: while the page is open messages show there only; once the customer
 * has left, the resolution and the satisfaction check also go to the email they gave, in one thread; days later the
 * same browser reopens the chat and sees them; an expired resume token starts a fresh chat with a clear notice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ParsedMail } from 'mailparser';
import type { Redress } from '../../../src/main.ts';
import { ADMIN_TOKEN, DATABASE_URL, missing, startTestApp, sweepUntil, testClock } from '../../helpers.ts';
import { startDovecot, type Dovecot } from '../email/dovecot.ts';
import { startSink } from '../email/mail-harness.ts';
import { launchChromium, webChat } from './web-chat-page.ts';

const MIN = 60_000;
const DAY = 1440 * MIN;

describe.skipIf(missing('chromium') || missing('dovecot'))('a web-chat customer who left hears back by email', () => {
  const clock = testClock();
  let dovecot: Dovecot;
  let sink: Awaited<ReturnType<typeof startSink>>;
  let app: Redress;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    dovecot = await startDovecot();
    sink = await startSink();
    app = await startTestApp(DATABASE_URL ? 'pg' : 'pglite', {
      jobs: false,
      clock: clock.now,
      env: {
        IMAP_URL: dovecot.url,
        SMTP_URL: sink.url,
        MAIL_FROM: 'Complaints <complaints@shop.example>',
        SATISFACTION_CHECK_DAYS: '5',
        WEB_CHAT_AWAY_SECONDS: '120',
        WEB_CHAT_RESUME_DAYS: '30',
      },
    });
    browser = await launchChromium();
    // One browser profile for the whole story: its localStorage is what brings the customer back.
    context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1000, height: 2000 } });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await sink?.close();
    await dovecot?.stop();
  });

  const open = async (): Promise<{ page: Page; chat: ReturnType<typeof webChat> }> => {
    const page = await context.newPage();
    const chat = webChat(page);
    await page.goto(app.url + '/', { waitUntil: 'load' });
    return { page, chat };
  };
  const seenAt = async (ref: string) =>
    (
      await app.db.query<{ seen_at: Date | null }>(
        'SELECT c.seen_at FROM conversations c JOIN tickets t ON t.conversation_id = c.id WHERE t.reference = $1',
        [ref],
      )
    ).rows[0].seen_at;
  const mailsTo = (address: string) =>
    sink.mails.filter((m: ParsedMail) => (m.to as { text: string } | undefined)?.text.includes(address));

  it('sends the resolution and the satisfaction check by email in one thread, and shows them when the customer is back', async () => {
    const { page, chat } = await open();
    await chat.say(
      'My blender from order 77120 started smoking yesterday and I want a refund. Lena Berg, lena.berg@example.com',
    );
    await chat.botSays(/Have I got that right\?/);
    await chat.say('yes');
    const said = await chat.botSays(/I've recorded your complaint as CMP-\d{6}/);
    const ref = said.join('\n').match(/CMP-\d{6,}/)![0];

    // The page is open and polling: the acknowledgement an hour later shows in the chat and is not emailed.
    clock.advance(61 * MIN);
    await expect
      .poll(async () => (await seenAt(ref))?.getTime(), { timeout: 30_000 })
      .toBeGreaterThan(clock.now().getTime() - MIN);
    expect(await sweepUntil(app, clock.now())).toBe(1);
    await chat.botSays(/This is to confirm we have received complaint/);
    await app.outbox.flush(clock.now());
    expect(mailsTo('lena.berg@example.com')).toEqual([]);

    // The customer closes the tab. Ten minutes later staff resolve it: the message waits in the chat and goes by email.
    await page.close();
    clock.advance(10 * MIN);
    const r = await fetch(`${app.url}/api/tickets/${ref}/status`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        status: 'resolved',
        resolution: {
          remedy: 'refund',
          amount: 59,
          currency: 'EUR',
          cause: 'product_defect',
          message: 'We have refunded the 59 EUR to your card.',
        },
      }),
    });
    expect(r.status).toBe(200);
    await app.outbox.flush(clock.now());
    await expect.poll(() => mailsTo('lena.berg@example.com').length, { timeout: 20_000 }).toBe(1);
    const [resolution] = mailsTo('lena.berg@example.com');
    expect(resolution.subject).toBe(`Your complaint [${ref}]`);
    expect(resolution.text).toContain('We have refunded the 59 EUR to your card.');
    expect(resolution.inReplyTo).toBeUndefined();

    // Five days on, the satisfaction check: the same thread (a reply to the resolution email).
    clock.advance(6 * DAY);
    expect(await sweepUntil(app, clock.now())).toBe(1);
    await app.outbox.flush(clock.now());
    await expect.poll(() => mailsTo('lena.berg@example.com').length, { timeout: 20_000 }).toBe(2);
    const check = mailsTo('lena.berg@example.com')[1];
    expect(check.subject).toBe(`Re: Your complaint [${ref}]`);
    expect(check.inReplyTo).toBe(resolution.messageId);
    expect(check.references).toContain(resolution.messageId);
    expect(check.text).toMatch(/satisf/i);
    // Staff see how the customer was told.
    const events = await app.db.query<{ data: { purpose: string } }>(
      "SELECT e.data FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE t.reference = $1 AND e.kind = 'sent_by_email' ORDER BY e.id",
      [ref],
    );
    expect(events.rows.map((e) => e.data.purpose)).toEqual(['resolution', 'satisfaction_check']);

    // Six days after leaving, the same browser opens the page: the same chat, with what was sent meanwhile.
    const back = await open();
    await back.chat.botSays(/We have refunded the 59 EUR to your card\./);
    await back.chat.botSays(/satisf/i);
    expect((await back.chat.user()).map((t) => t.trim())[0]).toMatch(/^My blender from order 77120/);
    await back.chat.say('4, yes thanks');
    await back.chat.botSays(/thank/i);
    expect(back.chat.errors.filter((e) => !/favicon\.ico$/.test(e))).toEqual([]);
    await back.page.close();
  });

  it('starts a fresh chat, saying why, when the resume token has expired', async () => {
    clock.advance(31 * DAY);
    const { page, chat } = await open();
    await expect
      .poll(() => page.locator('#notice').textContent(), { timeout: 20_000 })
      .toMatch(/not used for 30 days and has expired\. This is a new chat\./);
    // Nothing of the old conversation is shown; the new chat works.
    await chat.say('The parcel for order 99017 never arrived and I want it resent.');
    const bot = await chat.botSays(/sorry/i);
    expect(bot.join('\n')).not.toMatch(/refunded|blender/);
    // "Start a new chat" revokes this browser's token and opens another conversation.
    const before = await page.evaluate(() => JSON.parse(localStorage.getItem('redress-chat')!).conversationId);
    await page.locator('#new-chat').click();
    await page.waitForLoadState('load');
    await expect
      .poll(() => page.evaluate(() => JSON.parse(localStorage.getItem('redress-chat') ?? 'null')?.conversationId), {
        timeout: 20_000,
      })
      .not.toBe(before);
    // The page may still be loading the new chat when its id is stored (a second navigation under load): read the
    // bubbles once the page has settled, retrying a read that a navigation cut off.
    await page.waitForLoadState('load');
    await expect.poll(() => chat.user().catch(() => ['(navigating)']), { timeout: 20_000 }).toEqual([]);
    await page.close();
  });
});
