import { describe, expect, it } from 'vitest';
import { applyHint, hintRestatement } from '../../../dialogs/understand/apply-hint.ts';
import type { LlmHint } from '../../../dialogs/understand/llm-understanding.ts';
import { complaintRecordSchema, dialogMessageSchema, type ComplaintRecord } from '../../../dialogs/types.ts';

const record = (r: Partial<ComplaintRecord> = {}): ComplaintRecord =>
  complaintRecordSchema.parse({
    description: 'your kettle arrived cracked',
    customerWords: ['My kettle arrived cracked.'],
    ...r,
  });

const HINT: LlmHint = {
  isComplaint: true,
  restatement: 'You told us the kettle we sent arrived cracked, and you would like your money back.',
  product: 'kettle',
  whatWentWrong: 'arrived cracked',
  occurredOn: '2025-03-03',
  orderNumber: 'A-4411',
  resolution: 'refund',
  name: 'Jo Park',
  email: 'jo@example.com',
  phone: '+44 20 7946 0958',
  category: 'product_quality',
  language: 'en',
  dropped: [],
};

describe('applyHint', () => {
  it('without a hint returns the record itself', () => {
    const r = record();
    expect(applyHint(r, undefined)).toBe(r);
  });

  it('fills every empty field the hint has; the story and the customer words stay', () => {
    const r = record();
    const out = applyHint(r, HINT);
    expect(out).toEqual({
      ...r,
      product: 'kettle',
      occurredOn: '2025-03-03',
      orderNumber: 'A-4411',
      resolution: 'refund',
      name: 'Jo Park',
      email: 'jo@example.com',
      phone: '+442079460958',
    });
    // Pure: the record passed in is untouched.
    expect(r.product).toBeUndefined();
    expect(out.customerWords).not.toBe(r.customerWords);
  });

  it("never overwrites what the customer's own words gave", () => {
    const r = record({
      product: 'toaster',
      orderNumber: 'B-1',
      resolution: 'replacement',
      name: 'Ann Lee',
      email: 'ann@example.com',
      phone: '+14155550100',
      occurredOn: '2025-03-01',
    });
    expect(applyHint(r, HINT)).toBe(r);
  });

  it('fills only the empty ones when some are set', () => {
    const out = applyHint(record({ product: 'electric kettle', email: 'ann@example.com' }), HINT);
    expect(out.product).toBe('electric kettle');
    expect(out.email).toBe('ann@example.com');
    expect(out.orderNumber).toBe('A-4411');
    expect(out.phone).toBe('+442079460958');
  });

  it('leaves alone what the customer declined (contact covers email and phone)', () => {
    const out = applyHint(record({ declined: ['orderNumber', 'contact'] }), HINT);
    expect(out.orderNumber).toBeUndefined();
    expect(out.email).toBeUndefined();
    expect(out.phone).toBeUndefined();
    expect(out.name).toBe('Jo Park');
  });

  it('takes only the fields a hint has, and nothing it does not know (description, amount)', () => {
    const out = applyHint(record({ description: undefined, customerWords: [] }), {
      isComplaint: true,
      orderNumber: 'A-4411',
      whatWentWrong: 'cracked',
      impact: 'wet counter',
      dropped: ['name'],
    });
    expect(out).toEqual({ customerWords: [], declined: [], orderNumber: 'A-4411' });
  });

  it('a phone number without a country code needs a region; an invalid one is not taken', () => {
    const hint: LlmHint = { isComplaint: true, phone: '020 7946 0958', dropped: [] };
    expect(applyHint(record(), hint).phone).toBeUndefined();
    expect(applyHint(record(), hint, { regions: ['US', 'GB'] }).phone).toBe('+442079460958');
    expect(
      applyHint(record(), { isComplaint: true, phone: '12345678', dropped: [] }, { regions: ['GB'] }).phone,
    ).toBeUndefined();
  });

  it('a date after the turn is not taken', () => {
    const now = new Date('2025-03-10T12:00:00Z');
    expect(applyHint(record(), { isComplaint: true, occurredOn: '2025-03-09', dropped: [] }, { now }).occurredOn).toBe(
      '2025-03-09',
    );
    expect(
      applyHint(record(), { isComplaint: true, occurredOn: '2025-04-09', dropped: [] }, { now }).occurredOn,
    ).toBeUndefined();
  });

  it('blank values fill nothing', () => {
    const r = record();
    expect(applyHint(r, { isComplaint: true, product: '  ', name: '', dropped: [] })).toBe(r);
  });
});

describe('hintRestatement', () => {
  it('is the restatement when it is in the turn language', () => {
    expect(hintRestatement(HINT, 'en')).toBe(HINT.restatement);
    expect(hintRestatement({ ...HINT, restatement: '您收到的水壶有裂缝，您希望退款。' }, 'zh-Hans')).toBe(
      '您收到的水壶有裂缝，您希望退款。',
    );
  });

  it('a Chinese restatement comes in Simplified script (render() makes it Traditional for zh-Hant)', () => {
    expect(hintRestatement({ ...HINT, restatement: '您收到的水壺有裂縫，您希望退款。' }, 'zh-Hans')).toBe(
      '您收到的水壶有裂缝，您希望退款。',
    );
    expect(hintRestatement({ ...HINT, restatement: '您收到的水壺有裂縫，您希望退款。' }, 'zh-Hant')).toBe(
      '您收到的水壶有裂缝，您希望退款。',
    );
  });

  it('is undefined without a hint or restatement, or in another language', () => {
    expect(hintRestatement(undefined, 'en')).toBeUndefined();
    expect(hintRestatement({ ...HINT, restatement: undefined }, 'en')).toBeUndefined();
    expect(hintRestatement({ ...HINT, restatement: '   ' }, 'en')).toBeUndefined();
    expect(hintRestatement(HINT, 'zh-Hans')).toBeUndefined();
    expect(hintRestatement({ ...HINT, restatement: '您收到的水壶有裂缝。' }, 'en')).toBeUndefined();
    expect(hintRestatement({ ...HINT, restatement: 'Your 水壶 arrived cracked.' }, 'en')).toBeUndefined();
  });
});

describe('the dialog message carries a hint', () => {
  it('validates it with any category id and gives it back as an LlmHint', () => {
    const msg = dialogMessageSchema.parse({
      text: 'x',
      receivedAt: '2025-03-10T12:00:00Z',
      hint: { ...HINT, category: 'anything_configured', dropped: undefined },
    });
    expect(msg.hint).toEqual({ ...HINT, category: 'anything_configured', dropped: [] });
    expect(dialogMessageSchema.parse({ text: 'x', receivedAt: '2025-03-10T12:00:00Z' }).hint).toBeUndefined();
    expect(
      dialogMessageSchema.safeParse({
        text: 'x',
        receivedAt: '2025-03-10T12:00:00Z',
        hint: { ...HINT, occurredOn: '3 March' },
      }).success,
    ).toBe(false);
  });
});
