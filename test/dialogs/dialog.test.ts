import { describe, expect, it } from 'vitest';
import { runDialog, runFollowup, type DialogContext } from '../../dialogs/dialog.ts';
import { createRouter } from '../../dialogs/router.ts';
import { loadRoutingConfig } from '../../src/router/routing-file.ts';
import type { DialogState, Effect } from '../../dialogs/types.ts';
import { DIALOG_SETTINGS } from './dialog-settings.ts';

const router = createRouter(loadRoutingConfig('dialogs/routing.yaml'));
const NOW = new Date('2026-11-24T10:00:00Z');
const ctx = (now = NOW): DialogContext => ({
  now,
  router,
  ...DIALOG_SETTINGS,
  // The ticket a turn may open, as the engine prepares it (a new customer: no earlier tickets).
  newTicket: { reference: 'CMP-000777', earlierTickets: 0, windowDays: 180 },
});

type Step = { say: string; expect?: RegExp[]; not?: RegExp[]; effects?: string[]; at?: Date };
function converse(steps: Step[], initial?: DialogState) {
  let state: unknown = initial;
  const effects: Effect[] = [];
  for (const [i, step] of steps.entries()) {
    const out = runDialog(state, { text: step.say, receivedAt: (step.at ?? NOW).toISOString() }, ctx(step.at));
    const text = out.replies.join('\n');
    for (const re of step.expect ?? []) expect(text, `step ${i} "${step.say}" → ${text}`).toMatch(re);
    for (const re of step.not ?? []) expect(text, `step ${i} "${step.say}" → ${text}`).not.toMatch(re);
    if (step.effects)
      expect(
        out.effects.map((e) => e.type),
        `effects of step ${i}`,
      ).toEqual(step.effects);
    effects.push(...out.effects);
    // The state must survive a round trip through jsonb.
    state = JSON.parse(JSON.stringify(out.state));
  }
  return { state: state as DialogState, effects };
}
const opened = (effects: Effect[]) =>
  effects.find((e) => e.type === 'open_ticket') as Extract<Effect, { type: 'open_ticket' }> | undefined;

describe('English complaint, every step', () => {
  it('apologises, restates, takes a correction, collects the rest, routes and confirms', () => {
    const { state, effects } = converse([
      {
        say: 'Hi, my order #4411 arrived on 3 March with a cracked screen and I want a replacement.',
        expect: [/sorry/i, /your order 4411 arrived damaged/, /on 3 March/, /a replacement/, /Have I got that right/],
        not: [/I want/, /my order/],
      },
      { say: 'no, it was the 4th', expect: [/on 4 March/], not: [/on 3 March/, /sorry/i] },
      { say: 'yes', expect: [/Thank you for confirming/, /Which product or service/] },
      { say: 'a phone', expect: [/your name/] },
      { say: 'Jane Smith', expect: [/email address or phone number/] },
      { say: 'jane@', expect: [/doesn't look like a complete email address/] },
      {
        say: 'jane@example.com',
        expect: [
          /recorded your complaint as CMP-000777/,
          /Product Quality team/,
          /You'll hear from us by \d\d:\d\d UTC on Friday 27 November/,
        ],
        effects: ['open_ticket', 'schedule_followup', 'schedule_followup'],
      },
    ]);
    const t = opened(effects)!;
    expect(t.record).toMatchObject({
      orderNumber: '4411',
      occurredOn: '2026-03-04',
      product: 'phone',
      resolution: 'replacement',
      name: 'Jane Smith',
      email: 'jane@example.com',
    });
    expect(t.routing).toMatchObject({
      department: 'quality',
      category: 'product_quality',
      severity: 'ordinary',
      slaHours: 72,
    });
    expect(t.restatement).toMatch(
      /^Your phone \(order 4411\) arrived damaged, with a cracked screen\. It happened on 4 March and you would like a replacement\.$/,
    );
    expect(state.phase).toBe('ticketed');
  });

  it('takes many details in one message, in any order, and does not ask for them again', () => {
    const { effects } = converse([
      {
        say: "I'm Sam Lee, sam.lee@example.org. Yesterday my new kettle from order KX-2231 caught fire in the kitchen! I want a refund.",
        expect: [
          /sorry/i,
          /emergency services/,
          /your new kettle caught fire in the kitchen/,
          /kettle \(order KX-2231\)/,
          /on 23 November/,
          /a refund/,
        ],
      },
      {
        say: 'yes',
        expect: [/recorded your complaint/],
        not: [/your name/, /email address or phone/, /Which product/, /order, booking/],
      },
    ]);
    const t = opened(effects)!;
    expect(t.routing.severity).toBe('urgent');
    expect(t.routing.reasons.join(' ')).toMatch(/safety risk/);
    expect(t.routing.slaHours).toBe(4);
    expect(t.record).toMatchObject({
      name: 'Sam Lee',
      email: 'sam.lee@example.org',
      orderNumber: 'KX-2231',
      occurredOn: '2026-11-23',
      resolution: 'refund',
    });
  });

  it('finds the order number wherever it is written, and does not leave it dangling in the restatement', () => {
    converse([
      {
        say: 'My parcel #A123 never arrived and I want a refund',
        expect: [/your order A123 has not reached you\. You would like a refund/],
        not: [/#/],
      },
    ]);
    converse([
      {
        say: 'My parcel, order #A123, never arrived and I want a refund',
        expect: [/your order A123 has not reached you\. You would like a refund/],
        not: [/order,|#/],
      },
    ]);
    converse([{ say: 'I want a refund, order #B77 was wrong', expect: [/order B77/] }]);
  });

  it('asks again with a reason when a phone number is not plausible', () => {
    const { effects } = converse([
      { say: 'The delivery driver was rude and threw my parcel over the fence last Friday.' },
      { say: 'yes', expect: [/Which product/] },
      { say: 'none', expect: [/order, booking/] },
      { say: 'none', expect: [/What would you like us to do/] },
      { say: 'an apology', expect: [/your name/] },
      { say: 'my name is Ann Ho', expect: [/email address or phone/] },
      { say: '12345', expect: [/couldn't read "12345" as a phone number/] },
      { say: '+1 415 555 0132', expect: [/recorded your complaint/] },
    ]);
    const t = opened(effects)!;
    expect(t.record.phone).toBe('+14155550132');
    expect(t.record.declined).toEqual(expect.arrayContaining(['product', 'orderNumber']));
    expect(['logistics', 'customer_care']).toContain(t.routing.department);
  });
});

describe('cancel, start over, a human', () => {
  it('cancel before a ticket files nothing', () => {
    const { state, effects } = converse([
      { say: 'I was overcharged on my bill' },
      { say: 'cancel', expect: [/nothing has been filed/] },
    ]);
    expect(effects).toEqual([]);
    expect(state.phase).toBe('closed');
    expect(state.record.customerWords).toEqual([]);
  });

  it('start over forgets the record', () => {
    const { state } = converse([
      { say: 'My order 5521 is late' },
      { say: 'start over', expect: [/start again/] },
      { say: 'The shampoo I bought smells off', expect: [/shampoo/], not: [/5521/] },
    ]);
    expect(state.record.orderNumber).toBeUndefined();
  });

  it('"I want a human" hands off, asks only for a contact point, and flags the ticket', () => {
    const { effects } = converse([
      { say: 'I want to speak to a real person', expect: [/member of our team/, /email address or phone/] },
      { say: 'you can reach me at kim@example.com', expect: [/Your reference is CMP-000777/] },
    ]);
    expect(opened(effects)!.handoff).toBe(true);
  });

  it('after a ticket, "cancel" asks before withdrawing', () => {
    const first = converse([
      { say: 'My broken blender, order 99812, I want a refund. I am Li Wei, li@example.com, it happened yesterday' },
      { say: 'yes', expect: [/recorded/] },
    ]);
    const { effects } = converse(
      [
        { say: 'cancel', expect: [/withdraw complaint/] },
        { say: 'yes', expect: [/is withdrawn/], effects: ['set_status', 'cancel_followups'] },
      ],
      { ...first.state, ticketReference: 'CMP-000009' },
    );
    expect(effects[0]).toMatchObject({ type: 'set_status', status: 'withdrawn' });
  });
});

describe('what real people do', () => {
  it('an empty message gets a clear reply and changes nothing', () => {
    const out = runDialog(undefined, { text: '   ', receivedAt: NOW.toISOString() }, ctx());
    expect(out.replies.join()).toMatch(/didn't receive any text/);
    expect(out.effects).toEqual([]);
  });

  it('an enormous message is read up to the limit with a notice, never a crash', () => {
    const huge = 'My washing machine leaks water everywhere. '.repeat(5000);
    const out = runDialog(undefined, { text: huge, receivedAt: NOW.toISOString() }, ctx());
    expect(out.replies[0]).toMatch(/first 4000 characters/);
    expect(out.replies.join()).toMatch(/washing machine leaks/);
    expect(JSON.stringify(out.state).length).toBeLessThan(20_000);
  });

  it('abuse gets a calm answer, and the third time a person', () => {
    const { state, effects } = converse([
      { say: 'you idiots', expect: [/respectful/] },
      { say: 'useless bot', expect: [/respectful/] },
      { say: 'fuck this', expect: [/member of our team/] },
    ]);
    expect(state.handoff).toBe(true);
    expect(effects).toEqual([]);
  });

  it('an unrelated question is answered honestly, then the dialog goes on', () => {
    converse([{ say: 'What are your opening hours?', expect: [/complaints assistant/, /what went wrong/] }]);
  });

  it('a customer coming back days later is welcomed back to the same ticket', () => {
    const first = converse([
      { say: 'My new phone, order 88123, never arrived and I want a refund. Jo Park, jo@example.com, last Monday' },
      { say: 'yes', expect: [/recorded/] },
    ]);
    const later = new Date(NOW.getTime() + 3 * 86_400_000);
    const { effects } = converse(
      [
        {
          say: 'Any news? Also the tracking number is order 88123-B',
          at: later,
          expect: [/Welcome back/, /CMP-000042/],
        },
      ],
      { ...first.state, ticketReference: 'CMP-000042' },
    );
    expect(effects.map((e) => e.type)).toEqual(['ticket_event', 'update_record']);
  });
});

describe('satisfaction follow-up closes the loop', () => {
  const ticketed = () => ({
    ...converse([
      {
        say: 'Rude staff at the front desk ignored me for an hour. Bo Chen, bo@example.com, yesterday, no order number, I want an apology',
      },
      { say: 'yes' },
    ]).state,
    ticketReference: 'CMP-000100',
  });

  it('a low score reopens the ticket and schedules a second follow-up', () => {
    const f = runFollowup(
      ticketed(),
      {
        kind: 'satisfaction_check',
        reference: 'CMP-000100',
        department: 'Customer Care team',
        dueAt: NOW.toISOString(),
      },
      ctx(),
    );
    expect(f.replies[0]).toMatch(/score from 1/);
    expect(f.state.phase).toBe('awaiting_satisfaction');
    const { effects } = converse([{ say: '2', expect: [/reopened CMP-000100/] }], f.state);
    expect(effects.map((e) => e.type)).toEqual(['record_satisfaction', 'set_status', 'schedule_followup']);
    expect(effects[2]).toMatchObject({ kind: 'second_followup', dueAt: '2026-11-27T10:00:00.000Z' });
  });

  it('a good score is thanked and nothing reopens', () => {
    const f = runFollowup(
      ticketed(),
      { kind: 'satisfaction_check', reference: 'CMP-000100', department: 'x', dueAt: NOW.toISOString() },
      ctx(),
    );
    const { effects } = converse([{ say: '5 thanks', expect: [/glad/] }], f.state);
    expect(effects.map((e) => e.type)).toEqual(['record_satisfaction']);
  });
});

describe('Chinese, both scripts', () => {
  it('Simplified: replies in Simplified, extracts Chinese details, routes', () => {
    const { effects } = converse([
      {
        say: '我在你们店买的手机屏幕碎了，订单号 88812345，我要退款',
        expect: [/抱歉/, /您的手机（订单号 88812345）有损坏/, /您希望退款/, /我理解得对吗/],
      },
      { say: '是的', expect: [/谢谢您的确认/, /什么时候/] },
      { say: '昨天', expect: [/怎么称呼/] },
      { say: '我叫张伟', expect: [/邮箱或手机号码/] },
      { say: '13800138000', expect: [/您的投诉已登记，编号 CMP-000777/, /产品质量部/] },
    ]);
    const t = opened(effects)!;
    expect(t.record).toMatchObject({
      phone: '+8613800138000',
      name: '张伟',
      occurredOn: '2026-11-23',
      resolution: 'refund',
    });
    expect(t.routing.department).toBe('quality');
  });

  it('Traditional: replies in Traditional script throughout, safety complaints are urgent', () => {
    const { effects } = converse([
      {
        say: '我在你們店買的熱水器漏電，差點觸電！',
        expect: [/抱歉/, /緊急/, /急救電話/, /您在我們店買的熱水器漏電/],
        not: [/紧急|电话|确认/],
      },
      { say: '對', expect: [/謝謝您的確認/] },
      { say: '上週五', expect: [/訂單號/] },
      { say: '沒有', expect: [/怎樣處理/] },
      { say: '退款', expect: [/怎麼稱呼/], not: [/怎么称呼/] },
      { say: '陳小姐', expect: [/郵箱或手機號碼/] },
      { say: '0912345678', expect: [/您的投訴已登記/, /編號 CMP-000777/], not: [/投诉/] },
    ]);
    const t = opened(effects)!;
    expect(t.routing.severity).toBe('urgent');
    expect(t.record.phone).toBe('+886912345678');
    expect(t.restatement).toMatch(/熱水器/);
  });

  it('a Chinese customer who asks for a person is handed off in Chinese', () => {
    converse([{ say: '转人工', expect: [/工作人员/, /邮箱或手机号码/] }]);
  });
});
