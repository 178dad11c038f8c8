/** The only types channels and the engine share: one normalised inbound message, one outbound message, delivery. */
import { z } from 'zod';

/** A file the customer sent, recorded but never rendered or executed. */
export const attachmentSchema = z.object({
  name: z.string().max(255).default('attachment'),
  contentType: z.string().max(255).default('application/octet-stream'),
  url: z.string().max(2048).optional(),
  size: z.number().int().nonnegative().optional(),
});

/** What every channel turns its traffic into. `messageKey` is the channel's own id: a redelivery reuses it. */
export const inboundSchema = z.object({
  channel: z.string().min(1).max(40),
  conversationKey: z.string().min(1).max(256),
  messageKey: z.string().min(1).max(512),
  text: z.string().max(1_000_000),
  receivedAt: z.string().optional(),
  sender: z.object({ id: z.string().max(256), name: z.string().max(256).optional() }),
  attachments: z.array(attachmentSchema).max(50).default([]),
  /** Channel-specific data needed to reach this conversation later (e.g. a Bot Framework conversation reference). */
  address: z.record(z.string(), z.unknown()).optional(),
  /** The channel's own payload, kept with the message for audit. */
  payload: z.record(z.string(), z.unknown()).default({}),
});
/** A normalised inbound message. */
export type Inbound = z.input<typeof inboundSchema>;

/** One message the bot sends, as stored. */
export const outboundSchema = z.object({
  id: z.number(),
  conversationId: z.number(),
  channel: z.string(),
  conversationKey: z.string(),
  address: z.record(z.string(), z.unknown()),
  text: z.string(),
  createdAt: z.string(),
  followupId: z.number().nullable(),
});
/** An outbound message. */
export type Outbound = z.infer<typeof outboundSchema>;

/** Sends stored outbound messages on channels that push (email, Slack); pull channels (web chat) need none. */
export type Sender = (out: Outbound) => Promise<void>;

/** Finds the channel that owns an outbound message and hands it over. */
export class Deliver {
  private readonly senders = new Map<string, Sender>();
  /** Registers the sender of `channel`. */
  register(channel: string, sender: Sender): void {
    this.senders.set(channel, sender);
  }
  /** Delivers each message whose channel pushes; errors are returned, not thrown, so one failure does not stop the rest. */
  async deliver(messages: Outbound[]): Promise<Array<{ id: number; error: unknown }>> {
    const failures: Array<{ id: number; error: unknown }> = [];
    for (const m of messages) {
      const send = this.senders.get(m.channel);
      if (!send) continue;
      try {
        await send(m);
      } catch (error) {
        failures.push({ id: m.id, error });
      }
    }
    return failures;
  }
}
