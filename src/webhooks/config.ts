/** The webhook variables (issue #20 item 1), kept apart from config-variables.ts, which spreads them in. */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { z } from 'zod';
import { webhookEventTypeSchema } from './event-types.ts';

const destinationSchema = z
  .object({
    url: z
      .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
      .refine((v) => !URL.canParse(v) || (!new URL(v).username && !new URL(v).password), 'must not hold credentials'),
    secret: z.string().min(16, 'must be at least 16 characters'),
    events: z.array(webhookEventTypeSchema).min(1, 'name at least one event'),
    /** A stable name for the destination (pending events follow it); by default derived from the URL. */
    name: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _ . - only')
      .optional(),
  })
  .strict();

/** One configured webhook destination, its id filled in. */
export type WebhookDestination = z.infer<typeof destinationSchema> & { id: string };

const json = (what: string) =>
  z.string().transform((v, ctx) => {
    try {
      return JSON.parse(v) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: `must be JSON (${what})` });
      return z.NEVER;
    }
  });

// "a.example", "10.0.0.0/8", "::1", "fd00::/8": a host name, an address or a CIDR block.
const allowEntry = z
  .string()
  .trim()
  .refine((v) => {
    const [a, bits, more] = v.split('/');
    if (more !== undefined) return false;
    if (bits === undefined) return isIP(a) > 0 || /^[a-z0-9.-]{1,253}$/i.test(a);
    const max = isIP(a) === 4 ? 32 : isIP(a) === 6 ? 128 : -1;
    return /^\d{1,3}$/.test(bits) && Number(bits) <= max;
  }, 'each entry must be a host name, an IP address or a CIDR block');

/** The webhook variables with their schemas and sentences, in the order docs/configuration.md shows them. */
export const webhookVariables = {
  WEBHOOKS: [
    json('a list of destinations')
      .pipe(z.array(destinationSchema).max(20))
      .transform((list) => list.map((d) => ({ ...d, id: d.name ?? destinationId(d.url) })))
      .optional(),
    'Outbound webhooks (docs/webhooks.md), JSON: a list of {"url", "secret" (16+ characters), "events", optional "name"}, e.g. [{"url":"https://crm.example/hooks","secret":"…","events":["ticket.created","ticket.resolved"]}]. Events: ticket.created, ticket.updated, ticket.resolved, message.received, message.sent, satisfaction.answered, followup.sent. Each request is signed (X-Redress-Signature). A destination that resolves to a private, loopback or link-local address is refused at start unless WEBHOOK_ALLOW_PRIVATE allows it. Set it on every process; unset leaves the destinations registered in the database as they are, [] removes them.',
  ],
  WEBHOOK_ALLOW_PRIVATE: [
    z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      )
      .pipe(z.array(allowEntry))
      .optional(),
    'Comma-separated host names, addresses or CIDR blocks (e.g. crm.internal,10.20.0.0/16,127.0.0.1) webhooks may reach although they are private, loopback or link-local; unset: none.',
  ],
} as const;

/** A destination's id from its URL: the same URL keeps its pending events across restarts. */
export function destinationId(url: string): string {
  return `h-${createHash('sha256').update(url).digest('hex').slice(0, 12)}`;
}
