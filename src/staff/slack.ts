/** The Slack console's port implemented: its storage (src/store/slack.ts) and the staff actions taken from Slack. */
import type { RoutingConfig } from '../../dialogs/routing-config.ts';
import type { Deliver } from '../core/ports.ts';
import type { Db, Queryable } from '../store/db.ts';
import { sendOutsideTurn } from '../core/reach.ts';
import { lockReplyConversation, markSeen, slackThreads, ticketByMessage } from '../store/slack.ts';
import { addEvent, ticketByReference, updateTicket, type TicketRow } from '../store/tickets.ts';
import { changeStatusIn, reassignIn } from './tickets.ts';
import type { ResolutionInput } from './resolution-input.ts';
import { RedressError } from '../core/errors.ts';
import type { Severity } from '../domain/severity.ts';
import { canBecome, type TicketStatus } from '../domain/ticket-status.ts';

// Claiming a ticket puts it in progress when its status allows that (open, reopened); otherwise only the claim is kept.
const IN_PROGRESS: TicketStatus = 'in_progress';

/** What the staff actions need besides the database. */
export interface SlackStaffOptions {
  routing: RoutingConfig;
  deliver: Deliver;
  /** Called after a staff reply is recorded, so the outbox sends it at once. */
  onOutbound: () => void;
  satisfactionDays: number;
  clock: () => Date;
}

/** The Slack console's port onto storage and staff actions (channels/slack/port.ts declares it). */
export function slackStore(db: Db, o: SlackStaffOptions) {
  /** Runs `fn` in one transaction with Slack delivery `key` marked seen in it: a retried delivery does nothing. */
  const once = async <T>(key: string | undefined, fn: (tx: Queryable) => Promise<T>): Promise<T | undefined> =>
    db.transaction(async (tx) => (key && !(await markSeen(tx, key)) ? undefined : fn(tx)));
  /** The ticket `reference`, locked for the action, or NOT_FOUND. */
  const locked = async (tx: Queryable, reference: string): Promise<TicketRow> => {
    const t = await ticketByReference(tx, reference, true);
    if (!t) throw new RedressError('NOT_FOUND', `no ticket ${reference}`);
    return t;
  };
  // The ticket is not locked: a reply changes no ticket column, and locking it before the conversation would invert
  // the order a customer's turn takes (conversation, then ticket) and let the two deadlock.
  const replyTo = async (tx: Queryable, t: TicketRow, user: string, text: string, via: string) => {
    const conv = await lockReplyConversation(tx, t.conversation_id);
    // An erased customer has no contact point left to reach, and must not get one back.
    if (conv.erased_at)
      throw new RedressError('CONFLICT', "the customer's data was erased; there is no one to send this to");
    const now = o.clock();
    const [out] = (await sendOutsideTurn(tx, { deliver: o.deliver, now }, conv, t, [text], { purpose: 'staff_reply' }))
      .replies;
    await addEvent(tx, t.id, 'staff_reply', `slack:${user}`, { text, message: out.id, via });
    return true;
  };
  /** Tells the outbox when a reply was recorded; true when it was (false: no such thread, or a retried delivery). */
  const sent = (done: boolean | undefined): boolean => {
    if (done) o.onOutbound();
    return done === true;
  };
  return {
    ...slackThreads(db),
    /** Claims a ticket for `user` (once per Slack delivery `key`). */
    async claim(reference: string, user: string, key?: string): Promise<void> {
      await once(key, async (tx) => {
        const t = await locked(tx, reference);
        await updateTicket(tx, t.id, {
          claimed_by: user,
          status: canBecome(t.status, IN_PROGRESS) ? IN_PROGRESS : t.status,
        });
        await addEvent(tx, t.id, 'claimed', `slack:${user}`, {});
      });
    },
    /** Resolves a ticket as `user` with the Resolve modal's resolution; its message goes to the customer at once. */
    async resolve(reference: string, user: string, resolution: ResolutionInput, key?: string): Promise<void> {
      const done = await once(key, (tx) =>
        changeStatusIn(tx, {
          reference,
          change: { status: 'resolved', resolution },
          actor: `slack:${user}`,
          now: o.clock(),
          satisfactionDays: o.satisfactionDays,
          routing: o.routing,
          deliver: o.deliver,
        }),
      );
      if (done) o.onOutbound();
    },
    /** Moves a ticket to another department as `user`. */
    async reassign(reference: string, department: string, user: string, key?: string): Promise<void> {
      await once(key, (tx) => reassignIn(tx, o.routing, { reference, change: { department }, actor: `slack:${user}` }));
    },
    /** Changes a ticket's severity (and so its SLA) as `user`. */
    async severity(reference: string, severity: Severity, user: string, key?: string): Promise<void> {
      await once(key, async (tx) => {
        const t = await locked(tx, reference);
        const due = new Date(new Date(t.created_at).getTime() + o.routing.sla_hours[severity] * 3_600_000);
        await updateTicket(tx, t.id, { severity, sla_due_at: due });
        await addEvent(tx, t.id, 'severity_changed', `slack:${user}`, { from: t.severity, to: severity });
      });
    },
    /** A staff member's reply in the ticket's thread, delivered to the customer on their own channel. */
    async staffReply(channel: string, threadTs: string, user: string, text: string, key?: string): Promise<boolean> {
      return sent(
        await once(key, async (tx) => {
          const t = await ticketByMessage(tx, channel, threadTs);
          return t ? replyTo(tx, t, user, text, 'thread') : false;
        }),
      );
    },
    /** A reply written in the Reply to customer modal, delivered the same way. */
    async staffReplyTo(reference: string, user: string, text: string, key?: string): Promise<boolean> {
      return sent(
        await once(key, async (tx) => {
          const t = await ticketByReference(tx, reference, false);
          if (!t) throw new RedressError('NOT_FOUND', `no ticket ${reference}`);
          return replyTo(tx, t, user, text, 'modal');
        }),
      );
    },
  };
}
