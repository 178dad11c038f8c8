/** Folds everything one message says into the complaint record: any detail, in any order, corrections included. */
import type { CountryCode } from 'libphonenumber-js';
import type { ComplaintRecord, Field } from './types.ts';
import {
  extractAmount,
  readDate,
  extractName,
  extractOrderNumber,
  extractResolution,
  productWithConfidence,
} from './extract.ts';
import { extractEmails, extractPhones } from './extract-contact.ts';
import { evidenceFor } from './understand/field-evidence.ts';
import { isDecline, isMetaRemark, isQuestion } from './intents.ts';
import { describe } from './restate.ts';
import { stripTrailing } from './understand/bounded-text.ts';
import { UNLIMITED, type Budget } from './understand/budget.ts';

/** What one message changed. */
export interface Absorbed {
  record: ComplaintRecord;
  /** Fields newly set (were empty). */
  added: Array<Field | 'email' | 'phone' | 'amount'>;
  /** Fields that had a value and now have a different one. */
  changed: Array<Field | 'email' | 'phone' | 'amount'>;
  invalidEmail?: string;
  invalidPhone?: string;
  invalidDate?: boolean;
  declined?: Field;
  /** True when the time budget ran out before every extractor had read the message. */
  outOfTime?: boolean;
}

/** Options for {@link absorb}. */
export interface AbsorbOptions {
  now: Date;
  /** Regions to read phone numbers without a country code in, most likely first. */
  regions: CountryCode[];
  /** The field the dialog just asked for: a short bare answer is taken as that field. */
  asking?: Field;
  /** Whether free text without other details should become (or replace) the description. */
  describe?: 'set' | 'replace' | 'append' | 'no';
  /** Time left for understanding this message; extractors not yet run when it is spent are skipped. */
  budget?: Budget;
}

/** Returns the record updated with every detail found in `text`. */
export function absorb(prev: ComplaintRecord, text: string, o: AbsorbOptions): Absorbed {
  const r: ComplaintRecord = {
    ...prev,
    customerWords: [...prev.customerWords],
    declined: [...prev.declined],
    evidence: { ...prev.evidence },
  };
  const evidence = r.evidence!;
  const added: Absorbed['added'] = [];
  const changed: Absorbed['changed'] = [];
  const out: Absorbed = { record: r, added, changed };
  // Every value is kept with the sentence it came from and how sure the reading is (field-evidence.ts).
  const set = <
    K extends
      'product' | 'occurredOn' | 'orderNumber' | 'resolution' | 'name' | 'email' | 'phone' | 'amount' | 'description',
  >(
    k: K,
    v: string | undefined,
    confidence = 0.9,
  ) => {
    if (v === undefined) return;
    // The description is the customer's account, not a copy of one span: its evidence is the sentence it starts in.
    const read = () => evidenceFor(text, k === 'description' ? text.slice(0, 40) : v, confidence);
    if (v === r[k]) {
      // Said again, more surely (the answer to the question about it): the stronger evidence is kept.
      if ((evidence[k]?.confidence ?? 0) < confidence) evidence[k] = read();
      return;
    }
    (r[k] === undefined ? added : changed).push(k === 'email' || k === 'phone' || k === 'amount' ? k : k);
    r[k] = v;
    evidence[k] = read();
    r.declined = r.declined.filter((d) => d !== k && !(d === 'contact' && (k === 'email' || k === 'phone')));
  };

  if (o.asking && isDecline(text)) {
    // "I'd rather not say my name" asked for the date declines the name; the date is still to be asked.
    const field: Field = /\bmy name\b/i.test(text)
      ? 'name'
      : /\bmy (?:e-?mail|phone|number|contact)/i.test(text)
        ? 'contact'
        : o.asking;
    if (!r.declined.includes(field)) r.declined.push(field);
    out.declined = field;
    return out;
  }

  const budget = o.budget ?? UNLIMITED;
  // Cheapest and most often needed first; each step runs only while the budget lasts.
  const steps: Array<() => void> = [
    () => {
      // The order number first: a number labelled as one is never read as the customer's phone number.
      const order = extractOrderNumber(text, o.asking === 'orderNumber');
      set('orderNumber', order, o.asking === 'orderNumber' ? 0.85 : 0.9);
      const emails = extractEmails(text);
      set('email', emails.valid[0], 0.95);
      // "Tried enquiries@" names an address in passing; a broken address is questioned when it was asked for, or
      // when it was plainly an attempt at one (a domain after the @).
      if (
        !emails.valid.length &&
        emails.invalid.length &&
        (o.asking === 'contact' || /@[^@\s]*\./.test(emails.invalid[0]))
      )
        out.invalidEmail = emails.invalid[0];
      const phones = extractPhones(
        text,
        o.regions,
        o.asking === 'contact',
        [order, r.orderNumber].filter((n): n is string => !!n),
      );
      set('phone', phones.valid[0]);
      if (!phones.valid.length && phones.invalid.length && !emails.valid.length) out.invalidPhone = phones.invalid[0];
    },
    () => {
      const date = readDate(text, o.now, r.occurredOn);
      const before = r.occurredOn;
      set('occurredOn', date?.date, 0.85);
      // Whether it is "around" follows the reading that set the date.
      if (date && r.occurredOn !== before) r.occurredApprox = date.approx || undefined;
      if (!date && o.asking === 'occurredOn') out.invalidDate = true;
    },
    () => set('amount', extractAmount(text)),
    // An answer that was read as something else ("yesterday") is not also a name.
    () =>
      set(
        'name',
        extractName(text, o.asking === 'name' && !added.length && !changed.length && !readDate(text, o.now)),
        0.85,
      ),
    () => {
      // A short answer to any question may name the wish instead ("compensation and an apology" when asked for the
      // product, "give the money back" when asked for the date): read it as the answer to the wish question.
      const shortAnswer =
        !!o.asking && o.asking !== 'description' && text.trim().split(/\s+/).length <= 8 && !isQuestion(text);
      const resolution = extractResolution(text, o.asking === 'resolution' || shortAnswer);
      // A request ("I want a refund") is sure; an answer in the customer's own words is kept as they said it.
      set(
        'resolution',
        // The answer taken as said only when nothing else was read from it: "+1 650 253 0000" answers no question of it.
        resolution ??
          (o.asking === 'resolution' && !added.length && !changed.length
            ? stripTrailing(text.trim(), '.!。！').slice(0, 200)
            : undefined),
        resolution ? 0.9 : 0.75,
      );
    },
    () => {
      const found = productWithConfidence(text);
      const product = found?.value;
      // A product named in passing once one is known ("手机 13952915384" given as a contact) does not replace it; an
      // answer to the product question, or a product given with no other, does.
      if (!r.product || o.asking === 'product' || o.describe === 'replace') {
        set(
          'product',
          product ??
            (o.asking === 'product' && text.trim().length <= 80 && !added.length && !changed.length && namesAThing(text)
              ? stripTrailing(text.trim(), '.!。！')
              : undefined),
          o.asking === 'product' ? 0.9 : (found?.confidence ?? 0.9),
        );
      }
    },
  ];
  for (const step of steps) {
    if (budget.spent()) {
      out.outOfTime = true;
      break;
    }
    step();
  }

  // Free text feeds the description only when it is not simply the answer to the question just asked.
  const answeredAsked =
    o.asking &&
    o.asking !== 'description' &&
    [...added, ...changed].some((f) => f === o.asking || (o.asking === 'contact' && (f === 'email' || f === 'phone')));
  const mode = o.describe ?? 'no';
  if (mode !== 'no' && !answeredAsked) {
    // The story is kept even past the budget (describe reads the text once, in linear time): without it the customer
    // would be asked what went wrong right after telling us. Only the details not yet read are left to ask for.
    const d = describe(text);
    if (d && (mode === 'replace' || !r.description)) set('description', d);
    else if (d && mode === 'append' && r.description && !r.description.includes(d))
      set('description', `${r.description}; ${d}`.slice(0, 400));
    if (d) r.customerWords.push(text.slice(0, 2000));
  } else if (o.asking === 'description') {
    set('description', describe(text));
    r.customerWords.push(text.slice(0, 2000));
  }
  return out;
}

/** Every detail still missing and not declined, in asking order (a letter asks for them all at once). */
export function allMissing(r: ComplaintRecord): Field[] {
  const order: Field[] = ['product', 'occurredOn', 'orderNumber', 'resolution', 'name', 'contact'];
  return order.filter((f) => !r.declined.includes(f) && (f === 'contact' ? !r.email && !r.phone : r[f] === undefined));
}

/** The next detail still missing, in asking order; a field asked twice without an answer is not asked again. */
export function nextMissing(r: ComplaintRecord, askedCount: Record<string, number>): Field | undefined {
  const order: Field[] = ['description', 'product', 'occurredOn', 'orderNumber', 'resolution', 'name', 'contact'];
  return order.find((f) => {
    if (r.declined.includes(f) || (askedCount[f] ?? 0) >= 2) return false;
    if (f === 'contact') return !r.email && !r.phone;
    return r[f] === undefined;
  });
}

// What an answer to "which product or service?" is not: a wish ("compensation and an apology", "退8块钱"), a refusal or
// a "no …" ("none of your business", "no order number"), or a question back.
const NOT_A_THING_EN = /\b(?:no|none|not|nothing|never|n\/a)\b|[?？]/i;
const NOT_A_THING_ZH = /没有|不是|不要|不想|退|赔|[?？吗]/;

/** Whether a free answer to the product question can be taken as the product's name. */
function namesAThing(text: string): boolean {
  return (
    !extractResolution(text, true) &&
    !isMetaRemark(text) &&
    !(/\p{Script=Han}/u.test(text) ? NOT_A_THING_ZH : NOT_A_THING_EN).test(text)
  );
}
