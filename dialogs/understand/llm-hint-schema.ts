/** The schema of what the dialog accepts from an LLM: its answer reduced to what the customer's text supports. */
import { z } from 'zod';
import { RESOLUTIONS } from '../extract.ts';
import { languageSchema } from '../languages.ts';
import { isCalendarDate, LLM_FIELDS, MAX_RESTATEMENT_CHARS } from './llm-answer-schema.ts';

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
