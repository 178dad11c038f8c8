/** A complaint record from a call transcript: each field with its value, a confidence and the line it came from. */
import type { CountryCode } from 'libphonenumber-js';
import {
  extractAmount,
  extractDate,
  extractName,
  extractOrderNumber,
  extractProduct,
  extractResolution,
} from './extract.ts';
import { extractEmails, extractPhones } from './extract-contact.ts';
import { isYes } from './intents.ts';
import { describe } from './restate.ts';
import { unspeak } from './spoken.ts';
import type { ComplaintRecord } from './types.ts';
import { boundText } from './understand/bounded-text.ts';

/** One line of a call, as the extraction needs it. */
export interface CallLine {
  n: number;
  role: 'customer' | 'agent' | 'unknown';
  text: string;
}

/** A field's value and where it came from. */
export interface Evidence {
  value: string;
  confidence: number;
  line: number;
  source: 'customer' | 'agent read-back confirmed by the customer' | 'unattributed speaker';
  quote: string;
}

/** Fields taken from a call. */
export type CallFields = Partial<
  Record<
    'name' | 'email' | 'phone' | 'orderNumber' | 'occurredOn' | 'amount' | 'product' | 'resolution' | 'description',
    Evidence
  >
>;

const DATE_CUE =
  /\d|yesterday|today|tonight|last|ago|week|month|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|first|second|third|fourth|fifth|tenth|teenth|twentieth|thirtieth|昨|今|前|上周|上週|星期|周|月|日|号|號/i;

const NAME_CUE = /name|i am|i'm|this is|call me|我叫|我是|名字|姓名|(?<![a-z])[a-z]+ [a-z]+,/i;

/** Below this a field is asked again rather than trusted. */
export const LOW_CONFIDENCE = 0.6;

/** The longest stretch of one line that is read: a run-on line is cut, as a chat message is. */
export const MAX_LINE_CHARS = 4000;

/** What a call yields: the fields with their evidence and the complaint record. */
export interface CallExtraction {
  fields: CallFields;
  record: ComplaintRecord;
}

/**
 * Only the customer's words (and the agent's read-back the customer confirmed) count. Later statements win, so a
 * correction later in the call replaces an earlier value.
 */
export function extractFromCall(lines: CallLine[], o: { now: Date; regions: CountryCode[] }): CallExtraction {
  const steps = extractFromCallSteps(lines, o);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * {@link extractFromCall} one line at a time: it yields after each line it reads, so that a caller can hand the event
 * loop back between slices of an hour-long call (5,000 lines take about a second). Still pure: no clock, no I/O.
 */
export function* extractFromCallSteps(
  linesIn: CallLine[],
  o: { now: Date; regions: CountryCode[] },
): Generator<number, CallExtraction> {
  const fields: CallFields = {};
  // Every line is bounded and folded once, as a chat message is, before any pattern reads it.
  const lines = linesIn.map((l) => ({ ...l, text: boundText(l.text, MAX_LINE_CHARS).text }));
  const unclear = lines.every((l) => l.role === 'unknown');
  // The customer line after each line, found in one backward pass (a search per agent line was quadratic).
  const nextCustomer: Array<CallLine | undefined> = new Array(lines.length);
  for (let i = lines.length - 1, seen: CallLine | undefined; i >= 0; i--) {
    nextCustomer[i] = seen;
    if (lines[i].role === 'customer') seen = lines[i];
  }
  const sources = lines
    .map((l, i) => {
      if (l.role === 'customer') return { l, source: 'customer' as const, confidence: 0.9 };
      if (unclear) return { l, source: 'unattributed speaker' as const, confidence: 0.5 };
      const next = nextCustomer[i];
      if (l.role === 'agent' && next && isYes(next.text.split(/[,.，。!！]/)[0]))
        return { l, source: 'agent read-back confirmed by the customer' as const, confidence: 0.8 };
      return undefined;
    })
    .filter((x): x is NonNullable<typeof x> => x !== undefined);
  const put = (field: keyof CallFields, value: string | undefined, s: (typeof sources)[number]) => {
    if (!value) return;
    const had = fields[field];
    // The same value said again keeps its best evidence (the customer's own words over a read-back).
    if (had && had.value === value && had.confidence >= s.confidence) return;
    fields[field] = { value, confidence: s.confidence, line: s.l.n, source: s.source, quote: s.l.text.slice(0, 300) };
  };
  for (const s of sources) {
    yield s.l.n;
    const text = unspeak(s.l.text);
    // The costly parsers run only on lines that can hold their kind of value: an hour-long call has hundreds of lines.
    if (text.includes('@')) put('email', extractEmails(text).valid[0], s);
    const order = /\d/.test(text) ? extractOrderNumber(text) : undefined;
    put('orderNumber', order, s);
    // A number labelled as an order or account number is never the caller's phone number.
    const notPhones = [order, fields.orderNumber?.value].filter((n): n is string => !!n);
    if (/\d[\d\s().-]{5,}\d/.test(text)) put('phone', extractPhones(text, o.regions, false, notPhones).valid[0], s);
    if (DATE_CUE.test(text)) put('occurredOn', extractDate(text, o.now, fields.occurredOn?.value), s);
    if (/\d/.test(text)) put('amount', extractAmount(text), s);
    if (s.source !== 'agent read-back confirmed by the customer') {
      if (NAME_CUE.test(text)) put('name', extractName(text), s);
      put('product', extractProduct(text), s);
      put('resolution', extractResolution(text), s);
    }
  }
  // What happened: the customer's own account, first lines with substance.
  const customerLines = sources.filter((s) => s.source !== 'agent read-back confirmed by the customer');
  const account = customerLines.find((s) => (describe(s.l.text)?.length ?? 0) > 25) ?? customerLines[0];
  if (account)
    put(
      'description',
      describe(
        customerLines
          .filter((s) => s.l.n >= account.l.n)
          .slice(0, 2)
          .map((s) => unspeak(s.l.text))
          .join(' '),
      ),
      account,
    );
  const record: ComplaintRecord = {
    customerWords: customerLines.map((s) => s.l.text),
    declined: [],
    ...Object.fromEntries(Object.entries(fields).map(([k, e]) => [k, e.value])),
  };
  return { fields, record };
}
