/**
 * Resolving a ticket (issue #16): the remedy and root cause are checked against routing.yaml and recorded, and the
 * customer is told at once on their own channel, in their language, in the transaction of the status change.
 */
import type { RoutingConfig } from '../../dialogs/routing-config.ts';
import { RedressError } from '../core/errors.ts';
import type { Deliver } from '../core/ports.ts';
import type { Queryable } from '../store/db.ts';
import { sendOutsideTurn } from '../core/reach.ts';
import { insertResolution } from '../store/resolutions.ts';
import { lockReplyConversation } from '../store/slack.ts';
import type { TicketRow } from '../store/tickets.ts';
import type { ResolutionInput } from './resolution-input.ts';
import { resolutionText } from './resolution-text.ts';

/** What resolving needs besides the ticket: the lists to check against and the push side of the customer's channel. */
export interface ResolveContext {
  routing: RoutingConfig;
  /** The channels that push; without it (or for a pull channel such as web chat) the message waits for the next poll. */
  deliver?: Deliver;
}

/** The remedy and cause of `r` as configured, or BAD_REQUEST naming the ids routing.yaml knows. */
export function checkResolution(routing: RoutingConfig, r: ResolutionInput) {
  const remedy = routing.remedies.find((x) => x.id === r.remedy);
  if (!remedy)
    throw new RedressError(
      'BAD_REQUEST',
      `unknown remedy "${r.remedy}"; known: ${routing.remedies.map((x) => x.id).join(', ')}`,
    );
  const cause = routing.root_causes.find((x) => x.id === r.cause);
  if (!cause)
    throw new RedressError(
      'BAD_REQUEST',
      `unknown root cause "${r.cause}"; known: ${routing.root_causes.map((x) => x.id).join(', ')}`,
    );
  return { remedy, cause };
}

/** Locks the conversation a resolution message goes to; taken before the ticket, in the order a customer's turn takes. */
export function lockForResolution(tx: Queryable, t: TicketRow) {
  return lockReplyConversation(tx, t.conversation_id);
}

/**
 * Records the resolution of ticket `t` by `actor` and sends the customer its message (a plain notice when `r` is
 * absent). Returns what the status_resolved event records: ids and figures, the message's id and text.
 */
export async function recordResolution(
  tx: Queryable,
  ctx: ResolveContext,
  o: { ticket: TicketRow; resolution?: ResolutionInput; actor: string; now: Date },
): Promise<Record<string, unknown>> {
  const { ticket: t, resolution: r } = o;
  const checked = r ? checkResolution(ctx.routing, r) : undefined;
  const conv = await lockForResolution(tx, t);
  const text = resolutionText(t.language, t.reference, r?.message);
  // An erased customer has no contact point left to reach, and must not get one back: the resolution is still kept.
  const out = conv.erased_at
    ? undefined
    : (await sendOutsideTurn(tx, { deliver: ctx.deliver, now: o.now }, conv, t, [text], { purpose: 'resolution' }))
        .replies[0];
  const figures = r
    ? {
        remedy: r.remedy,
        amount: r.amount ?? null,
        currency: r.currency ?? null,
        cost: r.cost ?? null,
        cause: r.cause,
        fault: checked!.cause.fault,
      }
    : {};
  if (r)
    await insertResolution(tx, {
      ticketId: t.id,
      remedy: r.remedy,
      amount: r.amount,
      currency: r.currency,
      cost: r.cost,
      cause: r.cause,
      fault: checked!.cause.fault,
      messageId: out?.id ?? null,
      resolvedBy: o.actor,
      at: o.now,
    });
  return { ...figures, message: out?.id ?? null, text: out ? text : null };
}
