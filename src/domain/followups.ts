/** Follow-ups: their kinds and audiences (dialogs/ owns those schemas: it may not import src/) and their states. */
import { z } from 'zod';

/** Follow-up kinds (the CHECK constraint on followups.kind) and audiences, customer or staff (followups.audience). */
export {
  followupAudienceSchema,
  followupKindSchema,
  type FollowupAudience,
  type FollowupKind,
} from '../../dialogs/types.ts';

/** Where a follow-up stands: scheduled, then sent or cancelled (the CHECK constraint on followups.state). */
export const followupStateSchema = z.enum(['scheduled', 'sent', 'cancelled']);
/** A follow-up state. */
export type FollowupState = z.infer<typeof followupStateSchema>;
