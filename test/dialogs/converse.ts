/** Runs a whole conversation through the pure dialog engine (no store): the dialog tests' shared driver. */
import { runDialog, type DialogContext } from '../../dialogs/dialog.ts';
import type { DialogState } from '../../dialogs/types.ts';

/** Runs `messages` in order at `ctx.now` and returns every reply per turn and the final state (as stored: JSON). */
export function converse(ctx: DialogContext, messages: string[]): { replies: string[][]; state: DialogState } {
  let state: unknown;
  const replies: string[][] = [];
  for (const text of messages) {
    const out = runDialog(state, { text, receivedAt: ctx.now.toISOString() }, ctx);
    replies.push(out.replies);
    state = JSON.parse(JSON.stringify(out.state));
  }
  return { replies, state: state as DialogState };
}
