/** The schema of the JSON an LLM returns for one customer message, and the limits on its restatement. */
import { z } from 'zod';
import { RESOLUTIONS } from '../extract.ts';
import { languageSchema } from '../languages.ts';
import { splitSentences } from './sentences.ts';

/** Fields an LLM may fill; `isComplaint` is always kept. */
export const LLM_FIELDS = [
  'restatement',
  'product',
  'whatWentWrong',
  'impact',
  'occurredOn',
  'orderNumber',
  'resolution',
  'name',
  'email',
  'phone',
  'category',
  'language',
] as const;
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
export function isCalendarDate(s: string): boolean {
  if (!ISO_DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

// LLMs write "no value" as null, "" or leave the key out: all three mean absent.
const blank = (v: unknown) =>
  v === null ? undefined : typeof v === 'string' ? (v.trim() === '' ? undefined : v.trim()) : v;
const lower = (v: unknown) => {
  const b = blank(v);
  return typeof b === 'string' ? b.toLowerCase() : b;
};
const text = (max: number) => z.preprocess(blank, z.string().max(max).optional());
const LANGUAGES: Record<string, z.infer<typeof languageSchema>> = {
  en: 'en',
  'zh-hans': 'zh-Hans',
  'zh-hant': 'zh-Hant',
};

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
        .refine(
          (s) => countSentences(s) <= MAX_RESTATEMENT_SENTENCES,
          `must be at most ${MAX_RESTATEMENT_SENTENCES} sentences`,
        )
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
    category: z.preprocess(
      lower,
      z
        .string()
        .refine((c) => allowed.has(c), 'must be one of the configured categories')
        .optional(),
    ),
    language: z.preprocess((v) => {
      const l = lower(v);
      return typeof l === 'string' ? (LANGUAGES[l] ?? l) : l;
    }, languageSchema.optional()),
  });
}

/** What an LLM returned, validated. */
export type LlmAnswer = z.infer<ReturnType<typeof llmAnswerSchema>>;
