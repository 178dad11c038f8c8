import { describe, expect, it } from 'vitest';
import { callLanguage, callTranscriptSchema, readCall } from '../../dialogs/call-reading.ts';

const NOW = new Date('2026-11-24T10:00:00Z');
const call = (lines: Array<[string, string]>, caller = {}) =>
  callTranscriptSchema.parse({ lines: lines.map(([speaker, text]) => ({ speaker, text })), caller });

describe('a call read from the channel-neutral transcript', () => {
  it("reads only the customer's words, line numbers counted from 1, and the caller details fill in what was not said", () => {
    const t = call(
      [
        ['agent', 'Thanks for calling, how can I help? Is your order AB0001?'],
        ['customer', 'My heater from order 55112 is leaking water since yesterday and I want a repair.'],
        ['customer', 'My name is Ana Ruiz.'],
      ],
      { phone: '+14155550177', email: 'Ana@Example.com' },
    );
    const r = readCall(t, NOW);
    expect(r.record).toMatchObject({
      orderNumber: '55112',
      name: 'Ana Ruiz',
      resolution: 'repair',
      phone: '+14155550177',
      email: 'ana@example.com',
    });
    expect(r.evidence.orderNumber).toMatchObject({ value: '55112', line: 2, source: 'customer' });
    expect(r.unsure).toEqual([]);
  });

  it('a number said in the call wins over the caller number, and unattributed speakers are read but unsure', () => {
    const r = readCall(
      call(
        [
          ['unknown', 'My kettle from order 70011 stopped working yesterday, I want a refund.'],
          ['unknown', 'Call me on +1 415 555 0132.'],
        ],
        { phone: '+14155550177' },
      ),
      NOW,
    );
    expect(r.record.phone).toBe('+14155550132');
    expect(r.unsure).toEqual(expect.arrayContaining(['orderNumber', 'contact']));
  });

  it('the language is the one given, else the customer’s words’; a transcript in any other shape is refused', () => {
    expect(callLanguage(call([['customer', '我的手机坏了，我要退款。']]))).toBe('zh-Hans');
    expect(callLanguage({ ...call([['customer', 'my phone broke']]), language: 'zh-Hant' })).toBe('zh-Hant');
    expect(callTranscriptSchema.safeParse({ lines: [{ speaker: 'caller', text: 'hi' }] }).success).toBe(false);
    expect(callTranscriptSchema.safeParse({ lines: [] }).success).toBe(false);
  });
});
