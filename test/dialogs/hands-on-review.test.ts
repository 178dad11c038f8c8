/**
 * What a hands-on conversation in Chromium showed the bot getting wrong (session 10), each row failing before its fix:
 * a safety hazard restated as "not in an acceptable state", "no thanks" taken as the customer's name, "I've noted your
 * outcome you want", and "Sorry, I didn't catch that" after an answer that was understood.
 */
import { describe, expect, it } from 'vitest';
import type { DialogContext } from '../../dialogs/dialog.ts';
import { extractDate, extractName } from '../../dialogs/extract.ts';
import { isDecline, wantsHuman as isHandoff } from '../../dialogs/intents.ts';
import { createRouter } from '../../dialogs/router.ts';
import { hazardDetail, problemKinds } from '../../dialogs/understand/problem-frames.ts';
import { loadRoutingConfig } from '../../src/router/routing-file.ts';
import { converse } from './converse.ts';
import { DIALOG_SETTINGS } from './dialog-settings.ts';

const ctx: DialogContext = {
  now: new Date('2026-12-04T10:00:00Z'),
  router: createRouter(loadRoutingConfig('dialogs/routing.yaml')),
  ...DIALOG_SETTINGS,
};
const BLENDER =
  'The blender I bought last week started smoking and sparking when I turned it on. My kitchen smelled of burnt plastic. This is dangerous!';

describe('a safety hazard is said back as the customer put it, never as a smell or a mess', () => {
  it.each([
    [BLENDER, /the blender you bought started smoking and sparking when you turned it on\./i],
    ['My new heater overheated and melted the plug.', /your new heater overheated and melted the plug/i],
    ['The charger caught fire overnight', /the charger caught fire overnight/i],
    ['This toy is dangerous, a part came off', /this toy is dangerous, a part came off/i],
    ['电水壶用了一次就冒烟了，还有火花，太危险了', /我确认一下：电水壶用了一次就冒烟了/],
    ['電暖器過熱，差點起火', /我確認一下：電暖器過熱，差點起火/],
    // Named only after the two sentences kept as the description: said back in our words, with what happened.
    [
      'I bought a heater from you in March. It cost a lot. The delivery was fine. Then last night it overheated and started smoking.',
      /your heater put your safety at risk, with smoke and overheating/i,
    ],
  ])('%s', (text, must) => {
    const replies = converse(ctx, [text]).replies[0].join('\n');
    expect(replies).toMatch(must);
    expect(replies).not.toMatch(/not in an acceptable state|状况让您无法接受/);
  });

  it('names the hazard first and drops the smell that is part of it', () => {
    expect(problemKinds(BLENDER)).toEqual(['unsafe']);
    expect(problemKinds('The room was dirty and smelled of smoke from the broken heater')[0]).toBe('unsafe');
    // A hazard is not read into ordinary words.
    expect(problemKinds('The parcel arrived late and the box was dirty')).not.toContain('unsafe');
  });

  it('lists at most three hazards, each once, in a fixed order', () => {
    expect(hazardDetail('sparks, then smoke, then more sparks and smoke', ' and ')).toBe('smoke and sparks');
    expect(hazardDetail('it overheated, smoked, sparked and exploded', ' and ')).toBe('smoke, sparks and overheating');
    expect(hazardDetail('it is dangerous', ' and ')).toBeUndefined();
  });
});

describe('a customer who will not give a detail is not held to it', () => {
  it.each([
    'no thanks',
    'No thank you.',
    "I'd rather not say",
    'prefer not to say',
    'anonymous',
    '不用了',
    '保密',
    '不想说',
  ])('"%s" declines', (text) => expect(isDecline(text)).toBe(true));
  it.each(['Jane Doe', 'thanks, it is Jane', 'no, my name is Jane'])('"%s" does not decline', (text) =>
    expect(isDecline(text)).toBe(false),
  );

  it('"no thanks" to the name question records no name and moves on', () => {
    const { replies, state } = converse(ctx, [BLENDER, 'yes', 'Order 55123', 'I want a full refund', 'no thanks']);
    expect(state.record.name).toBeUndefined();
    expect(state.record.declined).toContain('name');
    const last = replies.at(-1)!.join('\n');
    expect(last).not.toMatch(/No Thanks/);
    expect(last).toMatch(/email address or phone number/);
  });
});

describe('acknowledgements read as sentences', () => {
  it('notes the outcome wanted in plain words', () => {
    const { replies } = converse(ctx, [BLENDER, 'yes', 'Order 55123', 'I want a full refund']);
    expect(replies[3].join('\n')).toContain("Thanks — I've noted your preferred outcome.");
  });

  it('asks again without "didn\'t catch that" when the answer gave another detail', () => {
    const { replies, state } = converse(ctx, [BLENDER, 'yes', 'none', 'a refund', 'jane.doe@example.com']);
    const last = replies.at(-1)!.join('\n');
    expect(state.record.email).toBe('jane.doe@example.com');
    expect(last).toContain("I've noted your email address.");
    expect(last).toContain('May I have your name, please?');
    expect(last).not.toMatch(/didn't catch/);
    // An answer that gave nothing still gets the apology.
    const nothing = converse(ctx, [BLENDER, 'yes', 'none', 'a refund', '???']).replies.at(-1)!.join('\n');
    expect(nothing).toMatch(/Sorry, I didn't catch that\. May I have your name/);
  });
});

describe('a question in the middle of the details', () => {
  const COURIER = 'Your courier left my parcel in the rain and everything inside is soaked.';

  it('"what are my options?" is answered and is not taken as the product', () => {
    const { replies, state } = converse(ctx, [COURIER, 'yes', 'none', 'what are my options?']);
    const last = replies.at(-1)!.join('\n');
    expect(state.record.product).toBeUndefined();
    expect(last).not.toMatch(/noted your product/);
    expect(last).toMatch(/a refund, a replacement, a repair or an apology/);
    // The question the customer answered with a question is asked again, as it was.
    expect(replies.at(-1)!.at(-1)).toBe(replies.at(-2)!.at(-1));
    expect(last).not.toMatch(/didn't catch/);
  });

  it('接下来怎么处理？ is answered in Chinese', () => {
    const { replies } = converse(ctx, ['快递员把我的包裹放在雨里，东西全湿了', '对', '没有', '接下来怎么处理？']);
    expect(replies.at(-1)!.join('\n')).toMatch(/退款、换货、维修或道歉/);
  });

  it('a question off the subject still gets the off-topic answer', () => {
    const { replies } = converse(ctx, [COURIER, 'yes', 'none', 'what is the weather tomorrow?']);
    expect(replies.at(-1)!.join('\n')).toMatch(/complaints assistant/);
  });
});

describe('a bare yes or no is never the story', () => {
  it('快递员把我的包裹放在雨里 is a complaint, and 对 / 没有 after it are answers, not more story', () => {
    const { replies, state } = converse(ctx, ['快递员把我的包裹放在雨里，东西全湿了', '对', '没有']);
    expect(replies[0].join('\n')).toMatch(/我确认一下：快递员把您的包裹放在雨里/);
    expect(replies[1].join('\n')).toMatch(/谢谢您的确认/);
    expect(state.record.description).not.toMatch(/对|没有/);
  });

  it.each([['yes'], ['no'], ['没有'], ['对']])('"%s" after "what went wrong?" asks for the story again', (answer) => {
    const { replies, state } = converse(ctx, ['hello', answer]);
    expect(replies[1]).toHaveLength(1);
    expect(replies[1].join('\n')).toMatch(/what went wrong|发生了什么/);
    expect(state.record.description).toBeUndefined();
  });
});

describe('an outage with an engineer who never came', () => {
  const BROADBAND =
    'I have been a customer for 12 years and this is the worst experience ever. I called three times about my broadband being down since Monday and every time I was promised an engineer who never showed up. I work from home and have lost two days of pay. I want compensation for the lost days and the engineer to come tomorrow or I am cancelling.';

  it('is restated as an outage and a missed visit, since last Monday, and routed to repairs', () => {
    const said = converse(ctx, [BROADBAND]).replies[0].join('\n');
    expect(said).toMatch(/your broadband has been down and we did not turn up for the visit we arranged/);
    expect(said).not.toMatch(/has not reached you/);
    // 4 December 2026 is a Friday: "since Monday" is 30 November, not a Monday a year back.
    expect(said).toMatch(/It happened on 30 November and you would like compensation/);
    expect(ctx.router.route(BROADBAND)).toMatchObject({ category: 'after_sales', severity: 'serious' });
  });

  it('师傅没来 is a missed visit, not goods that never arrived', () => {
    expect(problemKinds('约好了师傅上门修宽带，结果师傅没来，宽带一直断网')).toEqual(['outage', 'missed_appointment']);
  });

  it.each([
    ['since Monday', '2026-11-30'],
    ['on Saturday it broke', '2026-11-28'],
    ['on Friday it broke', '2026-12-04'],
    ['星期六坏的', '2026-11-28'],
    ['last Monday', '2026-11-30'],
  ])('a weekday alone is the last one: %s → %s', (text, date) => {
    expect(extractDate(text, ctx.now)).toBe(date);
  });
});

describe('a Traditional Chinese complaint, start to finish', () => {
  const VACUUM = '我上個月在你們網店買的吸塵器，用了兩次就壞了，吸力很弱還有焦味。客服一直推給廠商，根本不管。';

  it('names the burning smell as a hazard and the breakdown as not working, not damage', () => {
    const said = converse(ctx, [VACUUM]).replies[0].join('\n');
    expect(said).toMatch(/您的吸塵器存在安全隱患（焦味），而且它不能正常使用/);
    expect(said).not.toMatch(/有損壞/);
  });

  it('takes a mainland mobile number from a Traditional-script customer', () => {
    const { state, replies } = converse(ctx, [
      VACUUM,
      '對',
      '訂單號 TB20261102',
      '我要退貨退款',
      '王小明',
      '13912345678',
    ]);
    expect(state.record.phone).toBe('+8613912345678');
    // Every detail is in: the engine asks the store for a ticket (no reply of its own), instead of questioning the number.
    expect(replies.at(-1)).toEqual([]);
  });
});

describe('an answer is read for what it is, whichever question it answers', () => {
  const KETTLE = 'My kettle from you broke after two uses';

  it('"a refund" given when asked for the order number is the outcome wanted', () => {
    const { replies, state } = converse(ctx, [KETTLE, 'yes', 'none', 'a refund']);
    expect(state.record.resolution).toBe('refund');
    expect(replies.at(-1)!.join('\n')).toMatch(/noted your preferred outcome/);
  });

  it('a phone number given when asked what we should do is a phone number, not the outcome', () => {
    const { state } = converse(ctx, [KETTLE, 'yes', 'none', 'none', '+1 650 253 0000']);
    expect(state.record.phone).toBe('+16502530000');
    expect(state.record.resolution).toBeUndefined();
  });

  it('an email given when asked for the product is not the product', () => {
    const { replies, state } = converse(ctx, [
      'It broke after two uses and nobody answers my emails',
      'yes',
      'jo@example.com',
    ]);
    expect(replies[1].join('\n')).toMatch(/Which product or service is this about\?/);
    expect(state.record.email).toBe('jo@example.com');
    expect(state.record.product).toBeUndefined();
  });
});

describe('a date the customer left open is said back as "around"', () => {
  it.each([
    ['My parcel never arrived, I ordered it last week', /It happened around 27 November/],
    ['My parcel never arrived, I ordered it a few days ago', /It happened around/],
    ['My parcel never arrived, I ordered it on 20 November', /It happened on 20 November/],
    ['My parcel never arrived, I ordered it yesterday', /It happened on 3 December/],
    ['上个月买的耳机坏了', /发生在11月4日前后/],
    ['耳机昨天坏了', /发生在12月3日。/],
  ])('%s', (text, must) => {
    expect(converse(ctx, [text]).replies[0].join('\n')).toMatch(must);
  });

  it('an exact date given later replaces the span and its "around"', () => {
    const { replies, state } = converse(ctx, [
      'My parcel never arrived, I ordered it last week',
      'no, it was on 25 November',
    ]);
    expect(state.record).toMatchObject({ occurredOn: '2026-11-25' });
    expect(state.record.occurredApprox).toBeUndefined();
    expect(replies[1].join('\n')).toMatch(/It happened on 25 November/);
  });
});

// From a read-only review of about fifty conversations (session 10): each row failed before its fix.
describe('staff named in a complaint are a complaint, not a request for a person', () => {
  it.each([['the manager was rude'], ['your agent hung up on me'], ['客服太差了'], ['客服骂人']])('%s', (text) => {
    const said = converse(ctx, [text]).replies[0].join('\n');
    expect(said).not.toMatch(/pass this to a member of our team|转给我们的工作人员/);
    expect(said).toMatch(/our staff did not treat you as they should|我们的工作人员态度不好|Let me check/);
  });
  it.each([['agent please'], ['can I talk to a human'], ['转人工'], ['客服']])('"%s" still asks for a person', (text) =>
    expect(isHandoff(text)).toBe(true),
  );
});

describe('details given with a yes are taken', () => {
  it('"yes, order #778899, yesterday" records both and asks for neither', () => {
    const { replies, state } = converse(ctx, [
      'wrong item delivered, ordered blue shoes got red',
      'yes, order #778899, yesterday',
    ]);
    expect(state.record).toMatchObject({ orderNumber: '778899', occurredOn: '2026-12-03' });
    expect(replies[1].join('\n')).not.toMatch(/When did this happen|order, booking or account number/);
  });
});

describe('what is not a product is not stored as one', () => {
  it.each([
    ['no order number', undefined],
    ['none of your business', undefined],
    ['I already told you', undefined],
    ['compensation and an apology', 'compensation'],
  ])('answering "which product?" with "%s"', (answer, resolution) => {
    const { state } = converse(ctx, [
      'why do you keep charging me?? i was billed 29.99 on monday AND tuesday',
      'yes',
      answer,
    ]);
    expect(state.record.product).toBeUndefined();
    expect(state.record.resolution).toBe(resolution);
    expect(state.record.description).not.toContain(answer);
  });

  it('"I already told you" gets an apology, not "noted"', () => {
    const last = converse(ctx, ['my order #44521 has not arrived and it has been 2 weeks', 'yes', 'I already told you'])
      .replies.at(-1)!
      .join('\n');
    expect(last).toMatch(/^Sorry if I missed it/);
    expect(last).not.toMatch(/noted/);
  });
});

describe('the restatement is calm and says what happened', () => {
  it.each([
    [
      'THE MICROWAVE I BOUGHT CAUGHT FIRE IN MY KITCHEN!!! MY KID COULD HAVE BEEN HURT',
      /the microwave you bought caught fire in your kitchen!/,
    ],
    [
      'why do you keep charging me?? i was billed 29.99 on monday AND tuesday',
      /Why do we keep charging you\? It happened/,
    ],
    [
      'My Samsung Galaxy S23 screen went black after the update yesterday, order 9981234.',
      /went black after the update\. This is about your order 9981234/,
    ],
    ['Great, another month charged for a subscription I cancelled in October.', /subscription you cancelled/],
    ['YOU KEEP TAKING MY MONEY AFTER I CANCELLED', /we keep taking your money after you cancelled/],
    ['My flight was cancelled and nobody told me', /your flight was cancelled/],
    ['航班被取消了，也沒有人通知我，我在機場等了八個小時', /您的航班被取消了/],
  ])('%s', (text, must) => {
    const said = converse(ctx, [text]).replies[0].join('\n');
    expect(said).toMatch(must);
    expect(said).not.toMatch(/tHE|your booking was cancelled|您的訂單被取消|, order\.|\?\?|!!/);
  });
});

describe('the router hears injuries, fraud and renewals', () => {
  it.each([
    ['The waiter spilled hot soup on my arm and I got burned', 'general', 'urgent'],
    ['the hotel room had bedbugs, I got bitten all over', 'product_quality', 'urgent'],
    ['my card was used for purchases I didnt make, 3 transactions of 200 dollars', 'billing_pricing', 'serious'],
    ['my gym membership keeps renewing even though I asked to cancel', 'billing_pricing', 'ordinary'],
    ['My order hasnt come', 'delivery_logistics', 'ordinary'],
    ['the kettle broke after 3 months', 'product_quality', 'ordinary'],
    ['这个手机又小又差', 'general', 'ordinary'],
  ])('%s → %s, %s', (text, category, severity) => {
    expect(ctx.router.route(text)).toMatchObject({ category, severity });
  });
});

describe('a product is kept in the script it was written in', () => {
  it.each([
    ['我買的吹風機用了一次就冒煙了', '吹風機'],
    ['這台冷氣機一直漏水', '冷氣機'],
    ['我买的吹风机坏了', '吹风机'],
  ])('%s → %s', (text, product) => {
    expect(converse(ctx, [text]).state.record.product).toBe(product);
  });
});

describe('a complaint that opens with what the customer wants keeps its story', () => {
  it('"I want to cancel my subscription and you keep taking my money"', () => {
    const { replies, state } = converse(ctx, ['I want to cancel my subscription and you keep taking my money']);
    expect(replies[0].join('\n')).toMatch(/Let me check I've understood: we keep taking your money\./);
    expect(state.record).toMatchObject({ resolution: 'cancellation', description: 'you keep taking my money' });
  });
  it('a late cake is not a wish for delivery (送到 is where it got to, not what is wanted)', () => {
    const { state } = converse(ctx, ['我訂的蛋糕晚了三個小時才送到，生日派對都結束了']);
    expect(state.record.resolution).toBeUndefined();
  });
});

// A fridge complaint answered up to the name question, whose answer is "yesterday".
const FRIDGE_TO_NAME = [
  'I was charged $1,299.00 for a fridge',
  'yes',
  'order FR-2231',
  'refund the difference',
  'yesterday',
];

describe('an answer read as one detail is not also another', () => {
  it('"yesterday" to the name question is a date, not a name', () => {
    const { state } = converse(ctx, FRIDGE_TO_NAME);
    expect(state.record.occurredOn).toBe('2026-12-03');
    expect(state.record.name).toBeUndefined();
  });
  it('"I would rather not say my name" declines the name', () => {
    const { state } = converse(ctx, [...FRIDGE_TO_NAME, 'I would rather not say my name']);
    expect(state.record.declined).toContain('name');
  });
  it('a name given with a phone number keeps the name', () => {
    expect(extractName('王美玲，0912345678', true)).toBe('王美玲');
    expect(extractName('Bob Stone, bob@b.com', true)).toBe('Bob Stone');
  });
});

describe('a correction of one thing keeps the story', () => {
  it.each([
    [
      ['the phone i got is faulty, screen flickers', 'no it is a tablet not a phone'],
      'the tablet i got is faulty, screen flickers',
      'tablet',
    ],
    [
      ['Your app deleted all my photos', 'no, it deleted my notes, not my photos'],
      'Your app deleted all my notes',
      'notes',
    ],
    [
      ['You overcharged me by $20 on my last bill', 'no, it was $25 not $20'],
      'You overcharged me by $25 on my last bill',
      'bill',
    ],
    [['My parcel never arrived', 'no, not a parcel, a letter'], 'My letter never arrived', undefined],
    [
      ['这次的火龙果，一颗星都不想给，全是烂的', '不对，是芒果不是火龙果'],
      '这次的芒果，一颗星都不想给，全是烂的',
      undefined,
    ],
    [['这次的火龙果全是烂的', '不是火龙果，是芒果'], '这次的芒果全是烂的', undefined],
  ])('%j', (messages, description, product) => {
    const { state } = converse(ctx, messages);
    expect(state.record.description).toBe(description);
    expect(state.record.product).toBe(product);
    expect(state.phase).toBe('confirming');
  });

  it('the amount corrected with the story', () => {
    const { state } = converse(ctx, ['You overcharged me by $20 on my last bill', 'no, it was $25 not $20']);
    expect(state.record.amount).toBe('$25');
  });

  it('a correction naming nothing the story says is read as before', () => {
    const { state } = converse(ctx, ['My parcel never arrived', 'no, it was a bike, not a sofa']);
    expect(state.record.description).not.toMatch(/sofa|bike/);
  });
});

// From a second review, replaying the first review's conversations on the new code (session 10).
describe('second review: what the first round of fixes got wrong', () => {
  it('"when will you fix it?" is answered, not taken as a wish', () => {
    const { replies, state } = converse(ctx, ['my kettle leaks', 'yes', 'yesterday', 'when will you fix it?']);
    expect(state.record.resolution).toBeUndefined();
    expect(replies.at(-1)!.join('\n')).toMatch(/pass your complaint to the team/);
  });
  it('"I would rather not say my name" asked for the date declines the name, not the date', () => {
    const { state } = converse(ctx, ['I was charged $1,299.00 for a fridge', 'yes', 'I would rather not say my name']);
    expect(state.record.declined).toEqual(['name']);
  });
  it('退8块钱 to the product question is a refund', () => {
    const { state } = converse(ctx, ['送货时间太长，还收了我8块钱运费', '对', '退8块钱']);
    expect(state.record).toMatchObject({ resolution: 'refund' });
    expect(state.record.product).toBeUndefined();
  });
  it('a technician who never came goes to after-sales', () => {
    expect(ctx.router.route('THE TECHNICIAN CANCELLED THE APPOINTMENT TWICE AND NEVER CAME').category).toBe(
      'after_sales',
    );
  });
  it('a cut order number leaves no ". ," behind', () => {
    const { state } = converse(ctx, ['My parcel never arrived. Order 88812, it was supposed to come on the 28th.']);
    expect(state.record.description).toBe('My parcel never arrived. it was supposed to come on the 28th');
  });
  it('"no thanks" to the restatement asks what to change and keeps the story', () => {
    const { replies, state } = converse(ctx, ['my kettle stopped working', 'no thanks']);
    expect(state.record.description).toBe('my kettle stopped working');
    expect(replies[1]).toEqual(['Sorry I got that wrong. What should I change?']);
  });
  it('"yesterday" to the name question is not a name when the date is known', () => {
    const { state } = converse(ctx, ['my kettle leaks', 'yes', 'yesterday', 'none', 'refund', 'yesterday']);
    expect(state.record.name).toBeUndefined();
  });
  it('"on the phone" is how they got in touch, not the product', () => {
    expect(converse(ctx, ['the agent was rude to me on the phone']).state.record.product).toBeUndefined();
    expect(converse(ctx, ['the screen of my phone is cracked']).state.record.product).toBe('phone');
  });
});

describe('asked what it is, the bot says so', () => {
  it.each([['are you a bot?'], ['is this a real person?'], ['你们的客服是机器人吗？'], ['你是真人吗']])(
    '%s',
    (text) => {
      const said = converse(ctx, [text]).replies[0];
      expect(said[0]).toMatch(/automated assistant|自动投诉助手/);
      expect(said[1]).toMatch(/what went wrong|发生了什么/);
    },
  );
  it('the question it was asking still stands', () => {
    const { replies } = converse(ctx, ['my kettle broke', 'yes', 'is this a real person?']);
    expect(replies[2]).toEqual([expect.stringMatching(/^I'm an automated assistant/), replies[1][1]]);
  });
  it.each([['My robot vacuum is broken'], ['扫地机器人坏了']])(
    'a robot in the story is not the question: %s',
    (text) => {
      expect(converse(ctx, [text]).replies[0].join('\n')).not.toMatch(/automated assistant|自动投诉助手/);
    },
  );
  it('"is this a robot? I want to talk to a human" asks for a person', () => {
    expect(converse(ctx, ['Is this a robot? I want to talk to a human']).replies[0].join('\n')).toMatch(
      /member of our team/,
    );
  });
});

describe('what was cancelled is named', () => {
  it.each([
    [
      'THE TECHNICIAN CANCELLED THE APPOINTMENT TWICE AND NEVER CAME',
      /your appointment was cancelled and we did not turn up for the visit we arranged/,
    ],
    ['You cancelled my order without telling me', /your order was cancelled/],
    ['My flight was cancelled', /your flight was cancelled/],
  ])('%s', (text, must) => {
    const said = converse(ctx, [text]).replies[0].join('\n');
    expect(said).toMatch(must);
    expect(said).not.toMatch(/your booking was cancelled|has not reached you/);
  });
});

describe('money that has not come through is said back as money, never as a person or a parcel, and goes to billing', () => {
  it.each([
    [
      'I sent money to my landlord by bank transfer three days ago and it still has not arrived, this is unacceptable.',
      /understood: the money you sent has not come through\./,
    ],
    ['I transferred £200 to my sister on Monday and she still has not received it.', /the money you sent has not come/],
    [
      'My refund for the returned shoes has not arrived yet, it has been two weeks.',
      /your refund has not come through\./,
    ],
    ['I returned the jacket and my refund has not come through.', /understood: your refund has not come through\./],
    ['I topped up my card yesterday but the money is not showing in my balance.', /your top-up has not come through/],
    ['My salary was paid on Friday but it is still not showing in my account.', /your pay has not come through/],
    ['I deposited a cheque last week and it has not cleared.', /your cheque has not come through/],
    ['我给房东转了2000块钱，三天了还没到账', /我确认一下：您转出的钱还没有到账/],
    ['充值了100元还没到账', /我确认一下：您充值的钱还没有到账/],
  ])('%s', (text, said) => {
    const replies = converse(ctx, [text]).replies[0].join('\n');
    expect(replies).toMatch(said);
    expect(replies).not.toMatch(/landlord has not|sister has not|shoes has not|reached you|没有送到/);
    expect(ctx.router.route(text).category).toBe('billing_pricing');
  });

  it('a parcel paid for that has not arrived is still a parcel', () => {
    for (const text of [
      'I paid for a sofa two weeks ago and it has not arrived.',
      'I ordered a phone and made the payment but it has not arrived yet.',
    ]) {
      expect(converse(ctx, [text]).replies[0].join('\n')).toMatch(/your (sofa|phone) has not reached you/);
      expect(ctx.router.route(text).category).toBe('delivery_logistics');
    }
  });
});

describe('a third review (session 11): safety, introductions, questions, sarcasm and what follows the ticket', () => {
  it.each([
    'My child swallowed a small part that came off the toy',
    'My baby got a rash from your nappies',
    'I smell gas in my flat since the engineer visited this morning',
    'The pharmacy gave me the wrong medication, I took it for two days before noticing',
    'I found glass in my salad and cut my mouth',
    'There was a piece of glass in my salad',
    '我家孩子误吞了玩具上掉下来的小零件',
  ])('a danger to health is urgent, with the emergency advice, and the person in it is not the product: %s', (text) => {
    expect(ctx.router.route(text).severity).toBe('urgent');
    const replies = converse(ctx, [text]).replies[0].join('\n');
    expect(replies).toMatch(/emergency services|紧急/);
    expect(replies).not.toMatch(/about your (child|baby|rash)|complaints assistant/);
  });

  it('a first message that opens with the customer’s name is still the story', () => {
    const full = converse(ctx, [
      'My name is John Carter, order 55123, the blender I bought on 1 December broke on first use, I want a refund. Email john.carter@mail.com',
    ]).replies[0].join('\n');
    expect(full).toMatch(
      /understood: your blender \(order 55123\) is not working properly\. It happened on 1 December/,
    );
    expect(converse(ctx, ['My name is John Carter and my blender broke on first use']).replies[0].join('\n')).toMatch(
      /understood: your blender is not working properly/,
    );
    expect(converse(ctx, ['我叫王芳，买的电饭煲用了两天就坏了']).replies[0].join('\n')).toMatch(
      /我确认一下：您的电饭煲/,
    );
    // A name alone is not a story.
    expect(converse(ctx, ['My name is John Carter']).replies[0].join('\n')).toMatch(/what went wrong/);
  });

  it('a customer’s question is said back with “you” in the right grammar', () => {
    const replies = converse(ctx, ['Why was I charged a $35 fee for a transfer?']).replies[0].join('\n');
    expect(replies).toMatch(/were you charged/);
    expect(replies).not.toMatch(/was you|am you/);
  });

  it('sarcasm and a bill far above the usual one are complaints, not off-topic', () => {
    const sarcasm = converse(ctx, ['Oh great, thanks so much for losing my parcel AGAIN. Really top notch service.']);
    expect(sarcasm.replies[0].join('\n')).toMatch(/understood: your order has not reached you/);
    const bill = converse(ctx, ['I got a phone bill for $480 this month, it is normally $60. What on earth??']);
    expect(bill.replies[0].join('\n')).not.toMatch(/complaints assistant/);
    expect(bill.replies[0].join('\n')).toMatch(/\$480/);
  });

  it('a Traditional-script customer answering with characters both scripts share stays in Traditional', () => {
    const { replies } = converse(ctx, ['我買的吹風機壞了', '對', '昨天', '沒有', '換一台新的']);
    expect(replies[4].join('\n')).toMatch(/謝謝，已記下您的處理訴求/);
  });

  it('after the ticket, thanks and “bye” are answered, “what happens next?” is explained, and neither is added', () => {
    const withTicket: DialogContext = {
      ...ctx,
      newTicket: { reference: 'CMP-000888', earlierTickets: 0, windowDays: 180 },
    };
    const story = 'My kettle from order 70011 stopped working yesterday. I want a refund. Bo Lin, bo@example.com';
    const { replies, state } = converse(withTicket, [story, 'yes', 'thanks', 'what happens next?', 'bye']);
    expect(replies[1].join('\n')).toMatch(/CMP-000888/);
    expect(replies[2].join('\n')).toMatch(/^Thank you\. Your complaint CMP-000888 is with our team/);
    expect(replies[3].join('\n')).toMatch(/team that can put it right\. They will look into it/);
    expect(replies[4].join('\n')).toMatch(/^Thank you\. Your complaint CMP-000888/);
    expect(replies.slice(2).join('\n')).not.toMatch(/I've added that/);
    expect(state.record.customerWords.join('\n')).not.toMatch(/thanks|what happens next|bye/);
    // Something new about it is still added.
    const more = converse(withTicket, [story, 'yes', 'the lid also cracked']);
    expect(more.replies[2].join('\n')).toMatch(/I've added that to complaint CMP-000888/);
  });
});

describe('a third review (session 11): words kept, numbers under their own label, contact declined', () => {
  it('a story ending in “my account” keeps it, and “even though” is never cut to “even”', () => {
    const card = converse(ctx, [
      'My card was declined at the supermarket even though I have plenty of money in my account',
    ]);
    expect(card.replies[0].join('\n')).not.toMatch(/in your\.|\beven\./);
    expect(card.replies[0].join('\n')).toMatch(/your card was declined at the supermarket/);
    const fee = converse(ctx, [
      'I was charged a cancellation fee of £45 even though I cancelled within the 14 day cooling off period',
    ]);
    expect(fee.replies[0].join('\n')).toMatch(/you were charged a cancellation fee of £45\./);
    expect(converse(ctx, ['The vase I ordered arrived smashed into pieces']).replies[0].join('\n')).toMatch(
      /your vase arrived damaged\./,
    );
  });

  it.each([
    ['appointment 4411', '4411'],
    ['ticket 77812', '77812'],
    ['ASOS 7781234', '7781234'],
    ['訂位代號 QX7781', 'QX7781'],
  ])('a number under its own label answers the number question: %s', (answer, number) => {
    const { replies, state } = converse(ctx, ['My kettle leaks all over the counter', 'yes', 'yesterday', answer]);
    expect(replies[3].join('\n')).not.toMatch(/didn't catch|没听明白|沒聽明白/);
    expect(state.record.orderNumber).toBe(number);
  });

  it.each([
    'I would rather not give my phone number',
    "I don't want to give my contact details",
    'no I dont have one',
    '不想留电话',
  ])('a decline is understood as one: %s', (answer) => {
    expect(isDecline(answer)).toBe(true);
  });
});

describe('a third review (session 11): plural products and wishes in the customer’s words', () => {
  it('a plural product takes a plural verb', () => {
    expect(converse(ctx, ['My new headphones stopped working after a week']).replies[0].join('\n')).toMatch(
      /your headphones are not working properly/,
    );
  });

  it('a wish in the customer’s own words is said as what they would like us to do', () => {
    const withTicket: DialogContext = {
      ...ctx,
      newTicket: { reference: 'CMP-000889', earlierTickets: 0, windowDays: 180 },
    };
    const { replies } = converse(withTicket, [
      'My kettle leaks all over the counter',
      'yes',
      'yesterday',
      'none',
      'call me back please',
      'Ann Lee',
      'ann@example.com',
    ]);
    const all = replies.flat().join('\n');
    expect(all).toMatch(/you would like us to call you back/);
    expect(all).not.toMatch(/you would like call/);
  });
});
