/** The webhook event types and which ticket events become which (one place, read by src/store/tickets.ts addEvent). */
import { z } from 'zod';

/** Every webhook event type a destination may subscribe to. */
export const webhookEventTypeSchema = z.enum([
  'ticket.created',
  'ticket.updated',
  'ticket.resolved',
  'message.received',
  'message.sent',
  'satisfaction.answered',
  'followup.sent',
]);
/** A webhook event type. */
export type WebhookEventType = z.infer<typeof webhookEventTypeSchema>;

/** The version of the payload's shape (docs/webhooks.md); a breaking change bumps it. */
export const WEBHOOK_PAYLOAD_VERSION = 1;

type Data = Record<string, unknown>;
const pick = (d: Data, keys: string[]): Data => Object.fromEntries(keys.filter((k) => k in d).map((k) => [k, d[k]]));

/**
 * The webhook event a ticket event makes, with its `data` (ids, codes and figures only: no note, comment or message
 * text, which are staff's or the customer's words), or undefined for a ticket event no webhook carries.
 */
export function webhookOfTicketEvent(kind: string, raw: unknown): { type: WebhookEventType; data: Data } | undefined {
  const d = (raw && typeof raw === 'object' ? raw : {}) as Data;
  if (kind === 'opened') return { type: 'ticket.created', data: {} };
  if (kind === 'status_resolved')
    return { type: 'ticket.resolved', data: { from: d.from, ...pick(d, ['remedy', 'cause', 'fault']) } };
  if (kind.startsWith('status_')) return { type: 'ticket.updated', data: { change: 'status', from: d.from } };
  if (kind === 'reassigned')
    return { type: 'ticket.updated', data: { change: 'department', ...pick(d, ['from', 'to']) } };
  if (kind === 'severity_changed')
    return { type: 'ticket.updated', data: { change: 'severity', ...pick(d, ['from', 'to']) } };
  if (kind === 'claimed') return { type: 'ticket.updated', data: { change: 'claim' } };
  if (kind === 'satisfaction') return { type: 'satisfaction.answered', data: pick(d, ['score']) };
  if (kind === 'followup_sent') return { type: 'followup.sent', data: pick(d, ['kind', 'followupId', 'messages']) };
  return undefined;
}
