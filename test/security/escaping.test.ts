/**
 * Hostile customer text (script tags, event handlers, javascript: links, markdown, Slack pings, spreadsheet formulas,
 * header injection, a right-to-left override) goes in through real channels and the real engine, and is checked
 * everywhere it is shown: Web Chat in Chromium, email replies, the dashboard, the CSV export and the Slack console.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../channels/web-chat/web-chat-page.ts';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Redress } from '../../src/main.ts';
import { csvCell } from '../../src/staff/summary.ts';
import { ADMIN_TOKEN, missing, staffGet } from '../helpers.ts';
import type { Dovecot } from '../channels/email/dovecot.ts';
import { append, rawMail } from '../channels/email/mail-harness.ts';
import { startFakeSlack } from '../channels/slack/fake-slack.ts';
import {
  addresses,
  directLine,
  FORMULAS,
  headerLines,
  HOSTILE,
  HOSTILE_COMPLAINT,
  startSecurityApp,
  type startEnvelopeSink,
} from './support.ts';

const SLACK_SECRET = 'slack-signing-secret-for-security-tests';
const WAIT = { timeout: 30_000, interval: 200 };
const noChromium = missing('chromium');
const noDovecot = missing('dovecot');

let app: Redress;
let slack: Awaited<ReturnType<typeof startFakeSlack>>;
let sink: Awaited<ReturnType<typeof startEnvelopeSink>>;
let dovecot: Dovecot | undefined;
let dl: ReturnType<typeof directLine>;
/** The ticket filed (over Direct Line) with every hostile piece in its first message. */
let hostileRef: string;
let hostileConversation: { conversationId: string; token: string };
/** Tickets whose restatement starts with a spreadsheet formula. */
const formulaRefs: string[] = [];

let stopAll: () => Promise<void>;
beforeAll(async () => {
  ({ app, slack, sink, dovecot, stop: stopAll } = await startSecurityApp({ env: {}, slackSecret: SLACK_SECRET }));
  dl = directLine(app);
  for (const [i, f] of FORMULAS.entries()) {
    formulaRefs.push(
      (
        await dl.complain(
          `${f} my toaster from order 510${i} made a strange sound yesterday. I want a refund. Bo Chan, bo${i}@example.com`,
        )
      ).reference,
    );
  }
  // Filed last: the dashboard quotes the three newest tickets of a category, and the formulas share its category.
  ({ reference: hostileRef, conversation: hostileConversation } = await dl.complain(HOSTILE_COMPLAINT));
});

afterAll(async () => {
  await stopAll?.();
});

describe('the hostile text really reaches the places checked below', () => {
  it('is kept verbatim in the ticket (nothing is escaped in storage: escaping belongs to each place that shows it)', async () => {
    const t = (await staffGet(app, `/api/tickets/${hostileRef}`)).body;
    expect(t.record.customerWords[0]).toContain(HOSTILE.script);
    expect(t.record.customerWords[0]).toContain(HOSTILE.img);
    expect(t.record.customerWords[0]).toContain(HOSTILE.rlo);
    expect(t.restatement).toContain(HOSTILE.script);
    expect(t.restatement).toContain(HOSTILE.img);
    // The restatement retells the complaint, so it starts with the formula's first character (its sentences are re-spaced).
    for (const [i, ref] of formulaRefs.entries())
      expect((await staffGet(app, `/api/tickets/${ref}`)).body.restatement[0]).toBe(FORMULAS[i][0]);
  });
});

describe('web chat', () => {
  it('Direct Line marks every activity as plain text, so Web Chat renders no markdown or HTML from it', async () => {
    const c = await dl.open();
    await dl.say(c, HOSTILE_COMPLAINT);
    const acts = await dl.activities(c);
    expect(acts.find((a) => a.from.role === 'user')!.text).toBe(HOSTILE_COMPLAINT);
    expect(
      acts
        .filter((a) => a.from.role === 'bot')
        .map((a) => a.text)
        .join('\n'),
    ).toContain(HOSTILE.script);
    for (const a of acts) expect(a.textFormat).toBe('plain');
  });

  describe.skipIf(noChromium)('in Chromium', () => {
    let browser: Browser;
    let page: Page;
    beforeAll(async () => {
      browser = await launchChromium();
      page = await (await browser.newContext({ locale: 'en-GB', viewport: { width: 1000, height: 1600 } })).newPage();
    });
    afterAll(async () => {
      await browser?.close();
    });

    const USER = '.webchat__bubble.webchat__bubble--from-user .webchat__bubble__content';
    const BOT = '.webchat__bubble:not(.webchat__bubble--from-user) .webchat__bubble__content';
    const texts = (selector: string) => page.locator(selector).allInnerTexts();
    /** Everything in the transcript that could run script or navigate: injected elements, handlers, javascript: links. */
    const dangerous = () =>
      page.evaluate(() => {
        const root = document.getElementById('webchat')!;
        const all = [...root.querySelectorAll('*')];
        return {
          scripts: root.querySelectorAll('script').length,
          images: [...root.querySelectorAll('img')].filter((i) => /\bx$/.test(i.getAttribute('src') ?? '')).length,
          handlers: all
            .filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name)))
            .map((e) => e.outerHTML.slice(0, 120)),
          jsLinks: all
            .filter((e) => [...e.attributes].some((a) => /^\s*javascript:/i.test(a.value)))
            .map((e) => e.outerHTML.slice(0, 120)),
          strong: [...root.querySelectorAll('strong, b')].filter((e) => e.textContent === 'bold').length,
          pwned: (window as unknown as { __pwned?: unknown }).__pwned,
        };
      });

    it('shows the customer text and its restatement as text: nothing runs, no element or link is made from it, markdown is off', async () => {
      await page.goto(app.url + '/', { waitUntil: 'load' });
      const box = page.locator('.webchat__send-box-text-box__input');
      await box.waitFor({ state: 'visible', timeout: WAIT.timeout });
      await box.fill(HOSTILE_COMPLAINT);
      await box.press('Enter');
      await expect
        .poll(async () => (await texts(BOT)).some((t) => /Let me check I've understood/.test(t)), WAIT)
        .toBe(true);
      // The text arrived whole and is on screen as the customer typed it, tags and asterisks included.
      const user = (await texts(USER)).join('\n');
      for (const piece of [HOSTILE.script, HOSTILE.img, HOSTILE.mdLink, HOSTILE.aLink, HOSTILE.bold, HOSTILE.ping])
        expect(user).toContain(piece);
      const restatement = (await texts(BOT)).find((t) => /Let me check I've understood/.test(t))!;
      expect(restatement).toContain(HOSTILE.script);
      expect(restatement).toContain(HOSTILE.img);
      expect(restatement).toContain(HOSTILE.bold);
      // One more turn gives a broken image's onerror every chance to fire before looking.
      const before = (await texts(BOT)).length;
      await box.fill('yes');
      await box.press('Enter');
      await expect.poll(async () => (await texts(BOT)).length, WAIT).toBeGreaterThan(before);
      expect(await dangerous()).toEqual({
        scripts: 0,
        images: 0,
        handlers: [],
        jsLinks: [],
        strong: 0,
        pwned: undefined,
      });
    });

    it('the dashboard (signed in through its form) shows the quote as text, and its right-to-left override cannot reverse the page', async () => {
      await page.goto(app.url + '/dashboard', { waitUntil: 'load' });
      await page.locator('input[name="token"]').fill(ADMIN_TOKEN);
      await Promise.all([page.waitForURL(/\/dashboard$/), page.locator('form button').click()]);
      const quote = page.locator('li', { hasText: hostileRef });
      await expect.poll(() => quote.count(), WAIT).toBe(1);
      expect(await quote.innerText()).toContain(HOSTILE.script);
      const found = await page.evaluate((ref) => {
        const main = document.querySelector('main')!;
        const all = [...main.querySelectorAll('*')];
        // Where each character of the reference is drawn: left to right unless the customer's override leaked out.
        const small = [...main.querySelectorAll('li small')].find((s) => s.textContent!.includes(ref))!;
        const node = small.firstChild as Text;
        const start = node.data.indexOf(ref);
        const x = (i: number) => {
          const r = document.createRange();
          r.setStart(node, start + i);
          r.setEnd(node, start + i + 1);
          return r.getBoundingClientRect().left;
        };
        return {
          handlers: all.filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name))).length,
          jsLinks: all.filter((e) => [...e.attributes].some((a) => /^\s*javascript:/i.test(a.value))).length,
          images: main.querySelectorAll('img').length,
          pwned: (window as unknown as { __pwned?: unknown }).__pwned,
          referenceReadsLeftToRight: x(0) < x(ref.length - 1),
        };
      }, hostileRef);
      expect(found).toEqual({ handlers: 0, jsLinks: 0, images: 0, pwned: undefined, referenceReadsLeftToRight: true });
    });
  });
});

describe('dashboard HTML', () => {
  it('contains the quoted customer text only escaped, with the override isolated from the page around it', async () => {
    const r = await fetch(`${app.url}/dashboard`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await r.text();
    const item = html.match(new RegExp(`<li[^>]*>(?:(?!</li>).)*${hostileRef}(?:(?!</li>).)*</li>`, 's'))?.[0];
    expect(item, 'the hostile quote is on the page').toBeDefined();
    expect(item).toContain('&lt;script&gt;__pwned=1&lt;/script&gt;');
    expect(item).toContain('&lt;img src=x onerror=__pwned=2&gt;');
    expect(item).toContain('&lt;a href=javascript:__pwned=4&gt;');
    for (const raw of [HOSTILE.script, HOSTILE.img, '<a href=javascript', '<!channel>'])
      expect(html).not.toContain(raw);
    // No bidi embedding or override control is left open before the reference that follows the quote (removed, or
    // closed inside an isolating <bdi>); the browser test above checks how the reference is actually drawn.
    expect(item!.replace(/<bdi>[^<]*<\/bdi>/g, '')).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
  });
});

describe('CSV export', () => {
  it('neutralises every cell that a spreadsheet would read as a formula', async () => {
    // A year either side of now: an export answers at most SUMMARY_MAX_DAYS (two years) at once.
    const day = (years: number) => new Date(Date.now() + years * 365 * 86_400_000).toISOString().slice(0, 10);
    const r = await fetch(`${app.url}/api/tickets.csv?from=${day(-1)}&to=${day(1)}`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows = parseCsv(await r.text(), { columns: true }) as Array<Record<string, string>>;
    for (const [i, ref] of formulaRefs.entries()) {
      const row = rows.find((x) => x.reference === ref)!;
      expect(row.restatement).toBe(`'${(await staffGet(app, `/api/tickets/${ref}`)).body.restatement}`);
      expect(row.restatement.slice(0, 2)).toBe(`'${FORMULAS[i][0]}`);
    }
    for (const row of rows)
      for (const [column, cell] of Object.entries(row))
        expect(cell, `${row.reference} ${column}`).not.toMatch(/^[=+\-@\t\r]/);
    expect(rows.find((x) => x.reference === hostileRef)!.restatement).toContain(HOSTILE.script);
  });

  it('neutralises a leading tab or carriage return too, and quotes every cell', () => {
    for (const s of ['\t=1+1', '\r=1+1', '=1+1', '+1', '-1', '@A1']) expect(csvCell(s)).toBe(`"'${s}"`);
    expect(csvCell('a "quoted" word,\r\nnext line')).toBe('"a ""quoted"" word,\r\nnext line"');
    expect(csvCell('plain')).toBe('"plain"');
  });
});

describe('Slack console', () => {
  const signed = (body: string, type: string) => {
    const ts = Math.floor(Date.now() / 1000);
    const sig = `v0=${createHmac('sha256', SLACK_SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
    return fetch(`${app.url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': type, 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sig },
      body,
    });
  };
  /** Slack's control sequences: <!channel>, <@U…>, <#C…>, <!subteam^…>, <url|text> links. */
  const CONTROL = /<[!@#][^>]*>|<[a-z][a-z0-9+.-]*:[^>]*>/i;
  const ALLOWED = /^<!subteam\^S[A-Z0-9]+>$|^<@U0STAFF01>$|^<#C[A-Z0-9]+>$/;
  const controls = (s: string) => (s.match(new RegExp(CONTROL.source, 'gi')) ?? []).filter((c) => !ALLOWED.test(c));

  it('the ticket message shows the customer text in plain_text or escaped, so it pings no one and links nowhere', async () => {
    await app.slack!.sync();
    const post = slack.calls.find(
      (c) =>
        c.method === 'chat.postMessage' &&
        !c.args.thread_ts &&
        JSON.stringify(c.args.blocks ?? '').includes(hostileRef),
    );
    expect(post, 'the ticket was posted').toBeDefined();
    const blocks = post!.args.blocks as Array<Record<string, any>>;
    const parts = blocks
      .flatMap((b) => [b.text, ...(b.fields ?? []), ...(b.elements ?? [])])
      .filter((x) => x?.type === 'mrkdwn' || x?.type === 'plain_text');
    expect(parts.some((p) => p.type === 'plain_text' && p.text.includes(HOSTILE.script))).toBe(true);
    for (const p of parts.filter((x) => x.type === 'mrkdwn')) expect(controls(p.text)).toEqual([]);
    expect(post!.args.text).toContain('&lt;script&gt;');
    expect(controls(post!.args.text)).toEqual([]);
  });

  it("the customer's next message in the ticket's thread is escaped: no ping, no mention, no link", async () => {
    const words = `Also ${HOSTILE.ping} <!here> ${HOSTILE.slackLink} <https://evil|click> *bold*`;
    await dl.say(hostileConversation, words);
    await app.slack!.sync();
    const line = slack.calls.find(
      (c) => c.method === 'chat.postMessage' && c.args.thread_ts && /^Customer wrote: Also/.test(c.args.text),
    );
    expect(line, 'the message was posted in the thread').toBeDefined();
    expect(line!.args.text).toBe(
      `Customer wrote: ${words.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}`,
    );
    expect(controls(line!.args.text)).toEqual([]);
    for (const c of slack.calls)
      for (const raw of ['<!channel>', '<!here>', '<@U123>', '<javascript:', '<https://evil'])
        expect(JSON.stringify(c.args)).not.toContain(raw);
  });

  it('/complaints shows the restatement escaped', async () => {
    const r = await signed(
      new URLSearchParams({
        token: 'legacy',
        team_id: 'T00000000',
        channel_id: 'CQUALITY',
        user_id: 'U0STAFF01',
        user_name: 'staff',
        command: '/complaints',
        text: hostileRef,
        response_url: 'https://hooks.slack.com/commands/T0/1/x',
        trigger_id: '1.2.3',
        api_app_id: 'A00000000',
      }).toString(),
      'application/x-www-form-urlencoded',
    );
    const body = await r.json();
    expect(body.text).toContain('&lt;script&gt;__pwned=1&lt;/script&gt;');
    expect(controls(body.text)).toEqual([]);
  });
});

describe.skipIf(noDovecot)('email', () => {
  it('a reply to hostile mail is plain text with no injected header, recipient or reversed reference', async () => {
    const messageId = `<hostile-${Date.now()}@customer.example>`;
    const name = 'Bob\r\nBcc: x@evil.example';
    await append(
      dovecot!,
      rawMail({
        // The display name as an encoded word, so the CR LF survives into the decoded name.
        from: `=?utf-8?B?${Buffer.from(name).toString('base64')}?= <bob@customer.example>`,
        // No kind of problem in the subject either ("Broken …" would be restated in our words, without the hostile text).
        subject: `Kettle noise\r\nBcc: y@evil.example\r\n\r\n${HOSTILE.script} ${HOSTILE.rlo}gnp`,
        body: `${HOSTILE_COMPLAINT.replace('ana.ruiz@example.com', 'bob@customer.example')}\r\nCc: z@evil.example`,
        messageId,
      }),
    );
    await expect.poll(() => sink.mails.filter((m) => m.mail.inReplyTo === messageId).length, WAIT).toBe(1);
    const { envelope, raw, mail } = sink.mails.find((m) => m.mail.inReplyTo === messageId)!;
    // It went to the customer and nobody else, whatever the headers say.
    expect(envelope.to).toEqual(['bob@customer.example']);
    expect(addresses(mail.to)).toEqual(['bob@customer.example']);
    expect(addresses(mail.cc)).toEqual([]);
    expect(addresses(mail.bcc)).toEqual([]);
    const headers = headerLines(raw).map((l) => l.slice(0, l.indexOf(':')).toLowerCase());
    expect(headers).not.toContain('bcc');
    expect(headers).not.toContain('cc');
    expect(headers.filter((h) => h === 'to' || h === 'subject')).toEqual(expect.arrayContaining(['to', 'subject']));
    expect(new Set(headers).size).toBe(headers.length);
    // The subject is one line that still ends with the reference, readable left to right.
    const ref = /\[(CMP-\d{6,})\]$/.exec(mail.subject ?? '')?.[1];
    expect(ref, `subject ${JSON.stringify(mail.subject)}`).toBeDefined();
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.subject).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    // Plain text only: no HTML part that a mail client would render.
    expect(mail.html).toBe(false);
    expect(
      String(mail.headers.get('content-type') && (mail.headers.get('content-type') as { value: string }).value),
    ).toBe('text/plain');
    expect(mail.text).toContain(HOSTILE.script);
  });
});
