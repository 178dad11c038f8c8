/** A customer's question about a ticket by its reference, from any channel, and what the engine found for it. */
import { z } from 'zod';

/** What the engine found for a reference and contact point: the ticket's status, or nothing (no match, no leak). */
export const lookupResultSchema = z.object({
  reference: z.string(),
  ticket: z
    .object({
      status: z.enum(['open', 'in_progress', 'resolved', 'reopened', 'closed', 'withdrawn']),
      department: z.string(),
      dueAt: z.string(),
      resolvedAt: z.string().nullable(),
    })
    .optional(),
});
/** A lookup result as the dialog reads it. */
export type LookupResult = z.infer<typeof lookupResultSchema>;

/** What a turn asks the engine to look up: a reference with the contact point the customer gave for it. */
export const lookupRequestSchema = z.object({
  reference: z.string(),
  email: z.string().optional(),
  phone: z.string().optional(),
});
/** A lookup request. */
export type LookupRequest = z.infer<typeof lookupRequestSchema>;

/** A ticket reference within a message (CMP-000123, any case; src/domain/reference.ts makes them). */
export function referenceIn(text: string): string | undefined {
  return /\bCMP-\d{6,12}\b/i.exec(text)?.[0].toUpperCase();
}

// Words that make a message about a reference a question about that ticket rather than a new complaint.
const STATUS_WORDS =
  /\b(?:status|progress|update|news|any word|what(?:'s| is) happening|where are (?:we|you)|check(?:ing)? on)\b|进度|进展|状态|怎么样了|处理了吗|结果|查询|查一下|進度|進展|狀態|處理/i;

/**
 * True when a message naming a reference is asking about it: short (the reference and a contact point, a few words)
 * or worded as a status question. A long complaint that cites an earlier reference is a complaint.
 */
export function asksAboutTicket(text: string): boolean {
  if (STATUS_WORDS.test(text)) return true;
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  return words.length <= 14 && text.length <= 160;
}
