/**
 * A call as every channel hands it over (Inbound.transcript: who said what, in order), and the dialog's reading of
 * it: the complaint record, the fields too uncertain to trust, and each field's evidence for staff.
 */
import type { CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import { extractFromCallSteps, LOW_CONFIDENCE, type CallFields } from './evidence.ts';
import { detectLanguage } from './language/detect.ts';
import { languageSchema, type Language } from './languages.ts';
import type { ComplaintRecord, Field } from './types.ts';

/** One line of a call: who spoke (as far as the channel could tell), the words, and when (seconds into the call). */
export const transcriptLineSchema = z.object({
  speaker: z.enum(['customer', 'agent', 'unknown']),
  text: z.string().max(1_000_000),
  at: z.number().nonnegative().optional(),
});

/** A call in a channel-neutral shape; the channel parses its own upload formats into it. */
export const callTranscriptSchema = z.object({
  lines: z.array(transcriptLineSchema).min(1).max(100_000),
  /** The call's language when the channel was told it; otherwise read from the customer's words. */
  language: languageSchema.optional(),
  /** What the contact centre's telephony knew of the caller (a phone number as E.164), not what was said. */
  caller: z.object({ phone: z.string().max(40).optional(), email: z.string().max(320).optional() }).default({}),
});
/** A call transcript. */
export type CallTranscript = z.infer<typeof callTranscriptSchema>;

/** What the dialog reads from a call. */
export interface CallReading {
  record: ComplaintRecord;
  /** Details too uncertain to trust, asked for again. */
  unsure: Field[];
  /** Every field with its value, confidence and the line it came from. */
  evidence: CallFields;
}

const REGIONS: Record<Language, CountryCode[]> = { en: ['US', 'GB'], 'zh-Hans': ['CN'], 'zh-Hant': ['TW', 'HK'] };

/** The language a call is read in: the one given, else the customer's words', else English. */
export function callLanguage(t: Pick<CallTranscript, 'lines' | 'language'>): Language {
  const words = t.lines
    .filter((l) => l.speaker !== 'agent')
    .map((l) => l.text)
    .join('\n');
  return t.language ?? detectLanguage(words) ?? 'en';
}

/**
 * Reads a call one line at a time (see extractFromCallSteps: a caller can hand the event loop back between slices of
 * an hour-long call). Only the customer's words count; the caller details the telephony gave are as good as a contact
 * point said in the call, and fill in what the call did not say.
 */
export function* readCallSteps(t: CallTranscript, now: Date): Generator<number, CallReading> {
  const lines = t.lines.map((l, i) => ({ n: i + 1, role: l.speaker, text: l.text }));
  const { fields: evidence, record } = yield* extractFromCallSteps(lines, { now, regions: REGIONS[callLanguage(t)] });
  if (t.caller.phone && !record.phone) record.phone = t.caller.phone;
  if (t.caller.email && !record.email) record.email = t.caller.email.toLowerCase();
  const unsure = (Object.entries(evidence) as Array<[keyof CallFields, NonNullable<CallFields[keyof CallFields]>]>)
    .filter(([, e]) => e.confidence < LOW_CONFIDENCE)
    .map(([k]) => (k === 'email' || k === 'phone' ? 'contact' : k) as Field)
    .filter((f) => f !== 'description');
  return { record, unsure, evidence };
}

/** {@link readCallSteps} at once (the command line's dry run, tests). */
export function readCall(t: CallTranscript, now: Date): CallReading {
  const steps = readCallSteps(t, now);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}
