import { describe, expect, it } from 'vitest';
import { maskSensitive } from '../../dialogs/mask.ts';

describe('masking card and ID numbers', () => {
  it.each([
    ['my card 4111 1111 1111 1111 was charged twice', 'my card [card •••• 1111] was charged twice', { card: 1 }],
    ['card 5500-0000-0000-0004, again 4012888888881881', 'card [card •••• 0004], again [card •••• 1881]', { card: 2 }],
    ['my SSN is 123-45-6789', 'my SSN is [SSN masked]', { us_ssn: 1 }],
    ['身份证 11010519491231002X 谢谢', '身份证 11**************** 谢谢', { cn_resident_id: 1 }],
    ['NI number AB 12 34 56 C', 'NI number [NI number masked]', { uk_nino: 1 }],
    // Test numbers of each network (Amex, Discover, JCB, UnionPay, Mastercard 2-series, Diners).
    [
      '378282246310005 6011111111111117 3530111333300000',
      '[card •••• 0005] [card •••• 1117] [card •••• 0000]',
      { card: 3 },
    ],
    [
      '6200000000000005 2223003122003222 30569309025904',
      '[card •••• 0005] [card •••• 3222] [card •••• 5904]',
      { card: 3 },
    ],
  ])('%s', (text, masked, kinds) => expect(maskSensitive(text)).toEqual({ text: masked, masked: kinds }));

  it.each([
    'card 4111-1111-1111-1112 fails Luhn',
    'order 1234567890123',
    // Luhn-valid, but no card issuer uses these prefixes: order and tracking numbers.
    'order 9000000000000001 and tracking 1000000000000008',
    'parcel 7000000000000005 was lost',
    'call +1 415 555 0132 or 13800138000',
    'ID 110105194912310021 has a wrong check digit',
    'SSN 000-12-3456 is not a valid SSN',
    'on 2026-11-24 at 10:00',
  ])('leaves alone: %s', (text) => expect(maskSensitive(text)).toEqual({ text, masked: {} }));
});
