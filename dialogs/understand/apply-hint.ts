/**
 * What the dialog takes from the optional LLM's hint (LLM_URL): the details the built-in understanding left empty, and
 * the LLM's restatement when it is in the turn's language. Pure. The hint has already been reduced to what the
 * customer's text supports (see supportedOnly); what the customer's own words gave is never overwritten.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { simplifiedOf } from './simplified.ts';
import type { ComplaintRecord, Field, Language } from '../types.ts';
import type { LlmHint } from './llm-understanding.ts';

/** The record fields a hint may fill. */
export const HINT_FIELDS = ['product', 'occurredOn', 'orderNumber', 'resolution', 'name', 'email', 'phone'] as const;
/** One of {@link HINT_FIELDS}. */
export type HintField = (typeof HINT_FIELDS)[number];

/** Options for {@link applyHint}. */
export interface ApplyHintOptions {
  /** Regions to read a phone number without a country code in (the dialog's, most likely first). Without them only a number with a country code is taken. */
  regions?: readonly CountryCode[];
  /** The turn's time: a date after it (by more than a day, as the built-in reading allows) is not taken. */
  now?: Date;
}

/**
 * `record` with the hint's values in the fields it left empty: product, occurredOn, orderNumber, resolution, name,
 * email, phone. A field that has a value, or that the customer declined (email and phone: 'contact'), is kept as it
 * is. A phone number is stored as the built-in reading stores it (E.164) and only when it is a valid number.
 * Returns `record` itself when nothing is added.
 */
export function applyHint(
  record: ComplaintRecord,
  hint: LlmHint | undefined,
  options: ApplyHintOptions = {},
): ComplaintRecord {
  if (!hint) return record;
  const declined = (f: HintField) =>
    record.declined.includes(f as Field) || ((f === 'email' || f === 'phone') && record.declined.includes('contact'));
  const values: Record<HintField, string | undefined> = {
    product: hint.product,
    occurredOn:
      hint.occurredOn &&
      (!options.now || Date.parse(`${hint.occurredOn}T00:00:00Z`) <= options.now.getTime() + 86_400_000)
        ? hint.occurredOn
        : undefined,
    orderNumber: hint.orderNumber,
    resolution: hint.resolution,
    name: hint.name,
    email: hint.email,
    phone: hint.phone && e164(hint.phone, options.regions ?? []),
  };
  let out: ComplaintRecord | undefined;
  for (const f of HINT_FIELDS) {
    const v = values[f]?.trim();
    if (!v || record[f] !== undefined || declined(f)) continue;
    out ??= { ...record, customerWords: [...record.customerWords], declined: [...record.declined] };
    out[f] = v;
  }
  return out ?? record;
}

/** The number in E.164 when it is valid as written (with a country code) or in one of `regions`. */
function e164(phone: string, regions: readonly CountryCode[]): string | undefined {
  for (const region of [undefined, ...regions]) {
    const p = parsePhoneNumberFromString(phone, region);
    if (p?.isValid()) return p.number;
  }
  return undefined;
}

const HAN = /\p{Script=Han}/u;
const LATIN = /\p{Script=Latin}/u;

/**
 * The LLM's restatement for a turn in `language`, or undefined: when there is no hint or no restatement, or it is not
 * in that language (English: Latin letters and no Chinese characters; Chinese: Chinese characters). A Chinese one is
 * given in Simplified script, as the dialog's Chinese sentences are: render() makes it Traditional for zh-Hant.
 */
export function hintRestatement(hint: LlmHint | undefined, language: Language): string | undefined {
  const r = hint?.restatement?.trim();
  if (!r) return undefined;
  if (language === 'en') return LATIN.test(r) && !HAN.test(r) ? r : undefined;
  return HAN.test(r) ? simplifiedOf(r) : undefined;
}
