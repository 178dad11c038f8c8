/** The only types channels and the engine share: one normalised inbound message, one outbound message, delivery. */
import { z } from 'zod';
import { callTranscriptSchema } from '../../dialogs/call-reading.ts';

/** A file the customer sent, recorded but never rendered or executed. */
export const attachmentSchema = z.object({
  name: z.string().max(255).default('attachment'),
  contentType: z.string().max(255).default('application/octet-stream'),
  url: z.string().max(2048).optional(),
  size: z.number().int().nonnegative().optional(),
  /** The file itself, when the channel downloaded it and it is within the size limit. */
  content: z.instanceof(Buffer).optional(),
  /** Why the file was not kept (too large), in words for staff. */
  refused: z.string().max(500).optional(),
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
  /** The channel's own id of the message (an email's Message-ID), kept for threading. */
  externalId: z.string().max(998).optional(),
  /** How far the channel's stream has been read once this message is recorded (same transaction). */
  checkpoint: z.object({ stream: z.string().min(1).max(500), position: z.string().min(1).max(200) }).optional(),
  /** The customer's IANA time zone as their client reports it (Web Chat's localTimezone): times promised are named in it. */
  timeZone: z.string().max(64).optional(),
  /** How the dialog should converse: turn by turn (chat) or one complete letter per message (email). */
  style: z.enum(['chat', 'letter', 'call']).default('chat'),
  /** call: the transcript in a channel-neutral shape; the dialog side reads the complaint from it (the engine drives it). */
  transcript: callTranscriptSchema.optional(),
  /**
   * The contact points the channel itself vouches for, never what the customer typed or said: only these link a
   * complaint to the same customer's earlier tickets (the repeat-customer raise). email: the From address; slack:
   * the Slack user id; phone: the caller number the contact centre's system gave (both as `account`); web chat: none.
   */
  verified: z.object({ email: z.string().max(320).optional(), account: z.string().max(300).optional() }).default({}),
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
  replyTo: z.number().nullable(),
  /** The id the channel will know this message by (an email's Message-ID), chosen before sending. */
  externalId: z.string().nullable(),
  ticketReference: z.string().nullable(),
});
/** An outbound message. */
export type Outbound = z.infer<typeof outboundSchema>;

/** A channel that pushes messages (email, Slack): the outbox hands it each group of replies to send. */
export interface PushChannel {
  /** Sends one group (the replies to one message, or one follow-up) as one message on the channel. */
  send(group: Outbound[]): Promise<void>;
  /** The id to give a message before it is sent (an email Message-ID), so replies can be threaded to it. */
  newExternalId?(): string;
  /** Whether a conversation's address is enough to reach it (a caller with no email is not); true when absent. */
  reaches?(address: Record<string, unknown>): boolean;
}

/** The channel that reaches a customer their own channel cannot, and when a pull channel's customer counts as gone. */
export interface Fallback {
  channel: string;
  push: PushChannel;
  /** A pull channel's page unread for this long (WEB_CHAT_AWAY_SECONDS) means the customer has left. */
  awaySeconds: number;
}

/** Finds the channel that owns an outbound message; pull channels (web chat) register nothing. */
export class Deliver {
  private readonly channels = new Map<string, PushChannel>();
  /** Registers the push side of `channel`. */
  register(channel: string, push: PushChannel): void {
    this.channels.set(channel, push);
  }
  /** The push side of `channel`, when it pushes. */
  pushes(channel: string): PushChannel | undefined {
    return this.channels.get(channel);
  }
  private fallback?: Fallback;
  /** Registers the channel that reaches a customer their own channel cannot (email, at the address they gave). */
  useFallback(fallback: Fallback): void {
    this.fallback = fallback;
  }
  /** The fallback channel, when one is configured. */
  fallbackChannel(): Fallback | undefined {
    return this.fallback;
  }
}
