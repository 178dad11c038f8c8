/** The dialog's data: complaint record, conversation state, replies and effects, all as zod schemas. */
import { z } from 'zod';
import type { LookupRequest } from './ticket-lookup.ts';
import { fieldEvidenceSchema } from './understand/field-evidence.ts';
import { languageSchema } from './languages.ts';
import { llmHintSchema } from './understand/llm-understanding.ts';
import { surveyAnswerSchema, surveyProgressSchema, surveyRoundSchema } from './survey-config.ts';

export { languageSchema, type Language } from './languages.ts';

/** Severity of a complaint, from the routing configuration's rules. */
export const severitySchema = z.enum(['ordinary', 'serious', 'urgent']);
/** One of ordinary, serious, urgent. */
export type Severity = z.infer<typeof severitySchema>;

/** The details a complaint needs, in the order the dialog asks for them. */
export const fieldSchema = z.enum([
  'description',
  'product',
  'occurredOn',
  'orderNumber',
  'resolution',
  'name',
  'contact',
]);
/** A detail the dialog can ask for. */
export type Field = z.infer<typeof fieldSchema>;

/** What a customer complained about, as the dialog has understood it. */
export const complaintRecordSchema = z.object({
  description: z.string().optional(),
  /** The customer's own words, every message that fed the description. */
  customerWords: z.array(z.string()).default([]),
  product: z.string().optional(),
  occurredOn: z.string().optional(),
  /** The date was read from a span ("last week", "上个月", "a few days ago"): said back as "around". */
  occurredApprox: z.boolean().optional(),
  orderNumber: z.string().optional(),
  amount: z.string().optional(),
  resolution: z.string().optional(),
  name: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
  /** Fields the customer said they do not have or will not give. */
  declined: z.array(fieldSchema).default([]),
  /** Per field: the sentence it was read from, its span there and the confidence of the reading. */
  evidence: z.record(z.string(), fieldEvidenceSchema).optional(),
});
/** The complaint record. */
export type ComplaintRecord = z.infer<typeof complaintRecordSchema>;

/** Department, category and severity with the reasons behind them. */
export const routingDecisionSchema = z.object({
  department: z.string(),
  category: z.string(),
  severity: severitySchema,
  reasons: z.array(z.string()),
  slaHours: z.number(),
  /** The model's probability for its label, when a model chose the category. */
  confidence: z.number().optional(),
});
/** A routing decision. */
export type RoutingDecision = z.infer<typeof routingDecisionSchema>;

/** Where a conversation stands. */
export const phaseSchema = z.enum([
  'start',
  'confirming',
  'correcting',
  'collecting',
  'ticketed',
  'confirm_withdraw',
  'awaiting_satisfaction',
  'closed',
]);

/** Everything the dialog remembers between turns (stored as jsonb on the conversation). */
export const dialogStateSchema = z.object({
  phase: phaseSchema.default('start'),
  language: languageSchema.optional(),
  record: complaintRecordSchema.default({ customerWords: [], declined: [] }),
  apologised: z.boolean().default(false),
  asking: fieldSchema.optional(),
  /** How many times each field was asked, so a customer is not asked the same thing forever. */
  askedCount: z.record(z.string(), z.number()).default({}),
  ticketReference: z.string().optional(),
  /** When the customer was promised an answer (the ticket's SLA due time). */
  ticketDueAt: z.string().optional(),
  /** The customer's time zone, as their last message with one said (the times we promise are named in it). */
  timeZone: z.string().max(64).optional(),
  handoff: z.boolean().default(false),
  abuseStrikes: z.number().default(0),
  /** A ticket reference the customer asked about without a contact point: the next message may give one. */
  lookupPending: z.string().optional(),
  /** Lookups of this conversation that matched no ticket (guessing is stopped after a few). */
  lookupFailures: z.number().default(0),
  /** Legal or regulator threats already raised to staff (routing reasons), so a repeated one is not raised again. */
  threats: z.array(z.string().max(300)).max(20).default([]),
  /** Messages answered as not a complaint since the conversation (re)started: a customer who insists is heard. */
  notComplaint: z.number().default(0),
  turns: z.number().default(0),
  lastActivityAt: z.string().optional(),
  /**
   * The LLM's restatement of the complaint (LLM_URL), in the conversation's language, kept from the message that told
   * the story until the customer corrects the record: the restatement and the ticket use it instead of the built-in one.
   */
  llmRestatement: z.string().optional(),
  /** The optional LLM's category, used when the built-in routing is unsure (triage). */
  llmCategory: z.string().optional(),
  /** The sentence vector of the message that told the story (when the router model blends a sentence encoder). */
  sentence: z.array(z.number()).max(1024).optional(),
  /** The satisfaction survey being answered (phase awaiting_satisfaction): its round, and whether the score was asked. */
  survey: surveyProgressSchema.optional(),
});
/** Conversation state. */
export type DialogState = z.infer<typeof dialogStateSchema>;

/** One inbound message as the dialog sees it. */
export const dialogMessageSchema = z.object({
  text: z.string(),
  /** True when the channel-neutral entry (the engine) already cut the text to maxChars and words were dropped. */
  cut: z.boolean().default(false),
  receivedAt: z.string(),
  attachments: z.number().default(0),
  /** chat: one question at a time; letter (email): one complete answer per message, the ticket opened at once. */
  style: z.enum(['chat', 'letter', 'call']).default('chat'),
  /** call: the record read from the call's transcript (readCallSteps in call-reading.ts; only the customer's words). */
  record: complaintRecordSchema.optional(),
  /** call: details too uncertain to trust, to be asked for again. */
  unsure: z.array(fieldSchema).default([]),
  /** A contact point the channel already knows (the sender of an email). */
  knownEmail: z.string().optional(),
  /** The customer's IANA time zone, when the channel knows it (web chat). */
  timeZone: z.string().max(64).optional(),
  /** Files the channel could not keep (too large), to tell the customer. */
  refusedAttachments: z.array(z.object({ name: z.string(), size: z.number() })).default([]),
  /**
   * The optional LLM's understanding of this message (LLM_URL), already reduced to what the text supports; absent when
   * the LLM is off, gave no usable answer, or was not asked (a call, an empty message, a redelivery, a conversation past
   * its start). Any category id is carried: the understander checked it against the configured ones.
   */
  hint: llmHintSchema().optional(),
  /**
   * The message's sentence vector, when the router model blends a sentence encoder (src/router/encoder.ts): computed
   * before the turn, like the hint, and only where the dialog routes a new story.
   */
  sentence: z.array(z.number()).max(1024).optional(),
});
/** A message for the dialog. */
export type DialogMessage = z.input<typeof dialogMessageSchema>;

/** Kinds of follow-up the scheduler knows. */
export const followupKindSchema = z.enum([
  'acknowledgement',
  'sla_reminder',
  'sla_breach',
  'satisfaction_check',
  'second_followup',
  // A recovery task's reminder and breach (issue #16): staff follow-ups of a low score's personal contact.
  'recovery_reminder',
  'recovery_breach',
]);
/** A follow-up kind. */
export type FollowupKind = z.infer<typeof followupKindSchema>;
/** Who a follow-up is for: the customer (on their channel) or staff. */
export const followupAudienceSchema = z.enum(['customer', 'staff']);
/** A follow-up audience. */
export type FollowupAudience = z.infer<typeof followupAudienceSchema>;

/** Side effects the engine applies in the turn's transaction. */
export const effectSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('open_ticket'),
    record: complaintRecordSchema,
    routing: routingDecisionSchema,
    restatement: z.string(),
    handoff: z.boolean(),
    /** The reference prepared for it (NewTicket) and the reply time the customer was promised. */
    reference: z.string(),
    dueAt: z.string(),
  }),
  z.object({ type: z.literal('update_record'), record: complaintRecordSchema, changed: z.array(z.string()) }),
  z.object({ type: z.literal('ticket_event'), kind: z.string(), data: z.record(z.string(), z.unknown()).default({}) }),
  z.object({ type: z.literal('handoff'), reason: z.string() }),
  z.object({ type: z.literal('set_status'), status: z.enum(['reopened', 'withdrawn', 'closed']), reason: z.string() }),
  z.object({
    type: z.literal('record_satisfaction'),
    score: z.number().int().min(1).max(5),
    comment: z.string().optional(),
    /** The survey's answers by question id (routing.yaml `survey:`): a score 1–5, yes/no as a boolean, or text. */
    answers: z.record(z.string(), surveyAnswerSchema).default({}),
    /** The score is at or below the survey's low_score: the ticket reopens. */
    low: z.boolean().default(false),
    /** Which ask the reply answered: the first satisfaction check or a second follow-up. */
    round: surveyRoundSchema.default('satisfaction_check'),
  }),
  /** Survey answers given without the score (which is then asked for once): stored, nothing counted or reopened. */
  z.object({
    type: z.literal('record_survey_answers'),
    answers: z.record(z.string(), surveyAnswerSchema),
    round: surveyRoundSchema,
  }),
  z.object({
    type: z.literal('schedule_followup'),
    kind: followupKindSchema,
    audience: followupAudienceSchema,
    dueAt: z.string(),
  }),
  z.object({ type: z.literal('cancel_followups'), kinds: z.array(followupKindSchema) }),
  /** The message held no complaint (a call about something else): nothing is opened. */
  z.object({ type: z.literal('no_complaint'), reason: z.string() }),
]);
/** One effect. */
export type Effect = z.infer<typeof effectSchema>;

/**
 * What one turn produces: the new state, the replies (already in the customer's language), the effects. With
 * `ticketNeeded`, the turn would open a ticket but was given none to open (DialogContext.newTicket): nothing else in
 * it counts, and the caller runs the turn again with one.
 */
export interface TurnOutput {
  state: DialogState;
  replies: string[];
  effects: Effect[];
  ticketNeeded?: true;
  /** The turn asks about a ticket by reference and contact point: the engine runs it again with what it found. */
  lookupNeeded?: LookupRequest;
}

/**
 * The ticket a turn may open, prepared before the turn: the reference it gets, and how many tickets the same
 * customer opened in the last `windowDays` days (which makes an ordinary complaint serious: a shorter promise).
 */
export const newTicketSchema = z.object({
  reference: z.string().min(1),
  earlierTickets: z.number().int().nonnegative(),
  windowDays: z.number().int().positive(),
  /** The customer's tier as last set by staff (routing.yaml `tiers`); absent: the configured default tier. */
  tier: z.string().min(1).optional(),
});
/** A ticket prepared for a turn. */
export type NewTicket = z.infer<typeof newTicketSchema>;
