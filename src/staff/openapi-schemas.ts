/** The staff API's query and response shapes as zod schemas: what the OpenAPI document (GET /api/openapi.json) says. */
import { z } from 'zod';
import { ticketStatusSchema } from '../domain/ticket-status.ts';
import { severitySchema } from '../domain/severity.ts';
import { recoveryOutcomeSchema } from './recovery-input.ts';
import { recoveryStateSchema } from '../store/recovery-tasks.ts';
import { satisfactionAnswerRowSchema } from '../store/satisfaction-answers.ts';
import { indicatorsAnswerSchema } from './openapi-indicators.ts';

const when = z.iso.datetime({ offset: true });
// Data the API passes through as stored (a complaint record, an event's data, a call): described, not spelled out.
const anyObject = z.record(z.string(), z.unknown());

/** Query of GET /api/tickets. */
export const ticketListQuerySchema = z.object({
  status: ticketStatusSchema.optional(),
  since: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** A ticket in a list (src/staff/tickets.ts ticketSummary). */
export const ticketSummarySchema = z.object({
  reference: z.string(),
  status: ticketStatusSchema,
  department: z.string(),
  category: z.string(),
  severity: severitySchema,
  channel: z.string(),
  language: z.string(),
  handoff: z.boolean(),
  claimedBy: z.string().nullable(),
  restatement: z.string(),
  slaDueAt: when,
  createdAt: when,
});

/** A ticket in a list. */
export type TicketSummary = z.infer<typeof ticketSummarySchema>;

/** The answer of GET /api/tickets. */
export const ticketListSchema = z.object({ tickets: z.array(ticketSummarySchema) });

/** The ticket as staff see it (src/staff/tickets.ts ticketView): the answer of every route that returns one ticket. */
export const ticketViewSchema = ticketSummarySchema.extend({
  customer: z.object({ name: z.string().nullable(), email: z.array(z.string()), phone: z.array(z.string()) }),
  record: anyObject,
  routingReasons: z.array(z.string()),
  updatedAt: when,
  resolvedAt: when.nullable(),
  satisfaction: z.number().nullable(),
  satisfactionAnswers: z.array(
    z.object({
      question: z.string(),
      answer: z.union([z.number(), z.boolean(), z.string()]).nullable(),
      round: satisfactionAnswerRowSchema.shape.round,
      at: when,
    }),
  ),
  tier: z.string().nullable(),
  tierChanges: z.array(
    z.object({ from: z.string().nullable(), to: z.string(), by: z.string(), via: z.string(), at: when }),
  ),
  source: z.string().nullable(),
  loggedBy: z.string().nullable(),
  resolutions: z.array(
    z.object({
      remedy: z.string(),
      amount: z.number().nullable(),
      currency: z.string().nullable(),
      cost: z.number().nullable(),
      cause: z.string().nullable(),
      fault: z.string().nullable(),
      message: z.string().nullable(),
      resolvedBy: z.string(),
      at: when,
    }),
  ),
  history: z.array(
    z.object({
      reference: z.string(),
      createdAt: when,
      category: z.string(),
      status: z.string(),
      remedy: z.string().nullable(),
      cause: z.string().nullable(),
      satisfaction: z.number().nullable(),
    }),
  ),
  historyTotal: z.number().int(),
  followups: z.array(
    z.object({ kind: z.string(), audience: z.string(), dueAt: when, state: z.string(), firedAt: when.nullable() }),
  ),
  events: z.array(z.object({ kind: z.string(), actor: z.string(), data: z.unknown(), at: when })),
  attachments: z.array(
    z.object({
      id: z.number(),
      name: z.string(),
      contentType: z.string(),
      size: z.number(),
      stored: z.boolean(),
      refused: z.string().nullable(),
    }),
  ),
  /** Phone tickets only: the call's fields with their evidence and the transcript (as stored, an object). */
  call: z.unknown().optional(),
});
/** The ticket as staff see it. */
export type TicketView = z.infer<typeof ticketViewSchema>;

/** A recovery task (src/staff/recovery.ts recoveryView). */
export const recoveryViewSchema = z.object({
  round: z.number(),
  state: recoveryStateSchema,
  owner: z.string().nullable(),
  score: z.number().nullable(),
  dueAt: when.nullable(),
  outcome: recoveryOutcomeSchema.nullable(),
  note: z.string().nullable(),
  recordedBy: z.string().nullable(),
  recordedAt: when.nullable(),
  breachedAt: when.nullable(),
  createdAt: when.nullable(),
});

/** The answer of GET /api/tickets/:reference/recovery. */
export const recoveryListSchema = z.object({ reference: z.string(), recovery: z.array(recoveryViewSchema) });
/** The answer of POST /api/tickets/:reference/recovery: the ticket with its recovery tasks. */
export const ticketWithRecoverySchema = ticketViewSchema.extend({ recovery: z.array(recoveryViewSchema) });

/** The answer of POST /api/customers/tier. */
export const pointTierAnswerSchema = z.object({
  tier: z.string(),
  points: z.array(z.object({ kind: z.string(), value: z.string() })),
  changed: z.number().int(),
});

/** The answer of a text (or call) in which no complaint was found: no ticket opened. */
export const noTicketSchema = z.object({ ticket: z.null(), reason: z.string(), lines: z.number().int().optional() });

const counts = z.record(z.string(), z.number());
const spread = z.object({ median: z.number().nullable(), p90: z.number().nullable(), tickets: z.number() });
/** The answer of GET /api/summary (src/staff/summary.ts summary). */
export const summaryAnswerSchema = z.object({
  period: z.object({ from: z.string(), to: z.string(), tz: z.string(), department: z.string().nullable() }),
  received: z.object({
    total: z.number(),
    byChannel: counts,
    byDay: z.array(z.object({ day: z.string(), count: z.number() })),
    byDepartment: counts,
    byCategory: counts,
    bySeverity: counts,
  }),
  status: z.object({ open: z.number(), resolved: z.number(), withdrawn: z.number(), handedOff: z.number() }),
  hoursToFirstResponse: spread,
  hoursToResolution: spread,
  sla: z.array(z.object({ department: z.string(), met: z.number(), breached: z.number(), pending: z.number() })),
  satisfaction: z.object({
    answered: z.number(),
    average: z.number().nullable(),
    low: z.number(),
    recoveredAfterSecondFollowup: z.number(),
  }),
  reopenRate: z.number().nullable(),
  reopened: z.object({ tickets: z.number(), everResolved: z.number() }),
  repeatComplainers: z.object({ customers: z.number(), tickets: z.number() }),
  topIssues: z.array(
    z.object({
      category: z.string(),
      count: z.number(),
      quotes: z.array(z.object({ text: z.string(), language: z.string(), reference: z.string() })),
    }),
  ),
  /** What became of the period's complaints (issue #17): resolution rates, remedies, causes, recovery. */
  outcomes: z.object({
    resolutionRate: z.number().nullable(),
    firstContactResolution: z.number().nullable(),
    counts: z.object({ resolvable: z.number(), resolved: z.number(), firstContact: z.number() }),
    remedies: z.array(
      z.object({ remedy: z.string(), currency: z.string().nullable(), count: z.number(), cost: z.number().nullable() }),
    ),
    topCauses: z.array(z.object({ cause: z.string(), fault: z.string(), count: z.number() })),
    recovery: z.array(
      z.object({
        department: z.string(),
        tasks: z.number(),
        contacted: z.number(),
        recovered: z.number(),
        rate: z.number().nullable(),
      }),
    ),
  }),
  /** Complaint rates, satisfaction by dimension against the previous period, figures per person (issue #17). */
  indicators: indicatorsAnswerSchema,
});

/** The answer of GET /api/summary. */
export type SummaryAnswer = z.infer<typeof summaryAnswerSchema>;

/** Every error answer: `{ error: { code, message } }` (src/http/http.ts sendError). */
export const errorAnswerSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
