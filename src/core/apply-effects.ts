/** Applies a dialog turn's effects to the database, in order, inside the turn's transaction. */
import type { DialogState, Effect } from '../../dialogs/types.ts';
import { RedressError } from './errors.ts';
import { statusEventKind } from '../domain/ticket-status.ts';
import type { Queryable } from '../store/db.ts';
import type { ConversationRow } from '../store/conversations.ts';
import { cancelFollowups, type NewFollowup } from '../store/followups.ts';
import {
  addEvent,
  insertTicket,
  saveCustomerDetails,
  ticketByReference,
  updateTicket,
  type TicketRow,
} from '../store/tickets.ts';
import { saveSatisfactionAnswers } from '../store/satisfaction-answers.ts';
import { saveVerifiedContacts, type VerifiedContacts } from '../store/verified-contacts.ts';
import { scheduleFollowups, type FollowupQueue } from './schedule-followups.ts';
import type { RoutingConfig } from '../../dialogs/routing-config.ts';
import { openRecoveryTask, renewSla } from '../staff/recovery.ts';

/** Applies a turn's effects in order; returns the conversation's current ticket, if any. */
export async function applyEffects(
  tx: Queryable,
  queue: FollowupQueue | undefined,
  conv: ConversationRow,
  effects: Effect[],
  state: DialogState,
  verified: VerifiedContacts,
  /** The routing configuration and the turn's time: a low score's recovery task and a reopened ticket's new SLA. */
  ctx?: { routing: RoutingConfig; now: Date },
): Promise<TicketRow | undefined> {
  const prevRef = (conv.state as DialogState | null)?.ticketReference;
  let ticket = prevRef ? await ticketByReference(tx, prevRef, true) : undefined;
  const need = () => {
    if (!ticket) throw new RedressError('INTERNAL', 'dialog produced a ticket effect without a ticket');
    return ticket;
  };
  // Consecutive schedule_followup effects (and the SLA breach a new ticket gets) are written together; anything else
  // writes them first, so effects still apply in order (a cancel_followups sees the ones scheduled before it).
  let pending: NewFollowup[] = [];
  const schedulePending = async () => {
    await scheduleFollowups(tx, queue, pending);
    pending = [];
  };
  for (const e of effects) {
    if (e.type !== 'schedule_followup') await schedulePending();
    switch (e.type) {
      case 'open_ticket': {
        await saveVerifiedContacts(tx, conv.customer_id, verified);
        ticket = await insertTicket(tx, {
          reference: e.reference,
          conversationId: conv.id,
          customerId: conv.customer_id,
          channel: conv.channel,
          language: state.language ?? 'en',
          routing: e.routing,
          record: e.record,
          restatement: e.restatement,
          handoff: e.handoff,
          slaDueAt: new Date(e.dueAt),
        });
        await saveCustomerDetails(tx, conv.customer_id, e.record);
        await addEvent(tx, ticket.id, 'opened', 'bot', { routing: e.routing, handoff: e.handoff });
        // The breach is the ticket's own deadline, the reply time the customer was promised: staff hear of it.
        pending.push({
          ticketId: ticket.id,
          conversationId: conv.id,
          kind: 'sla_breach',
          audience: 'staff',
          dueAt: new Date(ticket.sla_due_at),
        });
        break;
      }
      case 'update_record':
        await updateTicket(tx, need().id, { record: e.record });
        await saveCustomerDetails(tx, conv.customer_id, e.record);
        await addEvent(tx, need().id, 'record_updated', 'customer', { changed: e.changed });
        break;
      case 'ticket_event':
        await addEvent(tx, need().id, e.kind, 'customer', e.data);
        break;
      case 'handoff':
        await updateTicket(tx, need().id, { handoff: true });
        await addEvent(tx, need().id, 'handoff', 'customer', { reason: e.reason });
        break;
      case 'set_status':
        await updateTicket(tx, need().id, {
          status: e.status,
          ...(e.status === 'reopened' ? { resolved_at: null } : {}),
        });
        await addEvent(tx, need().id, statusEventKind(e.status), 'customer', { reason: e.reason });
        // A reopened ticket is answered again within its severity's SLA, counted from now (issue #16).
        if (e.status === 'reopened' && ctx) await renewSla(tx, queue, { ticket: need(), ...ctx, actor: 'bot' });
        break;
      case 'record_satisfaction':
        await updateTicket(tx, need().id, { satisfaction: e.score });
        await addEvent(tx, need().id, 'satisfaction', 'customer', { score: e.score, comment: e.comment });
        await saveSatisfactionAnswers(tx, need().id, e.round, e.answers);
        // A low score owes the customer a personal contact: a recovery task with its owner and deadline (issue #16).
        if (ctx && (e.low ?? e.score <= 2))
          await openRecoveryTask(tx, queue, { ticket: need(), ...ctx, score: e.score });
        break;
      case 'record_survey_answers':
        await saveSatisfactionAnswers(tx, need().id, e.round, e.answers);
        break;
      case 'schedule_followup':
        pending.push({
          ticketId: need().id,
          conversationId: conv.id,
          kind: e.kind,
          audience: e.audience,
          dueAt: new Date(e.dueAt),
        });
        break;
      case 'cancel_followups':
        await cancelFollowups(tx, need().id, e.kinds);
        break;
      case 'no_complaint':
        break;
    }
  }
  await schedulePending();
  return ticket;
}
