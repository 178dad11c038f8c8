import { describe, expect, it } from 'vitest';
import { readTranscript } from '../../../src/core/call-reading.ts';
import { inboundSchema } from '../../../src/core/ports.ts';

const NOW = new Date('2026-11-24T10:00:00Z');
const call = (lines: string[], caller = {}) =>
  inboundSchema.parse({
    channel: 'phone',
    conversationKey: 'call:1',
    messageKey: 'call:1',
    text: lines.join('\n'),
    style: 'call',
    sender: { id: 'call:1' },
    address: { email: null, phone: null, subject: 'Your call with us' },
    payload: { call: { format: 'plain' } },
    transcript: { lines: lines.map((text) => ({ speaker: 'customer', text })), caller },
  });

describe('a call read before its turn', () => {
  it('the contact points found in the call become its address and sender; the evidence is kept with the call', async () => {
    const { message, reading } = await readTranscript(
      call([
        'My heater from order 55112 is leaking since yesterday, I want a repair.',
        'Write to me at ana@example.com',
      ]),
      NOW,
    );
    expect(reading?.record).toMatchObject({ orderNumber: '55112', email: 'ana@example.com' });
    expect(message.address).toEqual({ email: 'ana@example.com', phone: null, subject: 'Your call with us' });
    expect(message.sender.id).toBe('ana@example.com');
    expect(message.payload.call).toMatchObject({
      format: 'plain',
      evidence: { orderNumber: { value: '55112', line: 1 } },
    });
  });

  it('the caller number the telephony gave reaches the caller when the call names none', async () => {
    const { message } = await readTranscript(
      call(['My kettle broke, I want a refund.'], { phone: '+14155550177' }),
      NOW,
    );
    expect(message.address).toMatchObject({ email: null, phone: '+14155550177' });
    expect(message.sender.id).toBe('+14155550177');
  });

  it('a message without a transcript is left as it is', async () => {
    const m = inboundSchema.parse({
      channel: 'test',
      conversationKey: 'k',
      messageKey: 'm',
      text: 'hi',
      sender: { id: 'x' },
    });
    expect(await readTranscript(m, NOW)).toEqual({ message: m });
  });
});
