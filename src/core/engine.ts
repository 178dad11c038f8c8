/** Runs one inbound message in one transaction: record it once, lock the conversation, run the dialog, apply its effects. */
import type { Metrics } from './metrics.ts';
import { withoutNul } from '../store/nul.ts';
import { packFor } from '../../dialogs/language/index.ts';
import { runDialog, type DialogContext } from '../../dialogs/dialog.ts';
import { timeBudget } from '../../dialogs/understand/budget.ts';
import { warmUp } from '../../dialogs/understand/warm-up.ts';
import { maskSensitive } from '../../dialogs/mask.ts';
import { detectLanguage } from '../../dialogs/language/detect.ts';
import { boundText } from '../../dialogs/understand/bounded-text.ts';
import type { LlmHint } from '../../dialogs/understand/llm-understanding.ts';
import type { LlmUnderstander } from '../llm/llm-understander.ts';
import {
  REFERENCE_PLACEHOLDER,
  type DialogState,
  type Effect,
  type Language,
  type RoutingDecision,
} from '../../dialogs/types.ts';
import type { Router } from '../../dialogs/router.ts';
import type { Config } from './config.ts';
import { RedressError } from './errors.ts';
import { statusEventKind } from '../domain/ticket-status.ts';
import { inboundSchema, type Deliver, type Inbound, type Outbound } from './ports.ts';
import { cutChars, cutInbound } from './inbound-cut.ts';
import { setCheckpoint } from '../store/checkpoints.ts';
import { insertAttachment } from '../store/attachments.ts';
import type { Db, Queryable } from '../store/db.ts';
import { lockConversation, saveState, updateAddress, type ConversationRow } from '../store/conversations.ts';
import { recordInbound, recordOutbound, repliesTo } from '../store/messages.ts';
import {
  addEvent,
  insertTicket,
  saveCustomerDetails,
  ticketByReference,
  updateTicket,
  type TicketRow,
} from '../store/tickets.ts';
import { cancelFollowups, type NewFollowup } from '../store/followups.ts';
import { scheduleFollowups, type FollowupQueue } from './schedule-followups.ts';
import { earlierTickets, saveVerifiedContacts, type VerifiedContacts } from '../store/verified-contacts.ts';

/** What a turn returns to the channel. */
export interface TurnResult {
  /** True when this channel message was handled before; `replies` are the ones recorded then. */
  duplicate: boolean;
  conversationId: number;
  /** Id of the stored inbound message (the first one, for a redelivery). */
  inboundId: number;
  replies: Outbound[];
  ticketReference?: string;
}

/** Everything the engine needs, built once by the composition root. */
export interface EngineDeps {
  db: Db;
  router: Router;
  config: Pick<
    Config,
    | 'DEFAULT_LANGUAGE'
    | 'DEFAULT_PHONE_REGION'
    | 'MAX_MESSAGE_CHARS'
    | 'UNDERSTANDING_BUDGET_MS'
    | 'ACKNOWLEDGEMENT_DELAY_MINUTES'
    | 'SLA_REMINDER_FRACTION'
    | 'SECOND_FOLLOWUP_DAYS'
  >;
  clock?: () => Date;
  queue?: FollowupQueue;
  /** Push channels (email): their replies wait in the outbox. */
  deliver?: Deliver;
  /** Called after a turn committed replies for a push channel (wakes the outbox). */
  onOutbound?: () => void;
  /** Turn counts and durations for /metrics. */
  metrics?: Pick<Metrics, 'observeTurn'>;
  /** The optional LLM understanding (LLM_URL); absent: the built-in understanding alone, as without it. */
  llm?: Pick<LlmUnderstander, 'understand'>;
}

/** The turn engine shared by every channel. */
export class Engine {
  readonly clock: () => Date;
  constructor(private readonly deps: EngineDeps) {
    this.clock = deps.clock ?? (() => new Date());
  }

  /** Builds the parsers' tables once, so that neither the first customer nor the understanding budget pays for it. */
  warmUp(): void {
    warmUp(this.dialogContext(this.clock()));
  }

  /** The dialog context for a turn at `now`. */
  dialogContext(now: Date): DialogContext {
    const c = this.deps.config;
    return {
      now,
      router: this.deps.router,
      defaultLanguage: c.DEFAULT_LANGUAGE,
      phoneRegion: c.DEFAULT_PHONE_REGION as DialogContext['phoneRegion'],
      maxChars: c.MAX_MESSAGE_CHARS,
      ackDelayMinutes: c.ACKNOWLEDGEMENT_DELAY_MINUTES,
      slaReminderFraction: c.SLA_REMINDER_FRACTION,
      secondFollowupDays: c.SECOND_FOLLOWUP_DAYS,
    };
  }

  /** Handles one inbound message exactly once; a redelivery returns the replies recorded the first time. */
  async handle(input: Inbound): Promise<TurnResult> {
    const started = performance.now();
    // Stored and read is at most what the dialog reads: the text is cut here, once for every channel, before validation,
    // masking or any pattern sees it; its original length is kept as a number.
    const max = this.deps.config.MAX_MESSAGE_CHARS;
    const long = cutInbound(input, max);
    const parsed = inboundSchema.safeParse(long.inbound);
    if (!parsed.success)
      throw new RedressError(
        'BAD_REQUEST',
        `invalid inbound message: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        { cause: parsed.error },
      );
    // Card and ID numbers never reach storage, the dialog, Slack or a reply: they are masked on the way in.
    // A NUL (a hostile Message-ID, a broken charset) would make PostgreSQL refuse the whole turn, again on every retry.
    const data = withoutNul(parsed.data);
    const { text: maskedText, masked } = maskSensitive(data.text);
    const m = { ...data, text: cutChars(maskedText, max) };
    // The LLM is asked before the transaction: its call may take LLM_TIMEOUT_MS, and no transaction or conversation
    // lock is held across it. It sees only the masked, cut text.
    const hint = this.deps.llm ? await this.llmHint(this.deps.llm, m) : undefined;
    const result = await this.deps.db.transaction(async (tx): Promise<TurnResult> => {
      const conv = await lockConversation(tx, m.channel, m.conversationKey, m.address);
      const payload = {
        ...m.payload,
        sender: m.sender,
        attachments: m.attachments.map(({ content: _c, ...a }) => a),
        ...(Object.keys(masked).length ? { masked } : {}),
      };
      const inboundId = await recordInbound(tx, {
        conversationId: conv.id,
        channel: m.channel,
        messageKey: m.messageKey,
        text: m.text,
        originalChars: long.originalChars,
        payload,
        externalId: m.externalId,
      });
      if (m.checkpoint) await setCheckpoint(tx, m.checkpoint.stream, m.checkpoint.position);
      if (inboundId !== undefined) await updateAddress(tx, conv, m.address);
      if (inboundId === undefined) {
        const first = await tx.query<{ id: number }>(
          'SELECT id FROM messages WHERE channel = $1 AND message_key = $2',
          [m.channel, m.messageKey],
        );
        const ref = (conv.state as DialogState | null)?.ticketReference;
        return {
          duplicate: true,
          conversationId: conv.id,
          inboundId: first.rows[0].id,
          replies: await repliesTo(tx, m.channel, m.messageKey),
          ticketReference: ref,
        };
      }
      const now = this.clock();
      for (const a of m.attachments) {
        await insertAttachment(tx, {
          messageId: inboundId,
          name: a.name,
          contentType: a.contentType,
          size: a.size ?? a.content?.length ?? 0,
          content: a.content,
          refused: a.refused,
        });
      }
      // The first turn of a process builds the parsers' tables: done before the understanding budget starts.
      const ctx = this.dialogContext(now);
      warmUp(ctx);
      const out = runDialog(
        conv.state,
        {
          text: m.text,
          cut: long.cut,
          receivedAt: m.receivedAt ?? now.toISOString(),
          attachments: m.attachments.length,
          style: m.style,
          record: m.record,
          unsure: m.unsure,
          knownEmail: m.channel === 'email' ? m.sender.id : undefined,
          refusedAttachments: m.attachments.filter((a) => a.refused).map((a) => ({ name: a.name, size: a.size ?? 0 })),
          ...(hint ? { hint } : {}),
        },
        // The budget starts here, after the warm-up: it is the customer's message that it measures.
        { ...ctx, budget: timeBudget(this.deps.config.UNDERSTANDING_BUDGET_MS) },
      );
      let reference = out.state.ticketReference;
      const ticket = await this.applyEffects(tx, conv, out.effects, out.state, now, m.verified);
      const opened = ticket && reference === REFERENCE_PLACEHOLDER;
      if (opened) reference = ticket.reference;
      if (ticket && m.attachments.length)
        await addEvent(tx, ticket.id, 'attachments', 'customer', {
          attachments: m.attachments.map(({ content: _c, ...a }) => a),
        });
      if (ticket && Object.keys(masked).length)
        await addEvent(tx, ticket.id, 'masked', 'bot', { message: inboundId, masked });
      const state: DialogState = { ...out.state, ticketReference: reference };
      // The dialog promised a time from its own routing; the engine may since have raised the severity (a repeat
      // customer), so the customer is promised the ticket's real SLA.
      const due = opened ? new Date(ticket.sla_due_at).toISOString() : undefined;
      const pack = packFor(out.state.language ?? this.deps.config.DEFAULT_LANGUAGE);
      const promise =
        due && out.state.ticketDueAt && due !== new Date(out.state.ticketDueAt).toISOString()
          ? { was: pack.formatDue(out.state.ticketDueAt), is: pack.formatDue(due) }
          : undefined;
      if (promise) state.ticketDueAt = due;
      const fill = (s: string) => {
        const t = reference ? s.split(REFERENCE_PLACEHOLDER).join(reference) : s;
        return promise ? t.split(promise.was).join(promise.is) : t;
      };
      await saveState(tx, conv, state, state.language ?? this.deps.config.DEFAULT_LANGUAGE);
      const replies = await recordOutbound(
        tx,
        conv,
        out.replies.map(fill),
        { replyTo: inboundId },
        this.deps.deliver?.pushes(m.channel),
      );
      return { duplicate: false, conversationId: conv.id, inboundId, replies, ticketReference: reference };
    });
    if (!result.duplicate && this.deps.deliver?.pushes(m.channel) && result.replies.length) this.deps.onOutbound?.();
    // A redelivery is not a turn.
    if (!result.duplicate) this.deps.metrics?.observeTurn(m.channel, (performance.now() - started) / 1000);
    // Replies go back to the channel that asked (it renders them); only follow-ups use Deliver.
    return result;
  }

  /**
   * The LLM's hint for a customer's message, or undefined when it is not asked (a call, which its channel has
   * extracted; an empty text; a redelivery; a conversation past its start, where the dialog does not use a hint) or
   * gives no usable answer (the understander counts the fallback). The redelivery and the conversation's phase are
   * read in one statement outside any transaction: a message redelivered while its first delivery is still in its
   * turn may still be sent once more, which costs a call and nothing else (the turn then sees the duplicate).
   */
  private async llmHint(
    llm: Pick<LlmUnderstander, 'understand'>,
    m: { channel: string; conversationKey: string; messageKey: string; text: string; style: string },
  ): Promise<LlmHint | undefined> {
    if (m.style === 'call') return undefined;
    const text = boundText(m.text, this.deps.config.MAX_MESSAGE_CHARS).text;
    if (!text.trim()) return undefined;
    const r = await this.deps.db.query<{ seen: boolean; state: DialogState | null }>(
      `SELECT EXISTS (SELECT 1 FROM messages WHERE channel = $1 AND message_key = $2) AS seen,
              (SELECT state FROM conversations WHERE channel = $1 AND conversation_key = $3) AS state`,
      [m.channel, m.messageKey, m.conversationKey],
    );
    const { seen, state } = r.rows[0];
    if (seen || !hintWanted(state)) return undefined;
    // The restatement is asked for in the language the dialog will answer in (as runDialog decides it).
    const language = detectLanguage(text, state?.language) ?? state?.language ?? this.deps.config.DEFAULT_LANGUAGE;
    return llm.understand(m.text, language, { now: this.clock() });
  }

  /** Records that a stream position was read without a turn (mail we do not answer: bounces, auto-replies). */
  async skip(checkpoint: { stream: string; position: string }): Promise<void> {
    await this.deps.db.transaction((tx) => setCheckpoint(tx, checkpoint.stream, checkpoint.position));
  }

  /** Applies a turn's effects in order; returns the conversation's current ticket, if any. */
  private async applyEffects(
    tx: Queryable,
    conv: ConversationRow,
    effects: Effect[],
    state: DialogState,
    now: Date,
    verified: VerifiedContacts,
  ): Promise<TicketRow | undefined> {
    const prevRef = (conv.state as DialogState | null)?.ticketReference;
    let ticket = prevRef && prevRef !== REFERENCE_PLACEHOLDER ? await ticketByReference(tx, prevRef, true) : undefined;
    const need = () => {
      if (!ticket) throw new RedressError('INTERNAL', 'dialog produced a ticket effect without a ticket');
      return ticket;
    };
    // Consecutive schedule_followup effects (and the SLA breach a new ticket gets) are written together; anything else
    // writes them first, so effects still apply in order (a cancel_followups sees the ones scheduled before it).
    let pending: NewFollowup[] = [];
    const schedulePending = async () => {
      await scheduleFollowups(tx, this.deps.queue, pending);
      pending = [];
    };
    for (const e of effects) {
      if (e.type !== 'schedule_followup') await schedulePending();
      switch (e.type) {
        case 'open_ticket': {
          await saveVerifiedContacts(tx, conv.customer_id, verified);
          const routing = await this.withHistory(tx, conv.customer_id, verified, e.routing);
          ticket = await insertTicket(tx, {
            conversationId: conv.id,
            customerId: conv.customer_id,
            channel: conv.channel,
            language: state.language ?? 'en',
            routing,
            record: e.record,
            restatement: e.restatement,
            handoff: e.handoff,
            slaDueAt: new Date(now.getTime() + routing.slaHours * 3_600_000),
          });
          await saveCustomerDetails(tx, conv.customer_id, e.record);
          await addEvent(tx, ticket.id, 'opened', 'bot', { routing, handoff: e.handoff });
          // Scheduled here, not by the dialog: the SLA is the ticket's, after any repeat-customer raise.
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
          break;
        case 'record_satisfaction':
          await updateTicket(tx, need().id, { satisfaction: e.score });
          await addEvent(tx, need().id, 'satisfaction', 'customer', { score: e.score, comment: e.comment });
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

  /**
   * Raises an ordinary complaint to serious when the same customer complained recently: the same conversation, or a
   * contact point the channel verified (see VerifiedContacts). An email, phone number or name typed into the
   * complaint never counts — it is not proof the address is the customer's, and a raise (a shorter promised reply
   * time) would tell whoever typed it whether that address has complained.
   */
  private async withHistory(
    tx: Queryable,
    customerId: number,
    verified: VerifiedContacts,
    routing: RoutingDecision,
  ): Promise<RoutingDecision> {
    const n = await earlierTickets(tx, customerId, verified, REPEAT_WINDOW_DAYS);
    if (!n) return routing;
    const severity = routing.severity === 'ordinary' ? 'serious' : routing.severity;
    return {
      ...routing,
      severity,
      slaHours: this.deps.router.config.sla_hours[severity],
      reasons: [
        ...routing.reasons,
        `serious: repeat complaint by the same customer (${n} earlier ticket${n > 1 ? 's' : ''} in ${REPEAT_WINDOW_DAYS} days)`,
      ],
    };
  }
}

/**
 * True when the dialog would use an LLM hint for the next message of a conversation in `state`: a new one, or one
 * at its start (closed starts again). A reply to a question ("yes", an email address, a score) is read by the
 * built-in understanding alone and is not worth a call of up to LLM_TIMEOUT_MS.
 */
export function hintWanted(state: Pick<DialogState, 'phase'> | null | undefined): boolean {
  return !state?.phase || state.phase === 'start' || state.phase === 'closed';
}

/** How far back an earlier complaint by the same customer makes a new one a repeat complaint. */
const REPEAT_WINDOW_DAYS = 180;
