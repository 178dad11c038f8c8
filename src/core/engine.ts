/** Runs one inbound message in one transaction: record it once, lock the conversation, run the dialog, apply its effects. */
import type { Metrics } from './metrics.ts';
import { withoutNul } from '../store/nul.ts';
import { runDialog, type DialogContext } from '../../dialogs/dialog.ts';
import { recordedBudget, timeBudget } from '../../dialogs/understand/budget.ts';
import { warmUp } from '../../dialogs/understand/warm-up.ts';
import { maskSensitive } from '../../dialogs/mask.ts';
import type { DialogMessage, DialogState } from '../../dialogs/types.ts';
import type { LlmUnderstander } from '../llm/llm-understander.ts';
import type { Router } from '../../dialogs/router.ts';
import type { Config } from './config.ts';
import { RedressError } from './errors.ts';
import { inboundSchema, type Deliver, type Inbound, type Outbound } from './ports.ts';
import { cutChars, cutInbound } from './inbound-cut.ts';
import { applyEffects } from './apply-effects.ts';
import { readTranscript } from './call-reading.ts';
import { llmHint } from './llm-hint.ts';
import { sentenceVector } from './sentence-vector.ts';
import { loadEncoder, type Encoder } from '../router/encoder.ts';
import { prepareTicket } from './new-ticket.ts';
import { lookupTicket } from '../store/ticket-lookup.ts';
import { setCheckpoint } from '../store/checkpoints.ts';
import { insertAttachment } from '../store/attachments.ts';
import type { Db } from '../store/db.ts';
import { lockConversation, saveState, updateAddress } from '../store/conversations.ts';
import { messageIdByKey, recordInbound, recordOutbound, repliesTo } from '../store/messages.ts';
import { addEvent } from '../store/tickets.ts';
import type { FollowupQueue } from './schedule-followups.ts';

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
  /** The sentence encoder, for a router model that blends one (loaded on first use; loadEncoder by default). */
  encoder?: () => Promise<Encoder>;
  /** Told when the encoder fails (the turn is then routed by its words alone). */
  onEncoderError?: (e: unknown) => void;
}

/** The turn engine shared by every channel. */
export class Engine {
  readonly clock: () => Date;
  /** The router new turns take (replaced by {@link useRouter} when a retrained model is swapped in). */
  private router: Router;
  constructor(private readonly deps: EngineDeps) {
    this.clock = deps.clock ?? (() => new Date());
    this.router = deps.router;
  }

  /** Routes the turns that start from now on with `router`; a turn under way keeps the one it started with. */
  useRouter(router: Router): void {
    this.router = router;
  }

  /** Builds the parsers' tables once, so that neither the first customer nor the understanding budget pays for it. */
  warmUp(): void {
    warmUp(this.dialogContext(this.clock()));
  }

  /** The dialog context for a turn at `now`, routed by `router` (the current one by default). */
  dialogContext(now: Date, router = this.router): DialogContext {
    const c = this.deps.config;
    return {
      now,
      router,
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
    // Taken once: a router swapped in while this turn waits for its lock or the LLM does not change it halfway.
    const router = this.router;
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
    // A call is read from its transcript before the transaction, as the LLM is asked: neither holds a lock meanwhile.
    // The LLM sees only the masked, cut text.
    const { message: m, reading } = await readTranscript({ ...data, text: cutChars(maskedText, max) }, this.clock());
    const config = this.deps.config;
    const hint = this.deps.llm
      ? await llmHint(this.deps.db, this.deps.llm, m, {
          maxChars: max,
          defaultLanguage: config.DEFAULT_LANGUAGE,
          now: this.clock(),
        })
      : undefined;
    const sentence = router.encoder
      ? await sentenceVector(this.deps.db, this.deps.encoder ?? loadEncoder, m, {
          maxChars: max,
          onError: this.deps.onEncoderError ?? (() => undefined),
          name: router.encoder,
        })
      : undefined;
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
        const firstId = await messageIdByKey(tx, m.channel, m.messageKey);
        const ref = (conv.state as DialogState | null)?.ticketReference;
        return {
          duplicate: true,
          conversationId: conv.id,
          inboundId: firstId!,
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
      const message: DialogMessage = {
        text: m.text,
        cut: long.cut,
        receivedAt: m.receivedAt ?? now.toISOString(),
        attachments: m.attachments.length,
        style: m.style,
        record: reading?.record,
        unsure: reading?.unsure,
        knownEmail: m.channel === 'email' ? m.sender.id : undefined,
        timeZone: m.timeZone,
        refusedAttachments: m.attachments.filter((a) => a.refused).map((a) => ({ name: a.name, size: a.size ?? 0 })),
        ...(hint ? { hint } : {}),
        ...(sentence ? { sentence } : {}),
      };
      // The first turn of a process builds the parsers' tables: done before the understanding budget starts.
      const ctx = this.dialogContext(now, router);
      warmUp(ctx);
      // The budget starts here, after the warm-up: it is the customer's message that it measures.
      const budget = recordedBudget(timeBudget(config.UNDERSTANDING_BUDGET_MS));
      let out = runDialog(conv.state, message, { ...ctx, budget });
      // A reference is a number taken for good, so it is taken only for a turn that opens a ticket. Such a turn is
      // run again with it and the customer's history: the dialog names the reference and promises the ticket's real
      // reply time (a repeat customer's is shorter). The replayed budget makes the second run take the first's path.
      if (out.ticketNeeded) {
        const newTicket = await prepareTicket(tx, conv.customer_id, m.verified);
        out = runDialog(conv.state, message, { ...ctx, budget: budget.replay(), newTicket });
        if (out.ticketNeeded) throw new RedressError('INTERNAL', 'the dialog asked twice for a ticket to open');
      }
      // A question about a ticket by reference and contact point: run again with what the database holds for it.
      if (out.lookupNeeded) {
        const lookup = await lookupTicket(tx, out.lookupNeeded, conv.id);
        out = runDialog(conv.state, message, { ...ctx, budget: budget.replay(), lookup });
      }
      const ticket = await applyEffects(tx, this.deps.queue, conv, out.effects, out.state, m.verified, {
        routing: router.config,
        now,
      });
      if (ticket && m.attachments.length)
        await addEvent(tx, ticket.id, 'attachments', 'customer', {
          attachments: m.attachments.map(({ content: _c, ...a }) => a),
        });
      if (ticket && Object.keys(masked).length)
        await addEvent(tx, ticket.id, 'masked', 'bot', { message: inboundId, masked });
      await saveState(tx, conv, out.state, out.state.language ?? config.DEFAULT_LANGUAGE);
      // A push channel that cannot write to this address (a caller who gave no email) keeps the replies unsent: the
      // Slack card's call-back badge tells staff to phone them.
      const push = this.deps.deliver?.pushes(m.channel);
      const replies = await recordOutbound(
        tx,
        conv,
        out.replies,
        { replyTo: inboundId },
        push && (push.reaches?.(conv.address) ?? true) ? push : undefined,
      );
      return {
        duplicate: false,
        conversationId: conv.id,
        inboundId,
        replies,
        ticketReference: out.state.ticketReference,
      };
    });
    if (!result.duplicate && this.deps.deliver?.pushes(m.channel) && result.replies.length) this.deps.onOutbound?.();
    // A redelivery is not a turn.
    if (!result.duplicate) this.deps.metrics?.observeTurn(m.channel, (performance.now() - started) / 1000);
    // Replies go back to the channel that asked (it renders them); only follow-ups use Deliver.
    return result;
  }

  /** Records that a stream position was read without a turn (mail we do not answer: bounces, auto-replies). */
  async skip(checkpoint: { stream: string; position: string }): Promise<void> {
    await this.deps.db.transaction((tx) => setCheckpoint(tx, checkpoint.stream, checkpoint.position));
  }
}
