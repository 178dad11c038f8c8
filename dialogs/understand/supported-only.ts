/** {@link supportedOnly}: an LLM's answer without the fields the customer's own text does not back. */
import { LLM_FIELDS, type LlmAnswer, type LlmField } from './llm-answer-schema.ts';
import type { LlmHint } from './llm-hint-schema.ts';
import { HAN, LATIN, prepare } from './prepared-text.ts';
import { datesIn, emailIn, nameIn, orderNumberIn, phoneIn, tidyName } from './detail-checks.ts';
import { asksForSomething, isCopy, nothingInvented, sharesWord } from './wording-checks.ts';

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
