/** supportedOnly: an LLM's answer keeps only what the customer's own text supports. */
import { describe, expect, it } from 'vitest';
import {
  countSentences,
  llmAnswerSchema,
  llmHintSchema,
  supportedOnly,
  type LlmAnswer,
} from '../../../dialogs/understand/llm-understanding.ts';
import { LLM_FIELDS } from '../../../dialogs/understand/llm-answer-schema.ts';

const CATEGORIES = ['product_quality', 'delivery_logistics', 'general'];
const schema = llmAnswerSchema(CATEGORIES);
const answer = (a: Record<string, unknown>): LlmAnswer => schema.parse({ isComplaint: true, ...a });
/** The value of `field` kept for `value` on `text`, or undefined when it was dropped. */
const kept = (field: string, value: unknown, text: string, now?: Date) => {
  const hint = supportedOnly(answer({ [field]: value }), text, { now });
  expect(llmHintSchema(CATEGORIES).safeParse(hint).success).toBe(true);
  if ((hint as Record<string, unknown>)[field] === undefined) expect(hint.dropped).toContain(field);
  return (hint as Record<string, unknown>)[field];
};

describe('the LLM answer schema', () => {
  it('takes null, "" and missing keys as absent, and normalises the case of allowed values', () => {
    const a = schema.parse({
      isComplaint: true,
      product: null,
      orderNumber: '',
      email: '  ',
      resolution: 'Refund',
      category: 'Product_Quality',
      language: 'ZH-HANS',
      extra: 1,
    });
    expect(a).toEqual({
      isComplaint: true,
      product: undefined,
      orderNumber: undefined,
      email: undefined,
      resolution: 'refund',
      category: 'product_quality',
      language: 'zh-Hans',
    });
  });

  it('refuses values outside the allowed sets and restatements that are too long', () => {
    for (const bad of [
      {},
      { isComplaint: 'true' },
      { isComplaint: true, category: 'other' },
      { isComplaint: true, resolution: 'a new car' },
      { isComplaint: true, language: 'fr' },
      { isComplaint: true, occurredOn: '2025-02-30' },
      { isComplaint: true, occurredOn: 'yesterday' },
      { isComplaint: true, restatement: 'x'.repeat(401) },
      { isComplaint: true, restatement: 'One. Two. Three.' },
    ]) {
      expect(schema.safeParse(bad).success, JSON.stringify(bad).slice(0, 80)).toBe(false);
    }
  });

  it('counts sentences by their stops', () => {
    expect(countSentences('You paid $45.99 for it. You want a refund.')).toBe(2);
    expect(countSentences('您的手机坏了。您希望退款。')).toBe(2);
    expect(countSentences('您的手机坏了。您希望退款。我们很抱歉。')).toBe(3);
    expect(countSentences('No stop at the end')).toBe(1);
  });
});

describe('supportedOnly', () => {
  const text =
    'Hi, my name is Jo Park. My new kettle arrived cracked on 3 March 2025 and leaked. Order A-4411, ref 55 12. Email Jo.Park@Example.com or call 07700 900123.';

  it('keeps an order number written in the text, compared without case or separators', () => {
    expect(kept('orderNumber', 'a4411', text)).toBe('A-4411');
    expect(kept('orderNumber', 'A-4411', text)).toBe('A-4411');
    expect(kept('orderNumber', '5512', text)).toBe('5512');
    expect(kept('orderNumber', 'A-4412', text)).toBeUndefined();
    expect(kept('orderNumber', '4411', 'order A-44110 is late')).toBeUndefined();
    expect(kept('orderNumber', 'ORDER', 'my order is late')).toBeUndefined();
    expect(kept('orderNumber', 'A12345', '订单号A12345还没到')).toBe('A12345');
  });

  it('keeps an email in the text, case-insensitively, and not one inside a longer address', () => {
    expect(kept('email', 'jo.park@example.com', text)).toBe('jo.park@example.com');
    expect(kept('email', 'JO.PARK@EXAMPLE.COM', text)).toBe('jo.park@example.com');
    expect(kept('email', 'park@example.com', text)).toBeUndefined();
    expect(kept('email', 'jo@example.com', text)).toBeUndefined();
    expect(kept('email', 'not an email', 'not an email')).toBeUndefined();
  });

  it('keeps a phone whose digits are in the text, with a country code added or a trunk 0 dropped', () => {
    expect(kept('phone', '07700 900123', text)).toBe('07700 900123');
    expect(kept('phone', '+44 7700 900123', text)).toBe('+44 7700 900123');
    expect(kept('phone', '+447700900123', text)).toBe('+447700900123');
    expect(kept('phone', '4155550100', 'call me on +1 (415) 555-0100')).toBe('4155550100');
    expect(kept('phone', '+1 415 555 0199', 'call me on +1 (415) 555-0100')).toBeUndefined();
    expect(kept('phone', '+1 415 555 0100', 'please call me back')).toBeUndefined();
  });

  it('keeps a name written in the text as whole words', () => {
    expect(kept('name', 'Jo Park', text)).toBe('Jo Park');
    expect(kept('name', 'jo park', text)).toBe('Jo Park');
    expect(kept('name', 'Joanna Park', text)).toBeUndefined();
    expect(kept('name', 'Al', 'I also want a refund')).toBeUndefined();
    expect(kept('name', '王小明', '我叫王小明，手机坏了')).toBe('王小明');
    expect(kept('name', '王小明', '我叫王小, 手机坏了')).toBeUndefined();
  });

  it('keeps a date only when a date expression in the text means it', () => {
    expect(kept('occurredOn', '2025-03-03', text)).toBe('2025-03-03');
    expect(kept('occurredOn', '2025-03-04', text)).toBeUndefined();
    expect(kept('occurredOn', '2024-03-03', text)).toBeUndefined();
    expect(kept('occurredOn', '2025-03-03', 'my order 4411 arrived broken')).toBeUndefined();
    // Relative and year-less dates need the time the message was received.
    const now = new Date('2025-03-10T12:00:00');
    expect(kept('occurredOn', '2025-03-09', 'it broke yesterday', now)).toBe('2025-03-09');
    expect(kept('occurredOn', '2025-03-09', 'it broke yesterday')).toBeUndefined();
    expect(kept('occurredOn', '2025-03-08', 'it broke yesterday', now)).toBeUndefined();
    expect(kept('occurredOn', '2024-12-24', 'it arrived broken on 24 December', now)).toBe('2024-12-24');
    expect(kept('occurredOn', '2025-03-09', '手机昨天坏了', now)).toBe('2025-03-09');
    expect(kept('occurredOn', '2025-03-05', '3月5日买的手机坏了', now)).toBe('2025-03-05');
  });

  it('keeps a resolution only when the customer asks for something', () => {
    expect(kept('resolution', 'refund', 'The kettle leaks. I want my money back.')).toBe('refund');
    expect(kept('resolution', 'replacement', 'The kettle leaks, I would like a new one')).toBe('replacement');
    expect(kept('resolution', 'refund', 'Refund please, the kettle leaks')).toBe('refund');
    expect(kept('resolution', 'refund', '水壶漏水，希望退款')).toBe('refund');
    expect(kept('resolution', 'refund', '水壺漏水，要求退款')).toBe('refund');
    expect(kept('resolution', 'refund', 'The kettle leaks.')).toBeUndefined();
    expect(kept('resolution', 'refund', "The kettle leaks. I don't want a refund.")).toBeUndefined();
    expect(kept('resolution', 'refund', 'The kettle leaks and I do not need a refund')).toBeUndefined();
    expect(kept('resolution', 'replacement', "I don't want excuses, I want a new kettle")).toBe('replacement');
    expect(kept('resolution', 'refund', 'It does not work and I want my money back')).toBe('refund');
    expect(kept('resolution', 'refund', '水壶漏水，不需要退款')).toBeUndefined();
    expect(kept('resolution', 'refund', '质量不好，希望退款')).toBe('refund');
    expect(kept('resolution', 'refund', '水壶漏水了')).toBeUndefined();
  });

  it('keeps a product that shares a word with the text', () => {
    expect(kept('product', 'electric kettle', text)).toBe('electric kettle');
    expect(kept('product', 'Kettles', 'my kettle leaks')).toBe('Kettles');
    expect(kept('product', 'the toaster', text)).toBeUndefined();
    expect(kept('product', 'my item', 'my kettle leaks')).toBeUndefined();
    expect(kept('product', '华为手机', '我的手机屏幕碎了')).toBe('华为手机');
    expect(kept('product', '手機', '我的手机屏幕碎了')).toBe('手機');
    expect(kept('product', '电视', '我的手机屏幕碎了')).toBeUndefined();
  });

  it('keeps what went wrong and the impact when they share a word and invent no number', () => {
    expect(kept('whatWentWrong', 'it arrived cracked', text)).toBe('it arrived cracked');
    expect(kept('whatWentWrong', 'the lid snapped off', text)).toBeUndefined();
    expect(kept('impact', 'kettle unusable for 2024 days', text)).toBeUndefined();
  });

  it('keeps a restatement that invents no number or email and is not a copy', () => {
    const ok = 'You told us the kettle we sent you arrived cracked and leaked, and you would like a refund.';
    expect(kept('restatement', ok, text)).toBe(ok);
    // A number of 4+ digits or an email the text lacks.
    expect(kept('restatement', 'You told us order 4411 arrived cracked.', text)).toBe(
      'You told us order 4411 arrived cracked.',
    );
    expect(kept('restatement', 'You told us order 4412 arrived cracked.', text)).toBeUndefined();
    expect(kept('restatement', 'You told us your kettle broke in 2024.', text)).toBeUndefined();
    expect(kept('restatement', 'We will write to jo@example.com about your kettle.', text)).toBeUndefined();
    expect(kept('restatement', 'We will write to jo.park@example.com about your kettle.', text)).toBe(
      'We will write to jo.park@example.com about your kettle.',
    );
    // A copy: more than half of it in runs of 5+ words from the text.
    expect(kept('restatement', 'My new kettle arrived cracked on 3 March 2025 and leaked.', text)).toBeUndefined();
    expect(
      kept('restatement', 'You say: my new kettle arrived cracked on 3 March, so we are sorry.', text),
    ).toBeUndefined();
    // Short shared phrases are not a copy.
    expect(kept('restatement', 'Your new kettle arrived cracked, and we are sorry that it leaked.', text)).toBe(
      'Your new kettle arrived cracked, and we are sorry that it leaked.',
    );
  });

  it('treats a Chinese character as half a word when looking for copies', () => {
    const zh = '我的手机屏幕昨天碎了，订单号A12345，希望退款。';
    expect(kept('restatement', '您的手机屏幕碎了，您希望我们退款。', zh)).toBe('您的手机屏幕碎了，您希望我们退款。');
    expect(kept('restatement', '我的手机屏幕昨天碎了，希望退款。', zh)).toBeUndefined();
    expect(kept('restatement', '我的手機屏幕昨天碎了，希望退款。', zh)).toBeUndefined();
  });

  it('keeps a language that fits the script, and the category and isComplaint as given', () => {
    expect(kept('language', 'en', text)).toBe('en');
    expect(kept('language', 'zh-Hans', text)).toBeUndefined();
    expect(kept('language', 'zh-Hant', '我的手機壞了')).toBe('zh-Hant');
    expect(kept('language', 'en', '我的手機壞了')).toBeUndefined();
    const hint = supportedOnly(answer({ isComplaint: false, category: 'general' }), 'hello');
    expect(hint).toEqual({ isComplaint: false, category: 'general', dropped: [] });
  });

  it('drops every invented detail at once and lists them', () => {
    const hint = supportedOnly(
      answer({
        orderNumber: 'B-9999',
        email: 'ann@example.com',
        phone: '555 123 4567',
        name: 'Ann',
        occurredOn: '2025-01-01',
        resolution: 'refund',
        product: 'toaster',
        category: 'product_quality',
      }),
      'my kettle broke',
    );
    expect(hint).toEqual({
      isComplaint: true,
      category: 'product_quality',
      dropped: ['occurredOn', 'orderNumber', 'resolution', 'name', 'email', 'phone', 'product'].sort(
        (a, b) => order(a) - order(b),
      ),
    });
  });
});

// The order the answer's fields are checked in: the schema's own list.
const order = (f: string) => LLM_FIELDS.indexOf(f as (typeof LLM_FIELDS)[number]);
