/** The webhook payload as a zod schema (docs/webhooks.md), for the OpenAPI document's `webhooks` section. */
import { z } from 'zod';
import { WEBHOOK_PAYLOAD_VERSION, webhookEventTypeSchema } from '../webhooks/event-types.ts';
import { ticketStatusSchema } from '../domain/ticket-status.ts';
import { severitySchema } from '../domain/severity.ts';

const when = z.iso.datetime({ offset: true });

/** The ticket a webhook event is about: codes, times and figures only (no personal data). */
export const webhookTicketSchema = z
  .object({
    reference: z.string(),
    status: ticketStatusSchema,
    department: z.string(),
    category: z.string(),
    severity: severitySchema,
    claimedBy: z.string().nullable(),
    channel: z.string(),
    language: z.string(),
    createdAt: when,
    updatedAt: when,
    resolvedAt: when.nullable(),
    slaDueAt: when,
    satisfaction: z.number().nullable(),
  })
  .loose();

/** Every webhook request's JSON body; new fields may appear within a version (so objects are open). */
export const webhookPayloadSchema = z
  .object({
    version: z.literal(WEBHOOK_PAYLOAD_VERSION),
    /** The event id (also X-Redress-Event-Id): the same on every redelivery, for de-duplication. */
    id: z.uuid(),
    type: webhookEventTypeSchema,
    occurredAt: when,
    /** Null on messages of a chat before its ticket opens. */
    ticket: webhookTicketSchema.nullable(),
    /** The change: ids, codes and figures, by event type (docs/webhooks.md). */
    data: z.record(z.string(), z.unknown()),
  })
  .loose();
