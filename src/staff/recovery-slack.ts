/** The Slack console's recovery action (channels/slack/recovery.ts RecoveryActions) on the database. */
import type { FollowupQueue } from '../core/schedule-followups.ts';
import type { Db } from '../store/db.ts';
import { markSeen } from '../store/slack.ts';
import type { RecoveryInput } from './recovery-input.ts';
import { recordRecoveryIn } from './recovery.ts';

/** Records recovery contacts made by Slack users; the `queue` wakes the released second follow-up on time. */
export function recoverySlackStore(db: Db, o: { clock: () => Date; queue?: FollowupQueue }) {
  return {
    /** Records the contact of ticket `reference`'s recovery task as `user`, once per Slack delivery `key`. */
    async recordRecovery(reference: string, user: string, input: RecoveryInput, key?: string): Promise<void> {
      await db.transaction(async (tx) => {
        if (key && !(await markSeen(tx, key))) return;
        await recordRecoveryIn(tx, { reference, input, actor: `slack:${user}`, now: o.clock(), queue: o.queue });
      });
    },
  };
}
