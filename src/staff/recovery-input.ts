/** What staff record of a recovery contact (staff API body, Slack modal): pure zod, so channels can use it. */
import { z } from 'zod';

/** How the personal contact with an unhappy customer ended. */
export const recoveryOutcomeSchema = z.enum(['recovered', 'not_recovered', 'unreachable']);
/** A recovery outcome. */
export type RecoveryOutcome = z.infer<typeof recoveryOutcomeSchema>;

/** Longest note a recorded contact may carry (Slack's input allows 3,000). */
export const RECOVERY_NOTE_MAX = 5000;

/** The contact staff made: its outcome and an internal note (the customer never sees it). */
export const recoveryInputSchema = z.object({
  outcome: recoveryOutcomeSchema,
  note: z.string().trim().max(RECOVERY_NOTE_MAX).optional(),
});
/** A recorded contact as staff give it. */
export type RecoveryInput = z.infer<typeof recoveryInputSchema>;
