/**
 * Optional LLM understanding: the schema of what an LLM returns for one customer message, the schema of what the
 * dialog accepts from it, and {@link supportedOnly}, which keeps only what the customer's own text backs. Pure: no I/O,
 * no clock (a date needs `now` to be checked against relative expressions such as "yesterday").
 *
 * The LLM is a hint, never a source of facts: an order number, email, phone or name it "found" must be in the text,
 * a date must be written there, a resolution must be asked for, and its restatement may not invent numbers or copy
 * the customer's words back to them.
 */
import { z } from 'zod';
import { RESOLUTIONS } from '../extract.ts';
import { simplifiedOf } from './simplified.ts';
import { languageSchema } from '../languages.ts';
import { findDates, isDay } from './dates.ts';
import { splitSentences } from './sentences.ts';

/** Fields an LLM may fill; `isComplaint` is always kept. */
export const LLM_FIELDS = ['restatement', 'product', 'whatWentWrong', 'impact', 'occurredOn', 'orderNumber', 'resolution', 'name', 'email', 'phone', 'category', 'language'] as const;
/** One of {@link LLM_FIELDS}. */
export type LlmField = (typeof LLM_FIELDS)[number];

/** Longest restatement accepted, in characters. */
export const MAX_RESTATEMENT_CHARS = 400;
/** Most sentences a restatement may have. */
export const MAX_RESTATEMENT_SENTENCES = 2;

/** Sentences in `text`, as the dialog splits them (dialogs/understand/sentences.ts). */
export function countSentences(text: string): number {
  return splitSentences(text).length;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** True for a real calendar date written YYYY-MM-DD. */
function isCalendarDate(s: string): boolean {
  if (!ISO_DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

// LLMs write "no value" as null, "" or leave the key out: all three mean absent.
const blank = (v: unknown) => (v === null ? undefined : typeof v === 'string' ? (v.trim() === '' ? undefined : v.trim()) : v);
const lower = (v: unknown) => {
  const b = blank(v);
  return typeof b === 'string' ? b.toLowerCase() : b;
};
const text = (max: number) => z.preprocess(blank, z.string().max(max).optional());
const LANGUAGES: Record<string, z.infer<typeof languageSchema>> = { en: 'en', 'zh-hans': 'zh-Hans', 'zh-hant': 'zh-Hant' };

/**
 * The zod schema of the JSON an LLM must return for one message. `categories` are the configured category ids
 * (routing.yaml's categories and its default category). Values outside the allowed sets, a restatement over
 * {@link MAX_RESTATEMENT_CHARS} characters or {@link MAX_RESTATEMENT_SENTENCES} sentences, or a date that is not
 * YYYY-MM-DD make the whole answer invalid. Absent values may be null, "" or left out; unknown keys are ignored.
 */
export function llmAnswerSchema(categories: readonly string[]) {
  const allowed = new Set(categories);
  return z.object({
    isComplaint: z.boolean(),
    restatement: z.preprocess(
      blank,
      z
        .string()
        .max(MAX_RESTATEMENT_CHARS)
        .refine((s) => countSentences(s) <= MAX_RESTATEMENT_SENTENCES, `must be at most ${MAX_RESTATEMENT_SENTENCES} sentences`)
        .optional(),
    ),
    product: text(120),
    whatWentWrong: text(400),
    impact: text(400),
    occurredOn: z.preprocess(blank, z.string().refine(isCalendarDate, 'must be a date YYYY-MM-DD').optional()),
    orderNumber: text(40),
    resolution: z.preprocess(lower, z.enum(RESOLUTIONS).optional()),
    name: text(80),
    email: text(254),
    phone: text(40),
    category: z.preprocess(lower, z.string().refine((c) => allowed.has(c), 'must be one of the configured categories').optional()),
    language: z.preprocess((v) => {
      const l = lower(v);
      return typeof l === 'string' ? (LANGUAGES[l] ?? l) : l;
    }, languageSchema.optional()),
  });
}

/** What an LLM returned, validated. */
export type LlmAnswer = z.infer<ReturnType<typeof llmAnswerSchema>>;

/**
 * The zod schema of what the dialog accepts: an answer with only the fields the customer's text supports. Without
 * `categories` any category id is accepted (the dialog message carries a hint whose category was checked already).
 */
export function llmHintSchema(categories?: readonly string[]) {
  const allowed = categories && new Set(categories);
  return z.object({
    isComplaint: z.boolean(),
    restatement: z.string().max(MAX_RESTATEMENT_CHARS).optional(),
    product: z.string().max(120).optional(),
    whatWentWrong: z.string().max(400).optional(),
    impact: z.string().max(400).optional(),
    occurredOn: z.string().refine(isCalendarDate).optional(),
    orderNumber: z.string().max(40).optional(),
    resolution: z.enum(RESOLUTIONS).optional(),
    name: z.string().max(80).optional(),
    email: z.string().max(254).optional(),
    phone: z.string().max(40).optional(),
    category: z
      .string()
      .refine((c) => !allowed || allowed.has(c))
      .optional(),
    language: languageSchema.optional(),
    /** Fields the LLM gave that the text did not support, so they were left out. */
    dropped: z.array(z.enum(LLM_FIELDS)).default([]),
  });
}

/** An LLM's understanding of one message, reduced to what the customer's text supports. */
export type LlmHint = z.infer<ReturnType<typeof llmHintSchema>>;

/** Options for {@link supportedOnly}. */
export interface SupportOptions {
  /** The time the message was received: lets "yesterday" or "last Tuesday" back a date. Without it only a date written in full (day, month and year) does. */
  now?: Date;
}

/**
 * `result` without every field the customer's `customerText` does not support (listed in `dropped`):
 * - orderNumber, email, phone, name must appear in the text (order numbers compared as letters and digits in upper
 *   case, phones as digits, allowing an added country code or a dropped trunk 0; email and name case-insensitively);
 * - occurredOn must be a date a date expression in the text means (see {@link SupportOptions.now});
 * - resolution needs a request in the text ("I want", "would like", "refund", 希望, 要求, 退款 …);
 * - product, whatWentWrong and impact must share a word with the text (Chinese: two characters in a row);
 * - language must fit the text's script (Chinese needs Han characters, English Latin letters);
 * - restatement, whatWentWrong and impact may not hold a number of 4 or more digits or an email address the text
 *   does not have, and the restatement may not be a copy: more than half its words in runs of 5 or more words taken
 *   from the text (a Chinese character counts as half a word).
 */
export function supportedOnly(result: LlmAnswer, customerText: string, options: SupportOptions = {}): LlmHint {
  const t = prepare(customerText);
  const keep = (ok: boolean) => (v: string) => (ok ? v : undefined);
  // Each check returns the value to keep (an order number as the text writes it, an email in lower case), or undefined.
  const checks: Record<LlmField, (v: string) => string | undefined> = {
    orderNumber: (v) => orderNumberIn(v, t),
    email: (v) => (emailIn(v, t) ? v.normalize('NFKC').toLowerCase() : undefined),
    phone: (v) => keep(phoneIn(v, t))(v),
    name: (v) => (nameIn(v, t) ? tidyName(v) : undefined),
    occurredOn: (v) => keep(datesIn(t, options.now).has(v))(v),
    resolution: (v) => keep(asksForSomething(t))(v),
    product: (v) => keep(sharesWord(v, t))(v),
    whatWentWrong: (v) => keep(sharesWord(v, t) && nothingInvented(v, t))(v),
    impact: (v) => keep(sharesWord(v, t) && nothingInvented(v, t))(v),
    restatement: (v) => keep(nothingInvented(v, t) && !isCopy(v, t))(v),
    language: (v) => keep(v === 'en' ? LATIN.test(t.text) : HAN.test(t.text))(v),
    category: (v) => v,
  };
  const hint: LlmHint = { isComplaint: result.isComplaint, dropped: [] };
  for (const field of LLM_FIELDS) {
    const v = result[field];
    if (v === undefined) continue;
    const kept = checks[field](v);
    if (kept !== undefined) (hint as Record<string, unknown>)[field] = kept;
    else hint.dropped.push(field);
  }
  return hint;
}

// ---- the customer's text, read once ----

interface Prepared {
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

const HAN = /\p{Script=Han}/u;
const LATIN = /\p{Script=Latin}/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
// A run of digits and the separators phone numbers are written with; linear (one quantifier, a fixed start).
const NUMBER_RUN = /(?<![\d(+])[+(]?\d[\d\s().-]*/g;
const DIGIT_RUN = /(?<!\d)\d+/g;

function prepare(customerText: string): Prepared {
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
function wordsOf(text: string): string[] {
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

const isCodeChar = (c: string) => (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c === '-' || c === '_' || c === '/' || c === '.';

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

const normaliseCode = (s: string) => {
  let out = '';
  for (const c of s.normalize('NFKC').toUpperCase()) if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) out += c;
  return out;
};

const onlyDigits = (s: string) => {
  let out = '';
  for (const c of s.normalize('NFKC')) if (c >= '0' && c <= '9') out += c;
  return out;
};

// ---- the checks ----

/**
 * An order number must be one code of the text (returned as written there, upper case: "A-4411"), or up to three
 * adjacent ones written apart ("A 1234", returned as "A1234").
 */
function orderNumberIn(v: string, t: Prepared): string | undefined {
  const code = normaliseCode(v);
  if (code.length < 3 || !/\d/.test(code)) return undefined;
  for (let i = 0; i < t.codes.length; i++) {
    let joined = '';
    for (let j = i; j < Math.min(i + 3, t.codes.length); j++) {
      joined += t.codes[j].code;
      if (joined === code) return (j === i ? t.codes[i].raw : code).toUpperCase();
      if (joined.length >= code.length) break;
    }
  }
  return undefined;
}

const EMAIL_CHAR = (c: string) => !(c === ' ' || c === '\n' || c === '\t' || '<>()[]{},;:"\'，。；：（）'.includes(c));

/** An email must be an address-shaped token of the text, compared case-insensitively. */
function emailIn(v: string, t: Prepared): boolean {
  const e = v.normalize('NFKC').toLowerCase();
  if (!z.email().safeParse(e).success) return false;
  let from = 0;
  for (;;) {
    const at = t.lower.indexOf(e, from);
    if (at < 0) return false;
    const before = t.lower[at - 1];
    const after = t.lower[at + e.length];
    // "bob@example.com" is not in "jimbob@example.com"; a sentence's full stop may follow it.
    if ((before === undefined || !EMAIL_CHAR(before)) && (after === undefined || !EMAIL_CHAR(after) || (after === '.' && !EMAIL_CHAR(t.lower[at + e.length + 1] ?? ' ')))) return true;
    from = at + 1;
  }
}

/** A phone number's digits must be a number of the text, allowing a country code added or a trunk 0 dropped. */
function phoneIn(v: string, t: Prepared): boolean {
  const p = onlyDigits(v);
  if (p.length < 7 || p.length > 17) return false;
  for (const d of t.digits) {
    if (d.length < 7) continue;
    if (d === p) return true;
    const national = d.replace(/^0+/, '');
    if (national.length >= 7 && (p.endsWith(national) || national.endsWith(p.replace(/^0+/, ''))) && Math.abs(p.length - national.length) <= 4) return true;
  }
  return false;
}

/** A name must be in the text as whole words (case-insensitive, punctuation ignored); a Chinese name as written. */
function nameIn(v: string, t: Prepared): boolean {
  if (/[\d@]/.test(v)) return false;
  const name = wordsOf(simplifiedOf(v).normalize('NFKC'));
  if (!name.length) return false;
  return containsRun(t.words, name);
}

/** A name as people write it: a Latin word in lower case gets a capital ("jo park" → "Jo Park"). */
function tidyName(v: string): string {
  return v
    .trim()
    .split(' ')
    .filter(Boolean)
    .map((w) => (w[0] >= 'a' && w[0] <= 'z' ? w[0].toUpperCase() + w.slice(1) : w))
    .join(' ');
}

/** True when `needle` occurs in `hay` as consecutive words. */
function containsRun(hay: string[], needle: string[]): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

const pad = (n: number) => String(n).padStart(2, '0');
const isoDate = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/**
 * The dates the text's date expressions mean. A date written in full (year, month, day) needs no `now`; others are
 * read as extractDate reads them (a past date, last year's when this year's is still to come), only with `now`.
 */
function datesIn(t: Prepared, now: Date | undefined): Set<string> {
  const out = new Set<string>();
  const zh = HAN.test(t.text);
  for (const found of findDates(t.text, zh, now)) {
    const r = found.result;
    const s = r.start;
    if (s.isCertain('year') && s.isCertain('month') && s.isCertain('day')) {
      out.add(`${s.get('year')}-${pad(s.get('month') ?? 0)}-${pad(s.get('day') ?? 0)}`);
      continue;
    }
    if (!now) continue;
    // A day as extractDate reads one: not a time alone, "now", a time to come or a duration.
    if (!isDay(found)) continue;
    const d = s.date();
    if (d.getTime() > now.getTime() + 86_400_000 && !s.isCertain('year')) d.setFullYear(d.getFullYear() - 1);
    if (d.getTime() > now.getTime() + 86_400_000) continue;
    out.add(isoDate(d));
  }
  return out;
}

// Asking for something: a verb of wanting, or a remedy named outright.
const REQUEST_EN =
  /\b(?:want|wanted|wants|would like|i'd like|i’d like|we'd like|expect|expecting|need|needs|demand|demanding|ask for|asking for|request|requesting|please|refund|reimburse|money back|replace|replacement|exchange|repair|fix|compensate|compensation|voucher|cancel|apologise|apologize|apology|explain|explanation)\b/gi;
const REQUEST_ZH = /希望|要求|请求|请你们|请尽快|想要|我要|需要|退款|退钱|退货|换货|更换|换一个|维修|修理|赔偿|补偿|道歉|取消|退订|解释|说法|尽快/g;
// "I don't want a refund", "不需要退款": a cue shortly after a negation, in the same clause, asks for nothing.
const NEGATIONS_EN = new Set(['not', 'never', 'no']);
const NEGATION_ZH = '不没沒别別无無';
const CLAUSE_STOPS = ',.;:!?，。；：！？\n';

/** The clause before `index` in `text`, at most `max` characters. */
function clauseBefore(text: string, index: number, max: number): string {
  let start = index;
  while (start > 0 && index - start < max && !CLAUSE_STOPS.includes(text[start - 1])) start--;
  return text.slice(start, index);
}

/** True when the text asks for something: a request cue that does not follow a negation. */
function asksForSomething(t: Prepared): boolean {
  for (const m of t.text.matchAll(REQUEST_EN)) {
    const words = clauseBefore(t.text, m.index ?? 0, 40).toLowerCase().replaceAll('’', "'").split(' ').filter(Boolean).slice(-4);
    if (!words.some((w) => NEGATIONS_EN.has(w) || w.endsWith("n't"))) return true;
  }
  for (const m of t.simplified.matchAll(REQUEST_ZH)) {
    const before = clauseBefore(t.simplified, m.index ?? 0, 3);
    if (![...before].some((c) => NEGATION_ZH.includes(c))) return true;
  }
  return false;
}

const STOP_WORDS = new Set(
  'a an the my our your their his her its this that these those some any of for to in on at by with from and or but is was are were be been it i we you me us they them one new brand very just also not no'.split(' '),
);
/** A word and its forms without a plural ending ("boxes" → box, boxe; "kettles" → kettle, kettl). */
const forms = (w: string): string[] => [w, ...(w.length > 3 && w.endsWith('s') ? [w.slice(0, -1)] : []), ...(w.length > 4 && w.endsWith('es') ? [w.slice(0, -2)] : [])];

/** True when `v` and the text share a content word: a Latin word (plural "s" aside) or two Chinese characters in a row. */
function sharesWord(v: string, t: Prepared): boolean {
  const words = wordsOf(simplifiedOf(v).normalize('NFKC'));
  const stems = new Set([...t.wordSet].filter((w) => !HAN.test(w)).flatMap(forms));
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (HAN.test(w)) {
      const next = words[i + 1];
      if (next && HAN.test(next) && t.simplified.includes(w + next)) return true;
    } else if (!STOP_WORDS.has(w) && forms(w).some((f) => stems.has(f))) {
      return true;
    }
  }
  return false;
}

// Numbers of four or more digits (order numbers, phones, years) and email addresses, in a restatement or summary.
const LONG_NUMBER = /(?<!\d)\d{4,}/g;
const EMAIL_LIKE = /(?<![^\s<>()[\]{},;:"'，。；：（）])[^\s<>()[\]{},;:"'，。；：（）@]*@[^\s<>()[\]{},;:"'，。；：（）]*/g;

/** True when `v` holds no number of 4+ digits and no email address that the text lacks. */
function nothingInvented(v: string, t: Prepared): boolean {
  const s = v.normalize('NFKC');
  for (const m of s.matchAll(LONG_NUMBER)) if (!t.digits.has(m[0])) return false;
  for (const m of s.matchAll(EMAIL_LIKE)) {
    let e = m[0].toLowerCase();
    while (e.length && '.!?。！？'.includes(e[e.length - 1])) e = e.slice(0, -1);
    if (e.length > 1 && !t.lower.includes(e)) return false;
  }
  return true;
}

/** Words in a copied run that make it a copy. */
const COPY_RUN_WORDS = 5;

/**
 * True when more than half of `v`'s words lie in runs of {@link COPY_RUN_WORDS} or more words that also occur, in
 * order, in the text. A Chinese character weighs half a word. O(|v|·|text|) in words, at most 400 × 4,000 steps.
 */
function isCopy(v: string, t: Prepared): boolean {
  const r = wordsOf(simplifiedOf(v).normalize('NFKC'));
  if (!r.length) return false;
  const weight = (w: string) => (HAN.test(w) ? 0.5 : 1);
  const prefix = [0];
  for (const w of r) prefix.push(prefix[prefix.length - 1] + weight(w));
  const total = prefix[r.length];
  const covered = new Array<boolean>(r.length).fill(false);
  // run[j]: length of the common run ending at r[i] and t.words[j] (longest common suffix), one row at a time.
  let prev = new Uint16Array(t.words.length + 1);
  let cur = new Uint16Array(t.words.length + 1);
  for (let i = 0; i < r.length; i++) {
    let longest = 0;
    for (let j = 0; j < t.words.length; j++) {
      cur[j + 1] = r[i] === t.words[j] ? prev[j] + 1 : 0;
      if (cur[j + 1] > longest) longest = cur[j + 1];
    }
    if (longest && prefix[i + 1] - prefix[i + 1 - longest] >= COPY_RUN_WORDS) for (let k = i + 1 - longest; k <= i; k++) covered[k] = true;
    [prev, cur] = [cur, prev];
  }
  let copied = 0;
  for (let k = 0; k < r.length; k++) if (covered[k]) copied += weight(r[k]);
  return copied > total / 2;
}
