/** Conversation-quality measures, each a pure function of texts, so each can be tested on hand-made examples. */
import type { Language } from '../../dialogs/types.ts';
import type { FactField, FactSheet } from './fact-sheet.ts';
import { datesIn, mentionsResolution } from './lexicon.ts';
import { toHans } from './text-script.ts';

/** Shortest copied run that counts: 4 English words, or 6 Chinese characters (a Chinese word is 1–3 characters). */
export const MIN_RUN = { en: 4, zh: 6 } as const;

/** Words (English) or characters (Chinese, compared in Simplified; Latin words and numbers count as one each), lower-cased. */
export function tokens(text: string, language: Language): string[] {
  if (language === 'en')
    return (
      text
        .toLowerCase()
        .replace(/’/g, "'")
        .match(/[\p{L}\p{N}]+(?:'\p{L}+)?/gu) ?? []
    );
  return (
    toHans(text)
      .toLowerCase()
      .match(/\p{Script=Han}|[a-z0-9]+/gu) ?? []
  );
}

/** How much of a restatement is copied from the customer's messages in runs of at least MIN_RUN tokens. */
export function copiedShare(
  restatement: string,
  customerTexts: string[],
  language: Language,
): { share: number; tokens: number; copied: number; runs: string[] } {
  const n = language === 'en' ? MIN_RUN.en : MIN_RUN.zh;
  const r = tokens(restatement, language);
  const grams = new Set<string>();
  for (const text of customerTexts) {
    const c = tokens(text, language);
    for (let i = 0; i + n <= c.length; i++) grams.add(c.slice(i, i + n).join('\u0000'));
  }
  const marked = new Array<boolean>(r.length).fill(false);
  for (let i = 0; i + n <= r.length; i++)
    if (grams.has(r.slice(i, i + n).join('\u0000'))) for (let j = i; j < i + n; j++) marked[j] = true;
  const runs: string[] = [];
  for (let i = 0; i < r.length;) {
    if (!marked[i]) {
      i++;
      continue;
    }
    let j = i;
    while (j < r.length && marked[j]) j++;
    runs.push(r.slice(i, j).join(language === 'en' ? ' ' : ''));
    i = j;
  }
  const copied = marked.filter(Boolean).length;
  return { share: r.length ? copied / r.length : 0, tokens: r.length, copied, runs };
}

const FIRST_PERSON = new Set(['i', 'me', 'my', 'mine', 'myself', "i'm", "i've", "i'd", "i'll"]);
const PREPOSITIONS = ['from', 'by', 'with', 'to', 'at', 'for'];
const count = (text: string, re: RegExp) => text.match(re)?.length ?? 0;

/**
 * Pronoun mistakes in a restatement addressed to the customer (each as a short note):
 * English — first-person words left over (I, me, my, mine, myself, lower-case i, I'm…); "you <verb> you" ("you charged
 * you"); "<preposition> you" more often than the customer wrote "<preposition> me/us" (their "from you" meant the
 * company, so it should read "from us"); "your" before another determiner ("your this", "your my"); "you was/am/is/has".
 * Chinese — 我 that is not part of 我们 (the customer's 我 should read 您).
 */
export function pronounErrors(restatement: string, customerTexts: string[], language: Language): string[] {
  const out: string[] = [];
  if (language !== 'en') {
    const left = count(toHans(restatement), /我(?!们)/g);
    if (left) out.push(`我 left ${left}×`);
    return out;
  }
  const text = restatement.replace(/’/g, "'");
  const left = tokens(text, 'en').filter((t) => FIRST_PERSON.has(t));
  if (left.length) out.push(`first person left: ${[...new Set(left)].join(', ')}`);
  for (const m of text.matchAll(/\byou [a-z]+ you\b/gi)) if (!/ (?:and|or|thank) /i.test(m[0])) out.push(`"${m[0]}"`);
  const customer = customerTexts.join('\n').replace(/’/g, "'");
  for (const p of PREPOSITIONS) {
    const said = count(text, new RegExp(`\\b${p} you\\b`, 'gi'));
    const explained = count(customer, new RegExp(`\\b${p} (?:me|us|myself|ourselves)\\b`, 'gi'));
    if (said > explained) out.push(`"${p} you" where the customer meant the company`);
  }
  for (const m of text.matchAll(/\byour (?:this|that|these|those|the|a|an|my|your|our)\b/gi)) out.push(`"${m[0]}"`);
  // "you was" as a subject; "a letter from you was lost" is fine.
  for (const m of text.matchAll(/\byou (?:am|was|is|has)\b/gi)) {
    const before = text.slice(0, m.index).trim().split(/\s+/).pop()?.toLowerCase() ?? '';
    if (![...PREPOSITIONS, 'of', 'about', 'than', 'thank'].includes(before)) out.push(`"${m[0]}"`);
  }
  return out;
}

/** The ticket as the staff API shows it (the parts these measures read). */
export interface TicketView {
  reference: string;
  restatement: string;
  record: Record<string, unknown>;
  customer: { name: string | null; email: string[]; phone: string[] };
}

/** Lower case, Simplified, single spaces. */
const norm = (s: string) => toHans(s).toLowerCase().replace(/\s+/g, ' ').trim();
const digits = (s: string) => s.replace(/\D/g, '');
const last8 = (s: string) => digits(s).slice(-8);
const sameName = (a: string, b: string) => norm(a) === norm(b);
const samePhone = (a: string, b: string) => last8(a).length >= 7 && last8(a) === last8(b);
const sameProduct = (a: string, b: string) => norm(a).includes(norm(b)) || norm(b).includes(norm(a));

/** The ticket's details as field → values (record and customer contact points together). */
export function ticketDetails(t: TicketView): Array<{ field: string; value: string }> {
  const out: Array<{ field: string; value: string }> = [];
  for (const f of ['product', 'occurredOn', 'orderNumber', 'amount', 'resolution', 'name', 'email', 'phone']) {
    const v = t.record[f];
    if (typeof v === 'string' && v) out.push({ field: f, value: v });
  }
  if (t.customer.name) out.push({ field: 'name', value: t.customer.name });
  for (const e of t.customer.email) out.push({ field: 'email', value: e });
  for (const p of t.customer.phone) out.push({ field: 'phone', value: p });
  return out;
}

/**
 * Details on the ticket that the customer never gave: the value is neither the fact sheet's nor found in anything the
 * customer wrote (dates: a day the evaluator's own date list reads in their text, see datesIn; resolutions: the
 * evaluator's own word list; phone numbers: the last 8 digits).
 */
export function spuriousDetails(
  t: TicketView,
  facts: FactSheet,
  customerTexts: string[],
  now: Date,
): Array<{ field: string; value: string }> {
  const text = norm(customerTexts.join('\n'));
  const textDigits = customerTexts.join('\n').replace(/[\s().-]/g, '');
  const days = new Set(customerTexts.flatMap((m) => datesIn(m, facts.language, now)));
  const given = (field: string, v: string): boolean => {
    switch (field) {
      case 'product':
        return sameProduct(v, facts.product) || text.includes(norm(v));
      case 'occurredOn':
        return facts.occurredOn.iso.includes(v) || days.has(v);
      case 'orderNumber':
        return v.toUpperCase() === facts.orderNumber.toUpperCase() || text.toUpperCase().includes(v.toUpperCase());
      case 'amount':
        return text.includes(norm(v)) || textDigits.includes(v.match(/\d[\d,.]*/)?.[0] ?? '\u0000');
      case 'resolution':
        return v === facts.resolution || mentionsResolution(customerTexts.join('\n'), v) || text.includes(norm(v));
      case 'name':
        return sameName(v, facts.name) || text.includes(norm(v));
      case 'email':
        return v.toLowerCase() === facts.contact.value.toLowerCase() || text.includes(v.toLowerCase());
      case 'phone':
        return (
          (facts.contact.kind === 'phone' && samePhone(v, facts.contact.value)) ||
          (last8(v).length >= 7 && textDigits.includes(last8(v)))
        );
      default:
        return true;
    }
  };
  return ticketDetails(t).filter((d) => !given(d.field, d.value));
}

/**
 * Order numbers, dates and names on the ticket that differ from the fact sheet but do appear in the customer's text
 * (so are not spurious): "#ios11update" read as an order number, say. Shown to developers, not counted in a goal.
 */
export function differingFromFacts(
  t: TicketView,
  facts: FactSheet,
  spurious: Array<{ field: string; value: string }>,
): Array<{ field: string; value: string; fact: string }> {
  const fact: Record<string, [string, (v: string) => boolean]> = {
    orderNumber: [facts.orderNumber, (v) => v.toUpperCase() === facts.orderNumber.toUpperCase()],
    occurredOn: [facts.occurredOn.iso.join(' or '), (v) => facts.occurredOn.iso.includes(v)],
    name: [facts.name, (v) => sameName(v, facts.name)],
  };
  return ticketDetails(t)
    .filter(
      (d) =>
        fact[d.field] &&
        !fact[d.field][1](d.value) &&
        !spurious.some((s) => s.field === d.field && s.value === d.value),
    )
    .map((d) => ({ ...d, fact: fact[d.field][0] }));
}

/** Which of the fields the customer gave are on the ticket with the value they gave (the description is not counted). */
export function completeness(
  t: TicketView,
  facts: FactSheet,
  givenFields: FactField[],
): { given: FactField[]; onTicket: FactField[]; missing: Array<{ field: FactField; expected: string; got: string }> } {
  const r = t.record as Record<string, string | undefined>;
  const given = [...new Set(givenFields)].filter((f) => f !== 'description');
  const expected: Record<Exclude<FactField, 'description'>, string> = {
    product: facts.product,
    occurredOn: facts.occurredOn.iso.join(' or '),
    orderNumber: facts.orderNumber,
    resolution: facts.resolution,
    name: facts.name,
    contact: facts.contact.value,
  };
  const has = (f: FactField): boolean => {
    switch (f) {
      case 'product':
        return !!r.product && sameProduct(r.product, facts.product);
      case 'occurredOn':
        return !!r.occurredOn && facts.occurredOn.iso.includes(r.occurredOn);
      case 'orderNumber':
        return r.orderNumber?.toUpperCase() === facts.orderNumber.toUpperCase();
      case 'resolution':
        return (
          r.resolution === facts.resolution || (!!r.resolution && mentionsResolution(r.resolution, facts.resolution))
        );
      case 'name':
        return [r.name, t.customer.name].some((n) => !!n && sameName(n, facts.name));
      case 'contact':
        return facts.contact.kind === 'email'
          ? [r.email, ...t.customer.email].some((e) => e?.toLowerCase() === facts.contact.value.toLowerCase())
          : [r.phone, ...t.customer.phone].some((p) => !!p && samePhone(p, facts.contact.value));
      default:
        return true;
    }
  };
  const onTicket = given.filter(has);
  const missing = given
    .filter((f) => !has(f))
    .map((f) => ({
      field: f,
      expected: expected[f as Exclude<FactField, 'description'>],
      got: String((f === 'contact' ? (r.email ?? r.phone) : f === 'name' ? (r.name ?? t.customer.name) : r[f]) ?? '—'),
    }));
  return { given, onTicket, missing };
}

/** The median of `values` (NaN when empty). */
export function median(values: number[]): number {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
