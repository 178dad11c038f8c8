/**
 * Where a detail of the complaint record came from: the customer's sentence, the span of the value in it, and how
 * sure the reading is. Staff see it on the ticket (record.evidence), as they see a call's evidence; a reading below
 * {@link CONFIDENT} is one the customer is asked to confirm before it is relied on.
 */
import { z } from 'zod';

/** The evidence for one field. */
export const fieldEvidenceSchema = z.object({
  /** The sentence the value was read from (at most {@link QUOTE_CHARS} characters), in the customer's words. */
  quote: z.string(),
  /** The value's span in `quote` ([start, end) in UTF-16 units), or [-1, -1] when the value is a reading of it (a date, a resolution key). */
  span: z.tuple([z.number().int(), z.number().int()]),
  /** 0–1: how sure the reading is (a labelled order number 0.9, a noun phrase guessed by the tagger 0.65). */
  confidence: z.number().min(0).max(1),
  /** True once the customer confirmed a restatement that showed it. */
  confirmed: z.boolean().optional(),
});
/** The evidence for one field. */
export type FieldEvidence = z.infer<typeof fieldEvidenceSchema>;

/** At or above this a reading is used as it is; below it, the customer is shown it to confirm. */
export const CONFIDENT = 0.7;
const QUOTE_CHARS = 200;
const SENTENCE_END = '.!?。！？\n';

/** The evidence for `value` read from `text` with `confidence`: the sentence around it and its span there. */
export function evidenceFor(text: string, value: string, confidence: number): FieldEvidence {
  let at = text.toLowerCase().indexOf(value.toLowerCase());
  let length = value.length;
  if (at < 0) {
    // A phone number is stored as E.164 ("+14155550132"): look for its last national digits as written.
    const digits = value.replace(/\D/g, '');
    // Written with its trunk or country code or without: the longest tail of it that is there.
    for (const n of [digits.length, 10, 7])
      if (at < 0 && digits.length >= n && n >= 7) ({ at, length } = digitsIn(text, digits.slice(-n)));
  }
  if (at < 0) return { quote: sentenceAround(text, 0).quote, span: [-1, -1], confidence };
  const { quote, offset } = sentenceAround(text, at);
  const start = at - offset;
  return { quote, span: start + length <= quote.length ? [start, start + length] : [-1, -1], confidence };
}

/** Where the `digits` (separators between them allowed) begin in `text`, and how long they run there. */
function digitsIn(text: string, digits: string): { at: number; length: number } {
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== digits[0]) continue;
    let j = i;
    let k = 0;
    while (j < text.length && k < digits.length && j - i < 2 * digits.length) {
      if (text[j] === digits[k]) k++;
      else if (!' -().'.includes(text[j])) break;
      j++;
    }
    if (k === digits.length) return { at: i, length: j - i };
  }
  return { at: -1, length: 0 };
}

/** The sentence of `text` that holds position `at`, cut to {@link QUOTE_CHARS} around it. */
function sentenceAround(text: string, at: number): { quote: string; offset: number } {
  // A full stop ends a sentence only before a space or the end: "example.com" and "$20.00" do not.
  const endsAt = (i: number) =>
    SENTENCE_END.includes(text[i]) && (text[i] !== '.' || i + 1 >= text.length || /\s/.test(text[i + 1]));
  let start = at;
  while (start > 0 && !endsAt(start - 1) && at - start < QUOTE_CHARS / 2) start--;
  let end = at;
  while (end < text.length && !endsAt(end) && end - start < QUOTE_CHARS) end++;
  if (end < text.length && endsAt(end)) end++;
  const raw = text.slice(start, end);
  const lead = raw.length - raw.trimStart().length;
  return { quote: raw.trim(), offset: start + lead };
}
