/** The customer's text read once, in the forms the checks of an LLM's answer compare with (words, codes, digits). */
import { simplifiedOf } from './simplified.ts';

/** What the checks compare with: the customer's text normalised and taken apart into words, codes and digits. */
export interface Prepared {
  /** NFKC (full-width digits and letters as ASCII). */
  text: string;
  lower: string;
  simplified: string;
  /** Words (lower case, Chinese characters one by one, in Simplified script). */
  words: string[];
  wordSet: Set<string>;
  /** Runs of the characters order numbers are made of: as written (ends trimmed), and upper case without separators. */
  codes: Array<{ raw: string; code: string }>;
  /** Digit strings: every maximal run of digits, and the digits of every phone-like run ("+44 (0)20 7946-0958"). */
  digits: Set<string>;
}

/** A Chinese (Han) character. */
export const HAN = /\p{Script=Han}/u;
/** A Latin letter. */
export const LATIN = /\p{Script=Latin}/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
// A run of digits and the separators phone numbers are written with; linear (one quantifier, a fixed start).
const NUMBER_RUN = /(?<![\d(+])[+(]?\d[\d\s().-]*/g;
const DIGIT_RUN = /(?<!\d)\d+/g;

/** Reads the customer's text once: normalised, in words, order-number codes and digit strings. */
export function prepare(customerText: string): Prepared {
  const text = customerText.normalize('NFKC');
  const lower = text.toLowerCase();
  const simplified = simplifiedOf(text);
  const words = wordsOf(simplified);
  const digits = new Set<string>();
  for (const m of text.matchAll(DIGIT_RUN)) digits.add(m[0]);
  for (const m of text.matchAll(NUMBER_RUN)) digits.add(onlyDigits(m[0]));
  return { text, lower, simplified, words, wordSet: new Set(words), codes: codesOf(text), digits };
}

/** Words of `text`: letters and digits in runs (lower case, apostrophes inside kept), each Han character alone. */
export function wordsOf(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  const flush = () => {
    if (cur) out.push(cur.toLowerCase());
    cur = '';
  };
  for (const c of text) {
    if (HAN.test(c)) {
      flush();
      out.push(c);
    } else if (LETTER_OR_DIGIT.test(c)) cur += c;
    else if ((c === "'" || c === '’') && cur) cur += "'";
    else flush();
  }
  flush();
  // "customer's" → "customer's"; a trailing apostrophe ("customers'") is dropped.
  return out.map((w) => (w.endsWith("'") ? w.slice(0, -1) : w));
}

const isCodeChar = (c: string) =>
  (c >= '0' && c <= '9') ||
  (c >= 'A' && c <= 'Z') ||
  (c >= 'a' && c <= 'z') ||
  c === '-' ||
  c === '_' ||
  c === '/' ||
  c === '.';

const isAlnum = (c: string) => (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');

/** Runs of the characters order numbers are made of, as written and normalised. */
function codesOf(text: string): Prepared['codes'] {
  const out: Prepared['codes'] = [];
  let cur = '';
  for (const c of `${text} `) {
    if (isCodeChar(c)) cur += c;
    else if (cur) {
      const code = normaliseCode(cur);
      let a = 0;
      let b = cur.length;
      while (a < b && !isAlnum(cur[a])) a++;
      while (b > a && !isAlnum(cur[b - 1])) b--;
      if (code) out.push({ raw: cur.slice(a, b), code });
      cur = '';
    }
  }
  return out;
}

/** An order number's letters and digits, in upper case, without separators. */
export const normaliseCode = (s: string) => {
  let out = '';
  for (const c of s.normalize('NFKC').toUpperCase()) if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) out += c;
  return out;
};

/** The digits of `s` (full-width ones as ASCII). */
export const onlyDigits = (s: string) => {
  let out = '';
  for (const c of s.normalize('NFKC')) if (c >= '0' && c <= '9') out += c;
  return out;
};
