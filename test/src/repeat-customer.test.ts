import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import { receive } from '../../channels/email/receive.ts';
import { packFor } from '../../dialogs/language/index.ts';
import { emailThreads } from '../../src/store/mail.ts';
import type { Redress } from '../../src/main.ts';
import { DATABASE_URL, staffGet, startTestApp, testClock } from '../helpers.ts';
import { rawMail } from '../channels/email/mail-harness.ts';

// The repeat-customer raise (an ordinary complaint becomes serious, with a shorter promised reply) follows only
// contact points the channel vouches for. Typing someone else's email into a chat must look exactly like being new.
const API_TOKEN = 'systems-token-0123456789';
const clock = testClock();
let app: Redress;
/** A bot with no history at all, on the same standing clock: what a visitor sees when an address is unknown. */
let fresh: Redress;
beforeAll(async () => {
  // A clock that stands still: promised reply times can then be compared as text.
  app = await startTestApp(DATABASE_URL ? 'pg' : 'pglite', { jobs: false, clock: clock.now, env: { API_TOKEN } });
  fresh = await startTestApp('pglite', { jobs: false, clock: clock.now });
});
afterAll(async () => {
  await app?.stop();
  await fresh?.stop();
});

let n = 0;
/** One email through the email channel's own reading of it (From, threading), then the engine. */
async function mail(from: string, subject: string, body: string) {
  const raw = rawMail({ from, subject, body, messageId: `<m${++n}@customer.example>` });
  const r = await receive(await simpleParser(raw), {
    threads: emailThreads(app.db, 'email'),
    ownAddress: 'intake@example.com',
    maxAttachmentBytes: 1_000_000,
    rateLimitPerHour: 100,
    now: clock.now(),
    raw,
  });
  if (!('inbound' in r)) throw new Error(`mail ignored: ${r.ignore}`);
  return app.engine.handle(r.inbound);
}

/** A whole web-chat conversation over Direct Line; returns the bot's replies and the ticket reference. */
async function webChat(user: string, texts: string[], on = app) {
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(on.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const { conversationId, token } = (await (await post('/v3/directline/tokens/generate', {})).json()) as {
    conversationId: string;
    token: string;
  };
  const auth = { authorization: `Bearer ${token}` };
  for (const [i, text] of texts.entries()) {
    const r = await post(
      `/v3/directline/conversations/${conversationId}/activities`,
      { type: 'message', from: { id: user }, text, channelData: { clientActivityID: `${user}-${i}` } },
      auth,
    );
    expect(r.status).toBe(200);
  }
  const list = await (
    await fetch(`${on.url}/v3/directline/conversations/${conversationId}/activities?watermark=`, { headers: auth })
  ).json();
  const replies = (list.activities as Array<{ from: { role?: string }; text: string }>)
    .filter((a) => a.from.role === 'bot')
    .map((a) => a.text);
  const reference = /CMP-\d{6}/.exec(replies.join('\n'))?.[0];
  if (!reference) throw new Error(`no ticket from the chat: ${JSON.stringify(replies)}`);
  return { replies, reference };
}

const ticket = async (reference: string, on = app) => (await staffGet(on, `/api/tickets/${reference}`)).body;
// Promised from the turn's (standing) clock; created_at is the database's own time.
const slaHours = (t: { slaDueAt: string }) => (new Date(t.slaDueAt).getTime() - clock.now().getTime()) / 3_600_000;
const repeatReason = (t: { routingReasons: string[] }) => t.routingReasons.filter((r) => /repeat complaint/.test(r));

describe('the repeat-customer raise', () => {
  const VICTIM = 'lena.fox@example.org';
  let genuine: string;

  it('an email customer complaining twice from the same address gets the raise, and is promised the shorter time', async () => {
    const first = await mail(
      `Lena Fox <${VICTIM}>`,
      'Broken lamp',
      'My desk lamp from order 41120 arrived broken last Tuesday. I want a replacement. Lena Fox, phone +1 415 555 0142',
    );
    const t1 = await ticket(first.ticketReference!);
    expect(t1).toMatchObject({ severity: 'ordinary', customer: { email: [VICTIM], phone: ['+14155550142'] } });
    expect(repeatReason(t1)).toEqual([]);
    // A new thread (a new conversation), the same From address.
    const second = await mail(
      VICTIM,
      'Torn cushion',
      'The cushion cover from order 41177 arrived torn yesterday. I want a replacement. Lena Fox',
    );
    genuine = second.ticketReference!;
    const t2 = await ticket(genuine);
    expect(t2.severity).toBe('serious');
    expect(repeatReason(t2)).toEqual(['serious: repeat complaint by the same customer (1 earlier ticket in 180 days)']);
    expect(slaHours(t2)).toBe(24);
    expect(second.replies.map((r) => r.text).join('\n')).toContain(packFor('en').formatDue(t2.slaDueAt));
  });

  it('a web-chat visitor typing that address sees exactly what they would see were it unknown, and the ticket is not linked', async () => {
    const texts = [
      `My new phone from order 66001 arrived with a cracked screen yesterday. I want a replacement. Di Ho, ${VICTIM}`,
      'yes',
    ];
    const attacker = await webChat('visitor-1', texts);
    const unknown = await webChat('visitor-1', texts, fresh);
    // Word for word the same replies, promise included; only the reference number may differ.
    const norm = (rs: string[]) => rs.map((r) => r.replace(/CMP-\d{6}/g, 'CMP-x'));
    expect(norm(attacker.replies)).toEqual(norm(unknown.replies));
    expect(attacker.replies.join('\n')).toMatch(/hear from us by/);
    const [a, b] = [await ticket(attacker.reference), await ticket(unknown.reference, fresh)];
    expect(a.severity).toBe('ordinary');
    expect(b.severity).toBe('ordinary');
    expect(a.slaDueAt).toBe(b.slaDueAt);
    expect(slaHours(a)).toBe(72);
    expect(a.routingReasons).toEqual(b.routingReasons);
    // Only what the visitor typed is on their ticket (unverified): not the victim's phone, nothing of her history.
    expect(a.customer).toMatchObject({ email: [VICTIM], phone: [] });
    const points = await app.db.query<{ kind: string; value: string; verified: boolean }>(
      'SELECT cp.kind, cp.value, cp.verified FROM contact_points cp JOIN tickets t ON t.customer_id = cp.customer_id WHERE t.reference = $1',
      [attacker.reference],
    );
    expect(points.rows).toEqual([{ kind: 'email', value: VICTIM, verified: false }]);
  });

  it("the victim's next email counts her own tickets only, not the one the visitor opened with her address", async () => {
    const third = await mail(
      VICTIM,
      'Scratched table',
      'The side table from order 41190 arrived scratched yesterday. I want a replacement. Lena Fox',
    );
    expect(repeatReason(await ticket(third.ticketReference!))).toEqual([
      'serious: repeat complaint by the same customer (2 earlier tickets in 180 days)',
    ]);
  });

  it('a Slack customer is recognised by their user id across threads; a web-chat user id proves nothing', async () => {
    const slack = async (thread: string, user: string, text: string) =>
      app.engine.handle({
        channel: 'slack',
        conversationKey: `C0GENERAL:${thread}:${user}`,
        messageKey: `C0GENERAL:${thread}.${++n}`,
        text,
        sender: { id: user },
        verified: { account: `slack:${user}` },
      });
    await slack(
      '1.1',
      'U0REPEAT1',
      'My kettle from order 70011 stopped working yesterday. I want a refund. Bo Lin, bo@example.com',
    );
    const first = await slack('1.1', 'U0REPEAT1', 'yes');
    await slack(
      '2.2',
      'U0REPEAT1',
      'My toaster from order 70022 stopped working yesterday. I want a refund. Bo Lin, bo@example.com',
    );
    const second = await slack('2.2', 'U0REPEAT1', 'yes');
    expect(repeatReason(await ticket(first.ticketReference!))).toEqual([]);
    expect(repeatReason(await ticket(second.ticketReference!))).toHaveLength(1);
    // The same Direct Line user id twice is two visitors as far as history goes (the id is the browser's to choose).
    const one = await webChat('visitor-9', [
      'My blender from order 70033 stopped working yesterday. I want a refund. Al Vo, al@example.net',
      'yes',
    ]);
    const two = await webChat('visitor-9', [
      'My toaster from order 70044 stopped working yesterday. I want a refund. Al Vo, al@example.net',
      'yes',
    ]);
    expect(repeatReason(await ticket(one.reference))).toEqual([]);
    expect(repeatReason(await ticket(two.reference))).toEqual([]);
  });

  it("a call from the contact centre's caller number is a repeat; a number only said in the call is not", async () => {
    const call = (id: string, text: string, callerPhone?: string) =>
      fetch(
        `${app.url}/api/transcripts?callId=${id}${callerPhone ? `&callerPhone=${encodeURIComponent(callerPhone)}` : ''}`,
        { method: 'POST', headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'text/plain' }, body: text },
      );
    const say = (order: string, extra = '') =>
      `Agent: Thanks for calling, how can I help?\nCustomer: My heater from order ${order} is leaking water since yesterday and I want a repair.${extra}\n`;
    const a = await (await call('rep-1', say('55112'), '+14155550177')).json();
    const b = await (await call('rep-2', say('55113'), '+14155550177')).json();
    const c = await (await call('rep-3', say('55114', ' My number is +1 415 555 0177.'))).json();
    expect(repeatReason(a)).toEqual([]);
    expect(repeatReason(b)).toHaveLength(1);
    expect(c.customer.phone).toEqual(['+14155550177']);
    expect(repeatReason(c)).toEqual([]);
  });
});
