/** Replies and follow-ups by SMTP, threaded onto the customer's message, marked as automatic (RFC 3834). */
import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { PushChannel } from '../../src/core/ports.ts';
import { withoutBidi } from '../../src/text/sanitize.ts';
import { REFERENCE_TAG } from '../../src/domain/reference.ts';

/** The push side of the email channel over `smtpUrl`, sending from `from`. */
export function emailSender(o: {
  smtpUrl: string;
  from: string;
}): PushChannel & { close(): void; notify(to: string[], subject: string, text: string): Promise<void> } {
  // A pooled transport keeps the SMTP connection open between messages instead of a handshake per reply.
  const url = new URL(o.smtpUrl);
  if (!url.searchParams.has('pool')) url.searchParams.set('pool', 'true');
  const transport = nodemailer.createTransport(url.toString(), {
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  } as never);
  const domain = o.from.slice(o.from.lastIndexOf('@') + 1).split('>')[0] || 'redress.invalid';
  return {
    newExternalId: () => `<${randomUUID()}@${domain}>`,
    async send(group) {
      const first = group[0];
      const a = first.address as {
        email?: string;
        name?: string | null;
        subject?: string;
        lastMessageId?: string;
        references?: string[];
      };
      if (!a.email) throw new Error('conversation has no email address');
      const ref = first.ticketReference;
      // Bidirectional controls from the customer's subject (U+202E...) would display the reference after them reversed.
      const base = withoutBidi(a.subject || 'Your complaint')
        .replace(REFERENCE_TAG, ' ')
        .trim();
      await transport.sendMail({
        from: o.from,
        to: a.name ? { name: a.name, address: a.email } : a.email,
        // "Re:" only when answering a message of theirs; a first message (after a phone call) starts its own thread.
        subject: `${a.lastMessageId ? 'Re: ' : ''}${base}${ref ? ` [${ref}]` : ''}`,
        messageId: first.externalId ?? undefined,
        inReplyTo: a.lastMessageId,
        references: a.references,
        text: group.map((m) => m.text).join('\n\n'),
        headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' },
      });
    },
    /** A plain message to staff (digests): not a reply, not threaded. */
    async notify(to, subject, text) {
      await transport.sendMail({ from: o.from, to, subject, text, headers: { 'Auto-Submitted': 'auto-generated' } });
    },
    close: () => transport.close(),
  };
}
