import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import type { ParsedMail } from 'mailparser';
import { startRedress, type Redress } from '../../../src/main.ts';
import type { Db } from '../../../src/store/db.ts';
import { DATABASE_URL, missing, staffGet, testConfig, testDb } from '../../helpers.ts';
import { startDovecot, type Dovecot } from './dovecot.ts';
import { append, rawMail, startSink } from './mail-harness.ts';

const skip = missing('dovecot');

const kind = DATABASE_URL ? 'pg' : 'pglite';
const tweets = parse(readFileSync('test/fixtures/en-twitter-complaints-sample.csv'), { columns: true }) as Array<{
  text: string;
}>;
const reviews = parse(readFileSync('test/fixtures/zh-shopping-complaints-sample.csv'), { columns: true }) as Array<{
  cat: string;
  review: string;
}>;
// A real tweet that names an order number: the reply must pick it up from the customer's own words.
const realTweet = tweets.find((t) => /order is \d+/i.test(t.text))!.text;
const realOrder = /order is (\d+)/i.exec(realTweet)![1];
const realReview = reviews.find((r) => r.cat === '热水器')!.review;

describe.skipIf(skip)('email channel against Dovecot and a real SMTP sink', () => {
  let dovecot: Dovecot;
  let sink: Awaited<ReturnType<typeof startSink>>;
  let db: Db;
  let app: Redress;
  let n = 0;
  const id = () => `<t${Date.now()}-${n++}@customer.example>`;
  const env = () => ({
    IMAP_URL: dovecot.url,
    SMTP_URL: sink.url,
    MAIL_FROM: 'Complaints <complaints@shop.example>',
    MAIL_POLL_SECONDS: '1',
    API_TOKEN: 'systems-token-0123456789',
  });
  const start = async () =>
    (app = await startRedress(testConfig({ ...(DATABASE_URL ? { DATABASE_URL } : {}), ...env() }), {
      db,
      jobs: false,
    }));
  const repliesTo = (messageId: string) => sink.mails.filter((m) => m.inReplyTo === messageId);
  const waitReply = async (messageId: string): Promise<ParsedMail> => {
    await expect.poll(() => repliesTo(messageId).length, { timeout: 20_000, interval: 100 }).toBeGreaterThanOrEqual(1);
    return repliesTo(messageId)[0];
  };
  // The ticket of a reply is the bracketed reference at the end of its subject.
  const refOf = (m: ParsedMail) => /\[(CMP-\d{6})\]$/.exec(m.subject ?? '')![1];

  beforeAll(async () => {
    dovecot = await startDovecot();
    sink = await startSink();
    db = await testDb(kind);
    await start();
  });
  afterAll(async () => {
    await app?.stop();
    await sink?.close();
    await dovecot?.stop();
    await db?.close();
  });

  it('a new complaint gets one threaded reply; the customer reply continues the ticket; a stranger starts a new one', async () => {
    const first = id();
    await append(
      dovecot,
      rawMail({
        from: 'Rosa Diaz <rosa@customer.example>',
        subject: 'Parcel never arrived',
        body: `Hello,\n\n${realTweet}\n\nIt was due last Monday and I want a refund.\n\n-- \nRosa`,
        messageId: first,
      }),
    );
    const reply = await waitReply(first);
    const ref = refOf(reply);
    expect(reply.subject).toBe(`Re: Parcel never arrived [${ref}]`);
    expect(reply.references).toContain(first);
    expect(reply.headers.get('auto-submitted')).toBe('auto-replied');
    expect(reply.from?.value[0].address).toBe('complaints@shop.example');
    expect(reply.text).toMatch(/sorry/i);
    expect(reply.text).toMatch(/Here is what I understood: /);
    expect(reply.text).toContain(`I have recorded your complaint as ${ref}`);
    expect(reply.text).toMatch(/please reply with:\n- /);
    expect(reply.text).not.toMatch(/- a phone number or email address/);
    expect(reply.text).not.toContain('-- ');

    const second = id();
    await append(
      dovecot,
      rawMail({
        from: 'Rosa Diaz <rosa@customer.example>',
        subject: `Re: Parcel never arrived [${ref}]`,
        body: `It was a kettle. My name is Rosa Diaz.\n\nOn Mon, the bot wrote:\n> ${reply.text!.split('\n')[0]}`,
        messageId: second,
        inReplyTo: reply.messageId,
        references: [first, reply.messageId!],
      }),
    );
    const followReply = await waitReply(second);
    expect(refOf(followReply)).toBe(ref);
    expect(followReply.text).toContain(`added this to complaint ${ref}`);
    const ticket = (await staffGet(app, `/api/tickets/${ref}`)).body;
    expect(ticket).toMatchObject({ channel: 'email', customer: { email: ['rosa@customer.example'] } });
    expect(ticket.record).toMatchObject({
      name: 'Rosa Diaz',
      orderNumber: realOrder,
      product: 'kettle',
      resolution: 'refund',
    });
    expect(ticket.record.customerWords.join('\n')).not.toContain('the bot wrote');

    // Someone else replying on the same thread never joins Rosa's ticket.
    const stranger = id();
    await append(
      dovecot,
      rawMail({
        from: 'Eve <eve@other.example>',
        subject: `Re: Parcel never arrived [${ref}]`,
        body: 'My own blender arrived broken, order 55117, yesterday.',
        messageId: stranger,
        inReplyTo: reply.messageId,
        references: [first, reply.messageId!],
      }),
    );
    const strangerReply = await waitReply(stranger);
    expect(refOf(strangerReply)).not.toBe(ref);
    expect(strangerReply.to && 'value' in strangerReply.to ? strangerReply.to.value[0].address : '').toBe(
      'eve@other.example',
    );
  });

  it('a reply without thread headers joins by the reference in its subject, only for the same sender', async () => {
    const first = id();
    await append(
      dovecot,
      rawMail({
        from: 'max@subject.example',
        subject: 'Dirty hotel room',
        body: 'The hotel room, booking 44901, was dirty last night. I want a refund.',
        messageId: first,
      }),
    );
    const ref = refOf(await waitReply(first));
    const again = id();
    await append(
      dovecot,
      rawMail({ from: 'max@subject.example', subject: `About ${ref}`, body: 'My name is Max Holt.', messageId: again }),
    );
    expect(refOf(await waitReply(again))).toBe(ref);
    const other = id();
    await append(
      dovecot,
      rawMail({
        from: 'sue@subject.example',
        subject: `About ${ref}`,
        body: 'My kettle from order 44902 broke yesterday.',
        messageId: other,
      }),
    );
    expect(refOf(await waitReply(other))).not.toBe(ref);
  });

  it('HTML-only mail is read as text', async () => {
    const m = id();
    await append(
      dovecot,
      rawMail({
        from: 'hal@html.example',
        subject: 'Late sofa',
        bodyType: 'text/html',
        body: '<html><body><p>My <b>sofa</b>, order 61200, is three weeks late.</p><p>I want a refund.</p><script>alert(1)</script></body></html>',
        messageId: m,
      }),
    );
    const r = await waitReply(m);
    expect(r.text).toMatch(/sofa/);
    expect(r.text).not.toMatch(/<b>|<p>|alert/);
  });

  it('a changed UIDVALIDITY rescans the mailbox without answering anything twice', async () => {
    const before = sink.mails.length;
    await db.query("UPDATE channel_checkpoints SET position = '1:0' WHERE stream LIKE 'imap:%'");
    await app.inbox!.check();
    await new Promise((r) => setTimeout(r, 1500));
    expect(sink.mails.length).toBe(before);
    const pos = (
      await db.query<{ position: string }>("SELECT position FROM channel_checkpoints WHERE stream LIKE 'imap:%'")
    ).rows[0].position;
    expect(pos).not.toBe('1:0');
  });

  it('a mail storm from one sender is answered up to the hourly limit', async () => {
    const ids = Array.from({ length: 12 }, id);
    await append(
      dovecot,
      ...ids.map((m, i) =>
        rawMail({
          from: 'storm@storm.example',
          subject: `Complaint ${i}`,
          body: `My kettle, order 7000${i}, broke yesterday. I want a refund.`,
          messageId: m,
        }),
      ),
    );
    await expect.poll(() => ids.filter((m) => repliesTo(m).length).length, { timeout: 20_000, interval: 100 }).toBe(10);
    await new Promise((r) => setTimeout(r, 1500));
    expect(ids.filter((m) => repliesTo(m).length)).toHaveLength(10);
  });

  it('an auto-reply and a bounce get no answer; the next real mail does', async () => {
    const auto = id();
    const bounce = id();
    const real = id();
    await append(
      dovecot,
      rawMail({
        from: 'Out Of Office <ooo@customer.example>',
        subject: 'Automatic reply: Re: your complaint',
        body: 'I am out of the office until Monday.',
        messageId: auto,
        headers: { 'Auto-Submitted': 'auto-replied' },
      }),
      rawMail({
        from: 'Mail Delivery System <MAILER-DAEMON@mail.example>',
        subject: 'Undelivered Mail Returned to Sender',
        body: 'This is the mail system at host mail.example.',
        messageId: bounce,
        contentType: 'multipart/report; report-type=delivery-status',
      }),
      rawMail({
        from: 'Tom Ng <tom@customer.example>',
        subject: 'Rude staff',
        body: 'The staff at your Leeds store were rude to me yesterday. I want an apology.',
        messageId: real,
      }),
    );
    await waitReply(real);
    expect(repliesTo(auto)).toHaveLength(0);
    expect(repliesTo(bounce)).toHaveLength(0);
    expect(
      sink.mails.some((m) => (m.to && 'value' in m.to ? m.to.value[0].address : '') === 'ooo@customer.example'),
    ).toBe(false);
  });

  it('Big5 and GB2312 mail is read correctly and answered in the same script', async () => {
    const big5 = id();
    const gb = id();
    await append(
      dovecot,
      rawMail({
        from: '陳小姐 <chen@customer.example>',
        subject: '熱水器漏電',
        body: '我在你們店買的熱水器漏電，差點觸電！訂單號 88123456，我要退款。',
        messageId: big5,
        charset: 'big5',
      }),
      rawMail({
        from: '王先生 <wang@customer.example>',
        subject: '热水器投诉',
        body: realReview,
        messageId: gb,
        charset: 'gb2312',
      }),
    );
    const hant = await waitReply(big5);
    expect(hant.text).toMatch(/抱歉/);
    expect(hant.text).toContain('熱水器漏電');
    expect(hant.text).toMatch(/投訴已登記/);
    expect(hant.subject).toContain('熱水器漏電');
    const hans = await waitReply(gb);
    expect(hans.text).toMatch(/投诉已登记/);
    // The reply retells the review in our words (in Simplified); the ticket keeps the review as decoded, word for word.
    expect(hans.text).toContain('热水器');
    expect((await staffGet(app, `/api/tickets/${refOf(hans)}`)).body.record.customerWords[0]).toContain(
      realReview.slice(0, 40),
    );
    const t = (await staffGet(app, `/api/tickets/${refOf(hant)}`)).body;
    expect(t).toMatchObject({ language: 'zh-Hant', severity: 'urgent' });
  });

  it('a 20 MB attachment is refused with a polite reply, and the next mail is answered as usual', async () => {
    const big = id();
    const after = id();
    await append(
      dovecot,
      rawMail({
        from: 'Ann Lee <ann@customer.example>',
        subject: 'Video of the fault',
        body: 'My washing machine leaks, order 66120, see the video. I want a repair.',
        messageId: big,
        attachment: { name: 'leak.mp4', type: 'video/mp4', content: Buffer.alloc(20 * 1024 * 1024, 7) },
      }),
      rawMail({
        from: 'Ben Ho <ben@customer.example>',
        subject: 'Late delivery',
        body: 'My sofa, order 99123, is two weeks late. I want it delivered.',
        messageId: after,
      }),
    );
    const r = await waitReply(big);
    expect(r.text).toMatch(/"leak\.mp4" \(20\.0 MB\) was too large/);
    await waitReply(after);
    const t = (await staffGet(app, `/api/tickets/${refOf(r)}`)).body;
    expect(t.attachments).toEqual([
      expect.objectContaining({ name: 'leak.mp4', contentType: 'video/mp4', size: 20 * 1024 * 1024, stored: false }),
    ]);
  });

  it('a bot restarted mid-mailbox answers each message exactly once', async () => {
    const ids = Array.from({ length: 6 }, id);
    await app.stop();
    await append(
      dovecot,
      ...ids.map((m, i) =>
        rawMail({
          from: `c${i}@restart.example`,
          subject: `Broken item ${i}`,
          body: `My lamp from order 4410${i} arrived broken yesterday. I want a replacement.`,
          messageId: m,
        }),
      ),
    );
    await start();
    await expect
      .poll(() => ids.filter((m) => repliesTo(m).length).length, { timeout: 20_000, interval: 50 })
      .toBeGreaterThanOrEqual(2);
    await app.stop(); // mid-mailbox
    await start();
    await expect.poll(() => ids.filter((m) => repliesTo(m).length).length, { timeout: 30_000, interval: 100 }).toBe(6);
    await new Promise((r) => setTimeout(r, 2500)); // a few more polls: still nothing twice
    for (const m of ids) expect(repliesTo(m), m).toHaveLength(1);
  });

  it('Dovecot killed and restarted mid-run loses nothing', async () => {
    const before = id();
    await append(
      dovecot,
      rawMail({
        from: 'kim@kill.example',
        subject: 'Charged twice',
        body: 'I was charged twice for order 33120 last Friday. I want a refund.',
        messageId: before,
      }),
    );
    await waitReply(before);
    await dovecot.stop();
    await new Promise((r) => setTimeout(r, 1500));
    await dovecot.start();
    const afterKill = id();
    await append(
      dovecot,
      rawMail({
        from: 'lee@kill.example',
        subject: 'Wrong size',
        body: 'The jacket from order 33121 is the wrong size, delivered yesterday. I want an exchange.',
        messageId: afterKill,
      }),
    );
    await waitReply(afterKill);
    expect(repliesTo(before)).toHaveLength(1);
    expect(repliesTo(afterKill)).toHaveLength(1);
  });

  it('SMTP down: the reply is retried with backoff, shows in the ticket events, and is sent once SMTP is back', async () => {
    sink.down();
    const m = id();
    await append(
      dovecot,
      rawMail({
        from: 'zoe@smtp.example',
        subject: 'Broken phone',
        body: 'My new phone from order 55301 has a cracked screen, arrived yesterday. I want a replacement.',
        messageId: m,
      }),
    );
    await expect
      .poll(
        async () =>
          (
            await db.query<{ n: number }>(
              "SELECT count(*) AS n FROM messages WHERE channel = 'email' AND delivery = 'pending' AND attempts >= 1 AND last_error IS NOT NULL",
            )
          ).rows[0].n,
        { timeout: 20_000, interval: 100 },
      )
      .toBeGreaterThanOrEqual(1);
    const ref = (
      await db.query<{ reference: string }>(
        "SELECT t.reference FROM tickets t JOIN conversations c ON c.id = t.conversation_id WHERE c.address->>'email' = 'zoe@smtp.example'",
      )
    ).rows[0].reference;
    const events = (await staffGet(app, `/api/tickets/${ref}`)).body.events;
    expect(events.find((e: any) => e.kind === 'delivery_failed')).toMatchObject({
      actor: 'outbox',
      data: { channel: 'email', attempt: 1 },
    });
    sink.up();
    expect(repliesTo(m)).toHaveLength(0);
    const later = new Date(Date.now() + 60_000);
    expect((await app.outbox.flush(later)).sent).toBe(1);
    await waitReply(m);
    expect((await app.outbox.flush(new Date(Date.now() + 3_600_000))).sent).toBe(0);
    expect(repliesTo(m)).toHaveLength(1);
  });

  it('a phone complaint hears back by email at the address given in the call', async () => {
    const before = sink.mails.length;
    const r = await fetch(`${app.url}/api/transcripts?callId=mail-call-1`, {
      method: 'POST',
      headers: { authorization: 'Bearer systems-token-0123456789', 'content-type': 'text/vtt' },
      body: readFileSync('test/fixtures/transcripts/call.vtt'),
    });
    expect(r.status).toBe(201);
    const t = await r.json();
    await expect
      .poll(() => sink.mails.slice(before).find((m) => m.subject?.includes(t.reference)), { timeout: 10_000 })
      .toBeTruthy();
    const mail = sink.mails.slice(before).find((m) => m.subject?.includes(t.reference))!;
    expect(mail.to && 'value' in mail.to ? mail.to.value[0].address : '').toBe('miriam.cole@gmail.com');
    expect(mail.subject).toBe(`Your call with us [${t.reference}]`);
    expect(mail.text).toMatch(/Thank you for your call\. Here is what we understood: /);
    // Everything was said in the call ("my train", the booking, the date, the refund): nothing is asked for.
    expect(mail.text).toMatch(/Your train \(order AB7712\) was cancelled/);
    expect(mail.text).not.toMatch(/please reply with/);
  });

  it('a follow-up for an email customer goes out by email in the same thread', async () => {
    const m = id();
    await append(
      dovecot,
      rawMail({
        from: 'Ida <ida@followup.example>',
        subject: 'Cold pizza',
        body: 'My pizza, order 77120, arrived cold yesterday. I want a refund. Ida Berg',
        messageId: m,
      }),
    );
    const reply = await waitReply(m);
    const ref = refOf(reply);
    const before = sink.mails.length;
    expect(await app.scheduler.fireDue(new Date(Date.now() + 2 * 3_600_000))).toBeGreaterThanOrEqual(1);
    await app.outbox.flush();
    await expect
      .poll(() => sink.mails.slice(before).find((x) => x.subject?.includes(ref)), { timeout: 10_000 })
      .toBeTruthy();
    const ack = sink.mails.slice(before).find((x) => x.subject?.includes(ref))!;
    expect(ack.text).toContain(`confirm we have received complaint ${ref}`);
    expect(ack.inReplyTo).toBe(m);
  });
});
