/** What staff give when they resolve a ticket (staff API body, Slack Resolve modal): pure zod, so channels can use it. */
import { z } from 'zod';

/** Longest message to the customer a resolution may carry (the staff API's limit; Slack's input allows 3,000). */
export const RESOLUTION_MESSAGE_MAX = 5000;

// Amounts are money: non-negative, finite, and no more than four decimals (enough for any ISO 4217 minor unit).
const money = z
  .number()
  .min(0, 'must not be negative')
  .max(1e12, 'is too large')
  .refine((n) => Math.round(n * 10_000) === n * 10_000, 'has more than four decimals');

/** A resolution: the remedy and root cause (ids from routing.yaml), what it came to, and the message to the customer. */
export const resolutionInputSchema = z
  .object({
    remedy: z.string().min(1).max(100),
    /** What the customer got (a refund's or compensation's sum), in `currency`. */
    amount: money.optional(),
    /** ISO 4217 code, e.g. EUR; required with an amount or a cost. */
    currency: z
      .string()
      .regex(/^[A-Za-z]{3}$/, 'must be a three-letter ISO 4217 code such as EUR')
      .transform((c) => c.toUpperCase())
      .optional(),
    /** What the remedy cost the company, in `currency`. */
    cost: money.optional(),
    cause: z.string().min(1).max(100),
    /** Sent to the customer at once, on their channel, in their language's frame. */
    message: z.string().trim().min(1, 'write the message to the customer').max(RESOLUTION_MESSAGE_MAX),
  })
  .refine((r) => r.currency || (r.amount === undefined && r.cost === undefined), {
    message: 'give the currency of the amount and cost',
    path: ['currency'],
  });
/** A resolution as staff give it. */
export type ResolutionInput = z.infer<typeof resolutionInputSchema>;
