/** Masks card numbers (Luhn-valid) and government ID numbers in customer text before anything stores or shows it. */

/** What was masked, by kind, for the record. */
export type Masked = Partial<Record<'card' | 'us_ssn' | 'cn_resident_id' | 'uk_nino', number>>;

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

// Card numbers start with an issuer's prefix (ISO/IEC 7812 ranges of Visa, Mastercard, Amex, Discover, JCB, Diners,
// UnionPay, Maestro, Mir); an order or tracking number that merely passes Luhn usually does not.
function issuerPrefix(d: string): boolean {
  const n = (k: number) => Number(d.slice(0, k));
  return (
    d[0] === '4' ||
    (n(2) >= 50 && n(2) <= 69) ||
    (n(4) >= 2200 && n(4) <= 2204) ||
    (n(4) >= 2221 && n(4) <= 2720) ||
    [34, 36, 37, 38, 39].includes(n(2)) ||
    (n(3) >= 300 && n(3) <= 305) ||
    (n(4) >= 3528 && n(4) <= 3589)
  );
}

// The mainland resident ID's last character is a checksum over the first 17 digits (GB 11643).
function cnIdValid(id: string): boolean {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((s, w, i) => s + w * Number(id[i]), 0);
  return '10X98765432'[sum % 11] === id[17].toUpperCase();
}

/** The text with sensitive numbers masked (last four kept for cards) and what was masked. */
export function maskSensitive(text: string): { text: string; masked: Masked } {
  const masked: Masked = {};
  const count = (k: keyof Masked) => (masked[k] = (masked[k] ?? 0) + 1);
  let out = text.replace(
    /(?<![\dA-Za-z])\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\dA-Za-z])/g,
    (id) => {
      if (!cnIdValid(id)) return id;
      count('cn_resident_id');
      return `${id.slice(0, 2)}****************`;
    },
  );
  out = out.replace(/(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])/g, (run) => {
    const digits = run.replace(/\D/g, '');
    if (digits.length < 13 || digits.length > 19 || !issuerPrefix(digits) || !luhn(digits) || /^(\d)\1+$/.test(digits))
      return run;
    count('card');
    return `[card •••• ${digits.slice(-4)}]`;
  });
  out = out.replace(/(?<!\d)(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?!\d)/g, () => {
    count('us_ssn');
    return '[SSN masked]';
  });
  out = out.replace(
    /\b(?![DFIQUV])[A-CEGHJ-PR-TW-Z](?![DFIQUVO])[A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/g,
    () => {
      count('uk_nino');
      return '[NI number masked]';
    },
  );
  return { text: out, masked };
}
