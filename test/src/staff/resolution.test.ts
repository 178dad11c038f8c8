import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redress } from '../../../src/main.ts';
import { eraseCustomer } from '../../../src/privacy/erase.ts';
import { ADMIN_TOKEN, DATABASE_URL, staffGet, startTestApp } from '../../helpers.ts';

// Resolving through the staff API (issue #16 item 2): the remedy, root cause and message are recorded, the customer is
// told at once in their language, and the satisfaction check follows SATISFACTION_CHECK_DAYS later.
let app: Redress;
beforeAll(async () => {
  app = await startTestApp(DATABASE_URL ? 'pg' : 'pglite', { jobs: false, env: { SATISFACTION_CHECK_DAYS: '5' } });
});
afterAll(async () => {
  await app?.stop();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(app.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
const setStatus = async (ref: string, body: unknown) => {
  const r = await post(`/api/tickets/${ref}/status`, body, { authorization: `Bearer ${ADMIN_TOKEN}` });
  return { status: r.status, body: (await r.json()) as any };
};
let k = 0;
/** A web-chat complaint taken turn by turn until it becomes a ticket; returns its reference and conversation. */
const complain = async (key: string, ...turns: string[]) => {
  let r: { ticketReference?: string; conversationId: number } = { conversationId: 0 };
  for (const text of turns.length === 1 ? [...turns, 'yes'] : turns)
    r = await app.engine.handle({
      channel: 'webchat',
      conversationKey: key,
      messageKey: `${key}-${k++}`,
      text,
      sender: { id: key },
    });
  expect(r.ticketReference).toMatch(/^CMP-/);
  return { ref: r.ticketReference!, conversation: r.conversationId };
};
const outbound = async (conversation: number) =>
  (
    await app.db.query<{ text: string }>(
      "SELECT text FROM messages WHERE conversation_id = $1 AND direction = 'out' ORDER BY id",
      [conversation],
    )
  ).rows.map((m) => m.text);
const refund = {
  remedy: 'refund',
  amount: 49.9,
  currency: 'eur',
  cost: 62.5,
  cause: 'partner_or_dealer',
  message: 'We have refunded the 49.90 EUR to your card; the courier firm has been told.',
};

describe('resolving through the staff API', () => {
  it('records the remedy and root cause, and the web-chat customer sees the message on their next poll', async () => {
    // The customer talks through Direct Line, as the web-chat page does.
    const { conversationId, token } = (await (await post('/v3/directline/tokens/generate', {})).json()) as {
      conversationId: string;
      token: string;
    };
    const auth = { authorization: `Bearer ${token}` };
    const activities = async () =>
      (
        (await (
          await fetch(`${app.url}/v3/directline/conversations/${conversationId}/activities`, { headers: auth })
        ).json()) as { activities: Array<{ text: string; from: { role?: string } }> }
      ).activities
        .filter((a) => a.from.role === 'bot')
        .map((a) => a.text);
    // The complaint is taken on that conversation (the engine is what the page's posts reach).
    const { ref } = await complain(
      conversationId,
      'The courier threw my new lamp, order 41177, over the fence yesterday and it broke. I want a refund. Kim Ode, kim@example.com',
    );
    expect((await activities()).join('\n')).toContain(ref);

    const before = Date.now();
    const r = await setStatus(ref, { status: 'resolved', note: 'courier firm billed', resolution: refund });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('resolved');
    expect(r.body.resolutions).toEqual([
      {
        remedy: 'refund',
        amount: 49.9,
        currency: 'EUR',
        cost: 62.5,
        cause: 'partner_or_dealer',
        fault: 'partner',
        message: `About your complaint ${ref}, which we have now resolved:\n\n${refund.message}`,
        resolvedBy: 'staff-api',
        at: expect.any(String),
      },
    ]);
    const event = r.body.events.find((e: any) => e.kind === 'status_resolved');
    expect(event).toMatchObject({
      actor: 'staff-api',
      data: {
        from: 'open',
        note: 'courier firm billed',
        remedy: 'refund',
        amount: 49.9,
        currency: 'EUR',
        cost: 62.5,
        cause: 'partner_or_dealer',
        fault: 'partner',
        message: expect.any(Number),
      },
    });
    // The satisfaction check follows SATISFACTION_CHECK_DAYS (5 here) after the resolution.
    const check = r.body.followups.find((f: any) => f.kind === 'satisfaction_check');
    expect(check.state).toBe('scheduled');
    expect(Date.parse(check.dueAt) - before).toBeGreaterThanOrEqual(5 * 86_400_000 - 1000);
    expect(Date.parse(check.dueAt) - before).toBeLessThan(5 * 86_400_000 + 60_000);
    // The customer's page shows it on the next poll; the internal note never reaches them.
    const seen = await activities();
    expect(seen.at(-1)).toBe(`About your complaint ${ref}, which we have now resolved:\n\n${refund.message}`);
    expect(seen.join('\n')).not.toContain('courier firm billed');
  });

  it("tells a Chinese customer in their language, and the ticket's reading shows the resolution", async () => {
    const { ref, conversation } = await complain(
      'wc-zh',
      '我在你们店买的电水壶坏了，订单号 55123，我要换货',
      '是的',
      '昨天',
      '我叫王芳',
      'wang@example.cn',
    );
    const r = await setStatus(ref, {
      status: 'resolved',
      resolution: { remedy: 'replacement', cause: 'product_defect', message: '新的电水壶明天送到。' },
    });
    expect(r.status).toBe(200);
    expect((await outbound(conversation)).at(-1)).toBe(`关于您的投诉 ${ref}，我们已处理完毕：\n\n新的电水壶明天送到。`);
    expect((await staffGet(app, `/api/tickets/${ref}`)).body.resolutions).toMatchObject([
      { remedy: 'replacement', amount: null, currency: null, cost: null, cause: 'product_defect', fault: 'product' },
    ]);
  });

  it('refuses a bad resolution with a clear 400 that names the known ids, and changes nothing', async () => {
    const { ref, conversation } = await complain(
      'wc-bad',
      'My blender, order 71230, stopped working after two days last week. I want a repair. Ola Berg, ola@example.com',
    );
    const sent = (await outbound(conversation)).length;
    const cases: Array<[unknown, RegExp]> = [
      [
        { ...refund, remedy: 'voucher' },
        /unknown remedy "voucher"; known: refund, replacement, repair, compensation, apology, explanation, none/,
      ],
      [
        { ...refund, cause: 'weather' },
        /unknown root cause "weather"; known: product_defect, staff_error, process_gap, partner_or_dealer, misunderstanding/,
      ],
      [{ ...refund, amount: -5 }, /resolution\.amount: must not be negative/],
      [{ ...refund, cost: 1.23456 }, /resolution\.cost: has more than four decimals/],
      [{ ...refund, currency: 'euro' }, /resolution\.currency: must be a three-letter ISO 4217 code/],
      [{ ...refund, currency: undefined }, /resolution\.currency: give the currency of the amount and cost/],
      [{ ...refund, message: 'x'.repeat(5001) }, /resolution\.message/],
      [{ ...refund, message: '   ' }, /resolution\.message: write the message to the customer/],
      [{ remedy: 'refund', cause: 'product_defect' }, /resolution\.message/],
    ];
    for (const [resolution, why] of cases) {
      const r = await setStatus(ref, { status: 'resolved', resolution });
      expect(r.status, JSON.stringify(resolution).slice(0, 80)).toBe(400);
      expect(r.body.error.code).toBe('BAD_REQUEST');
      expect(r.body.error.message).toMatch(why);
    }
    const closing = await setStatus(ref, { status: 'closed', resolution: refund });
    expect(closing.status).toBe(400);
    expect(closing.body.error.message).toMatch(/a resolution goes with status "resolved", not "closed"/);
    const t = (await staffGet(app, `/api/tickets/${ref}`)).body;
    expect(t.status).toBe('open');
    expect(t.resolutions).toEqual([]);
    expect(t.events.map((e: any) => e.kind)).not.toContain('status_resolved');
    expect(await outbound(conversation)).toHaveLength(sent);
  });

  it('without a resolution the customer still hears that it is resolved; a reopened ticket resolved again keeps both', async () => {
    const { ref, conversation } = await complain(
      'wc-plain',
      'My headphones, order 33019, lost sound in the left ear yesterday. I want a replacement. Ivo Dam, ivo@example.com',
    );
    const plain = await setStatus(ref, { status: 'resolved', note: 'sent new pair' });
    expect(plain.status).toBe(200);
    expect((await outbound(conversation)).at(-1)).toBe(
      `Your complaint ${ref} has been resolved. If anything is still not right, please tell us here.`,
    );
    expect(plain.body.resolutions).toEqual([]);
    expect((await setStatus(ref, { status: 'resolved', resolution: refund })).status).toBe(409);

    expect((await setStatus(ref, { status: 'reopened' })).status).toBe(200);
    expect(
      (await setStatus(ref, { status: 'resolved', resolution: { ...refund, remedy: 'replacement' } })).status,
    ).toBe(200);
    expect((await setStatus(ref, { status: 'reopened' })).status).toBe(200);
    const again = await setStatus(ref, {
      status: 'resolved',
      resolution: {
        remedy: 'apology',
        cause: 'misunderstanding',
        message: 'The left ear was muted in the app settings.',
      },
    });
    expect(again.body.resolutions.map((r: any) => [r.remedy, r.fault])).toEqual([
      ['replacement', 'partner'],
      ['apology', 'misunderstanding'],
    ]);
    expect(again.body.events.filter((e: any) => e.kind === 'status_resolved')).toHaveLength(3);
  });

  it("an erased customer's ticket can still be resolved: the resolution is kept and nothing is sent", async () => {
    const { ref, conversation } = await complain(
      'wc-erased',
      'My toaster, order 90412, burnt the bread black yesterday. I want a refund. Eda Lund, eda.lund@example.com',
    );
    await eraseCustomer(app.db, { email: 'eda.lund@example.com' }, { actor: 'dpo@shop.example', now: new Date() });
    const sent = (await outbound(conversation)).length;
    const r = await setStatus(ref, { status: 'resolved', resolution: refund });
    expect(r.status).toBe(200);
    expect(r.body.resolutions).toMatchObject([{ remedy: 'refund', cost: 62.5, message: null }]);
    expect(r.body.events.find((e: any) => e.kind === 'status_resolved').data).toMatchObject({
      message: null,
      text: null,
    });
    expect(await outbound(conversation)).toHaveLength(sent);
  });
});
