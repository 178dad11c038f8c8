/** The email channel: SMTP out on every process (through the outbox), IMAP in on a worker, over the port it declares. */
import { tcpReachable } from '../../src/http/reachable.ts';
import { z } from 'zod';
import type { Channel } from '../../src/core/channel.ts';
import { isRedressError } from '../../src/core/errors.ts';
import type { Logger } from '../../src/core/log.ts';
import type { Inbound } from '../../src/core/ports.ts';
import { Inbox, type InboxPort } from './inbox.ts';
import { EMAIL_CHANNEL, receive, type MailThreads } from './receive.ts';
import { emailSender } from './send.ts';

/** How a conversation is reached by email: the customer's address and the thread to answer in. */
export const emailAddressSchema = z
  .object({
    email: z.string().nullish(),
    name: z.string().nullish(),
    subject: z.string().optional(),
    lastMessageId: z.string().optional(),
    references: z.array(z.string()).optional(),
  })
  .loose();

/** What the email channel needs from storage: its threads, where reading stopped, the lease, erasures to apply. */
export interface MailPort extends Omit<InboxPort, 'handle' | 'skip'> {
  threads: MailThreads;
}

/** The engine, as the mailbox reader uses it: one turn per mail, or a checkpoint past a mail that gets no answer. */
export interface MailTurns {
  handle(m: Inbound): Promise<unknown>;
  skip(checkpoint: { stream: string; position: string }): Promise<void>;
}

/** The email settings (validated configuration). */
export interface EmailSettings {
  IMAP_URL: string;
  SMTP_URL: string;
  MAIL_FROM: string;
  MAIL_POLL_SECONDS: number;
  MAIL_LEASE_SECONDS: number;
  MAIL_MAX_ATTACHMENT_BYTES: number;
  MAIL_RATE_LIMIT_PER_HOUR: number;
}

/** The email channel, with its sender (other channels and the staff digests send through it too) and its inbox. */
export type EmailChannel = Channel & { sender: ReturnType<typeof emailSender>; inbox?: Inbox };

/** Builds the email channel; `read` (a worker) adds the mailbox reader, started by {@link Channel.start}. */
export function emailChannel(o: {
  settings: EmailSettings;
  port: MailPort;
  turns: MailTurns;
  read: boolean;
  clock: () => Date;
  log: Logger;
}): EmailChannel {
  const { settings, port, turns, clock, log } = o;
  const sender = emailSender({ smtpUrl: settings.SMTP_URL, from: settings.MAIL_FROM });
  const ownAddress = /<([^<>]+)>/.exec(settings.MAIL_FROM)?.[1] ?? settings.MAIL_FROM;
  const skip = async (checkpoint: { stream: string; position: string } | undefined) => {
    if (checkpoint) await turns.skip(checkpoint);
  };
  const inbox = o.read
    ? new Inbox({
        url: settings.IMAP_URL,
        pollSeconds: settings.MAIL_POLL_SECONDS,
        leaseSeconds: settings.MAIL_LEASE_SECONDS,
        log,
        port: {
          position: port.position,
          lease: port.lease,
          erasures: port.erasures,
          skip: (checkpoint) => turns.skip(checkpoint),
          async handle(mail, raw, checkpoint) {
            const r = await receive(mail, {
              threads: port.threads,
              ownAddress,
              maxAttachmentBytes: settings.MAIL_MAX_ATTACHMENT_BYTES,
              rateLimitPerHour: settings.MAIL_RATE_LIMIT_PER_HOUR,
              checkpoint,
              now: clock(),
              raw,
            });
            if ('ignore' in r) {
              log.info({ messageId: mail.messageId, reason: r.ignore }, 'mail not answered');
              return skip(checkpoint);
            }
            try {
              await turns.handle(r.inbound);
            } catch (e) {
              // A message the engine refuses would block the mailbox forever: log it and move on. Anything else
              // (the database is down) is thrown, so the message is read again on the next check.
              if (!isRedressError(e, 'BAD_REQUEST')) throw e;
              log.error({ messageId: mail.messageId, err: e.message }, 'mail refused');
              await skip(checkpoint);
            }
          },
        },
      })
    : undefined;
  return {
    name: EMAIL_CHANNEL,
    addressSchema: emailAddressSchema,
    push: sender,
    sender,
    inbox,
    // Ready when the SMTP server, and the IMAP server this process reads, accept connections.
    ready: async () => {
      await tcpReachable(settings.SMTP_URL, 25, 'the SMTP server');
      if (inbox) await tcpReachable(settings.IMAP_URL, 143, 'the IMAP server');
    },
    start: () => inbox?.start(),
    stop: async () => inbox?.stop(),
    close: () => sender.close(),
  };
}
