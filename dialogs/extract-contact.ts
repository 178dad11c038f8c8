/** Contact points in free text: valid email addresses and phone numbers, and attempts at one that are not valid. */
import { findPhoneNumbersInText, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import { simplifiedOf } from './understand/simplified.ts';
import { stripTrailing } from './understand/bounded-text.ts';

const emailSchema = z.email();

/** Valid email addresses in `text`, and tokens that look like an attempt at one but are not valid. */
export function extractEmails(text: string): { valid: string[]; invalid: string[] } {
  const valid: string[] = [];
  const invalid: string[] = [];
  // A token starts only where the previous character ends one, so a long run without "@" is scanned once.
  for (const raw of text.match(
    /(?<![^\s<>()[\]{},;:"'，。；：（）])[^\s<>()[\]{},;:"'，。；：（）]*@[^\s<>()[\]{},;:"'，。；：（）]*/g,
  ) ?? []) {
    const token = stripTrailing(raw, '.!?。！？');
    // "@ZARA_Care" is a social-media handle, not a broken email address: an address has something before its "@".
    if (token.startsWith('@')) continue;
    if (emailSchema.safeParse(token).success && /\.[a-z]{2,}$/i.test(token)) valid.push(token.toLowerCase());
    else if (token.length > 1) invalid.push(token);
  }
  return { valid, invalid };
}

/**
 * Valid phone numbers in `text` as E.164, and digit runs offered as a phone number that are not plausible.
 * Numbers without a country code are tried against each region in turn (the configured one, then the language's).
 */
export function extractPhones(
  text: string,
  regions: CountryCode[],
  asked = false,
  notPhones: string[] = [],
): { valid: string[]; invalid: string[] } {
  // A number the customer labelled as an order, account or reference number is never their phone number.
  const exclude = new Set(notPhones.map(digitsOf).filter((d) => d.length >= 5));
  for (const region of regions) {
    const r = phonesIn(text, region, asked, exclude);
    if (r.valid.length || region === regions[regions.length - 1]) return r;
  }
  return { valid: [], invalid: [] };
}

// A phone number is a short run of digits and separators. libphonenumber's text scan is slow on long runs ("1 1 1 …"
// took 200 ms at 4,000 characters), so it reads only the runs that could be one: 7 to 17 digits in at most 40 characters.
const PHONE_RUN = /\+?[\d(][\d\s().-]*/g;

/** The parts of `text` that could hold one phone number, with a few characters before each for a leading "+" or "tel". */
function phoneRuns(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(PHONE_RUN)) {
    const run = m[0].trimEnd();
    let digits = 0;
    for (const c of run) if (c >= '0' && c <= '9') digits++;
    if (digits >= 7 && digits <= 17 && run.length <= 40) out.push(run);
  }
  return out;
}

const digitsOf = (s: string) => s.replace(/\D/g, '');

function phonesIn(
  text: string,
  region: CountryCode,
  asked: boolean,
  exclude: Set<string>,
): { valid: string[]; invalid: string[] } {
  const cleaned = simplifiedOf(text).replace(
    /(?:order|booking|account|ref(?:erence)?|invoice|tracking|case|ticket|policy|订单|单号|编号|账号|账户|卡号|快递单|运单)\s?(?:(?:no\.?|number|num|#|id|号|码)\s?)?(?:(?:is|was|:|#|：|是|为)\s?)?(?:#\s?)?[A-Z0-9-]+/gi,
    ' ',
  );
  const valid = phoneRuns(cleaned).flatMap((run) =>
    findPhoneNumbersInText(run, region)
      .filter(
        (f) =>
          f.number.isValid() &&
          !exclude.has(digitsOf(run.slice(f.startsAt, f.endsAt))) &&
          !exclude.has(digitsOf(f.number.nationalNumber)),
      )
      .map((f) => f.number.number),
  );
  const invalid: string[] = [];
  if (!valid.length && asked) {
    for (const run of cleaned.match(/(?<![\d\s().+-])\+?\d[\d\s().-]{2,}\d/g) ?? []) {
      if (exclude.has(digitsOf(run))) continue;
      const p = parsePhoneNumberFromString(run, region);
      if (p?.isValid()) valid.push(p.number);
      else invalid.push(run.trim());
    }
  }
  return { valid: [...new Set(valid)], invalid };
}
