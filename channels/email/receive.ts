/** One parsed email to one normalised inbound message (or the reason it gets no answer). */
import { createHash } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import type { Inbound } from '../../src/core/ports.ts';
import { REFERENCE_IN_TEXT, REFERENCE_TAG } from '../../src/domain/reference.ts';
import { automatedReason } from './automated.ts';
import { newText } from './quotes.ts';

/** The channel name email conversations are stored under. */
export const EMAIL_CHANNEL = 'email';

/** What the email channel needs from storage (no SQL here). */
export interface MailThreads {
  /** The conversation this mail continues, if its thread headers or subject reference belong to this sender's ticket. */
  find(m: { from: string; messageIds: string[]; subjectReference?: string }): Promise<string | undefined>;
  /** How many messages `from` sent since `since` (for the per-sender rate limit). */
  recentFrom(from: string, since: Date): Promise<number>;
}

/** The result of reading one mail. */
export type Received = { ignore: string } | { inbound: Inbound };

/** Turns a parsed mail into an Inbound for the engine, threading it onto the sender's own conversation only. */
export async function receive(
  m: ParsedMail,
  o: {
    threads: MailThreads;
    ownAddress: string;
    maxAttachmentBytes: number;
    rateLimitPerHour: number;
    checkpoint?: { stream: string; position: string };
    now: Date;
    raw: Buffer;
  },
): Promise<Received> {
  const automated = automatedReason(m, o.ownAddress);
  if (automated) return { ignore: automated };
  const from = m.from!.value[0].address!.toLowerCase();
  if ((await o.threads.recentFrom(from, new Date(o.now.getTime() - 3_600_000))) >= o.rateLimitPerHour)
    return { ignore: `rate limit: more than ${o.rateLimitPerHour} messages from ${from} in an hour` };
  // Without a Message-ID a redelivery can still be recognised by the content's hash.
  const messageId = m.messageId ?? `<sha256-${createHash('sha256').update(o.raw).digest('hex')}@redress.invalid>`;
  const references = [m.references ?? []].flat();
  const inReplyTo = m.inReplyTo ? [m.inReplyTo] : [];
  // A subject is a line, not a letter: 998 characters is the most RFC 5322 allows in one.
  const subject = (m.subject ?? '').slice(0, 998).trim();
  const key = await o.threads.find({
    from,
    messageIds: [...inReplyTo, ...references.slice().reverse()],
    subjectReference: REFERENCE_IN_TEXT.exec(subject)?.[0].toUpperCase(),
  });
  const cleanSubject = subject
    .replace(/^(?:(?:re|fwd?|aw|sv|回复|回覆|答复|转发)\s{0,3}[:：]\s{0,3})+/i, '')
    .replace(REFERENCE_TAG, ' ')
    .trim();
  const body = newText(m.text ?? '');
  // A fresh complaint's subject often carries its gist; a reply's subject only repeats the thread.
  const text = key || !cleanSubject ? body : `${cleanSubject}.\n${body}`;
  return {
    inbound: {
      channel: EMAIL_CHANNEL,
      conversationKey: key ?? messageId,
      messageKey: messageId,
      externalId: messageId,
      text,
      style: 'letter',
      receivedAt: (m.date ?? o.now).toISOString(),
      sender: { id: from, name: m.from!.value[0].name || undefined },
      // The From address is the customer's: the bot's answers go only there, so a raise is seen only by its owner.
      verified: { email: from },
      attachments: (m.attachments ?? []).slice(0, 50).map((a) => {
        const size = a.size ?? a.content.length;
        const tooLarge = size > o.maxAttachmentBytes;
        return {
          name: (a.filename ?? 'attachment').slice(0, 255),
          contentType: (a.contentType ?? 'application/octet-stream').slice(0, 255),
          size,
          content: tooLarge ? undefined : a.content,
          refused: tooLarge ? `too large: ${size} bytes, limit ${o.maxAttachmentBytes}` : undefined,
        };
      }),
      address: {
        email: from,
        name: m.from!.value[0].name || null,
        subject: cleanSubject || subject,
        lastMessageId: messageId,
        references: [...references, messageId].slice(-20),
      },
      payload: { subject, messageId, inReplyTo: m.inReplyTo ?? null },
      checkpoint: o.checkpoint,
    },
  };
}
