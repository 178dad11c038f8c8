/** The channels this process runs, each built from its settings and the port it declares (the composition root). */
import { randomBytes } from 'node:crypto';
import { botFrameworkChannel } from '../../channels/web-chat/bot-framework-channel.ts';
import { webChatChannel } from '../../channels/web-chat/channel.ts';
import { WEB_CHAT_CHANNEL } from '../../channels/web-chat/direct-line.ts';
import { phoneChannel } from '../../channels/phone/channel.ts';
import type { EmailChannel } from '../../channels/email/channel.ts';
import type { SlackConsole } from '../../channels/slack/console.ts';
import type { Core } from '../core/build-core.ts';
import type { Channel } from '../core/channel.ts';
import { HeavyReads } from '../http/heavy-reads.ts';
import { ticketView } from '../staff/tickets.ts';
import { emailThreads, mailboxLease, mailboxPosition } from '../store/mail.ts';
import { finishMailboxErasures, pendingMailboxErasures } from '../store/mailbox-erasures.ts';
import { getOrCreateSetting } from '../store/settings.ts';
import { ticketByReference } from '../store/tickets.ts';
import { webChatBackend } from '../store/web-chat.ts';
import { slackChannel } from './slack.ts';
import { STAFF_CHANNEL, staffAddressSchema, staffPush } from '../staff/staff-logged.ts';

/** The enabled channels, and the two whose parts the process also uses (email's sender and inbox, Slack's client). */
export interface Channels {
  all: Channel[];
  email?: EmailChannel;
  slack?: SlackConsole;
}

/** Builds every enabled channel: web chat, Bot Framework and phone always; email and Slack when configured. */
export async function enabledChannels(
  core: Core,
  o: { worker: boolean; background: boolean; heavy: (name: string) => HeavyReads },
): Promise<Channels> {
  const { config, db, engine, clock, log } = core;
  const handle = (m: Parameters<typeof engine.handle>[0]) => engine.handle(m);
  const email = await emailChannel(core, o.worker);
  const secret =
    config.DIRECT_LINE_SECRET ??
    (await getOrCreateSetting(db, 'direct_line_secret', () => randomBytes(32).toString('base64url')));
  const slack = await slackChannel(core, o.background);
  const all: Channel[] = [
    webChatChannel({
      backend: webChatBackend(db, WEB_CHAT_CHANNEL, handle, clock),
      secret,
      resumeDays: config.WEB_CHAT_RESUME_DAYS,
      embedOrigins: config.WEB_CHAT_EMBED_ORIGINS,
      clock,
      maxBodyBytes: config.MAX_BODY_BYTES,
      pageMaxBytes: config.DIRECT_LINE_PAGE_MAX_BYTES,
      stream: {
        maxSockets: config.WEB_CHAT_STREAMS_MAX,
        opensPerMinute: config.WEB_CHAT_STREAM_OPENS_PER_MINUTE,
        trustProxy: config.TRUST_PROXY,
        onLimited: () => core.metrics.rateLimited('public', 'requests'),
      },
      heavyReads: o.heavy('full activity pages'),
      upload: {
        maxBytes: config.WEB_CHAT_UPLOAD_MAX_BYTES,
        types: config.WEB_CHAT_UPLOAD_TYPES,
        busy: o.heavy('web chat uploads'),
      },
      log,
    }),
    botFrameworkChannel({ settings: config, handle, maxBodyBytes: config.MAX_BODY_BYTES, log }),
    phoneChannel({
      apiToken: config.API_TOKEN,
      maxBytes: config.TRANSCRIPT_MAX_BYTES,
      maxLines: config.TRANSCRIPT_MAX_LINES,
      heavyReads: o.heavy('transcript uploads'),
      clock,
      log,
      backend: { handle, ticket: async (ref) => ticketView(db, (await ticketByReference(db, ref))!) },
      // A caller with an email address found in the call hears back by email (a new thread).
      email: email?.push,
    }),
    ...(email ? [email] : []),
    // Complaints staff log (POST /api/tickets): the acknowledgement goes by email when the customer gave an address.
    ...(email ? [{ name: STAFF_CHANNEL, addressSchema: staffAddressSchema, push: staffPush(email.push!) }] : []),
    ...(slack ? [slack.channel] : []),
  ];
  return { all, email, slack: slack?.console };
}

/** The email channel when IMAP_URL, SMTP_URL and MAIL_FROM are set (its libraries are loaded only then). */
async function emailChannel(core: Core, read: boolean): Promise<EmailChannel | undefined> {
  const { config, db, engine, clock, log } = core;
  const { IMAP_URL, SMTP_URL, MAIL_FROM } = config;
  if (!IMAP_URL || !SMTP_URL || !MAIL_FROM) return undefined;
  const m = await import('../../channels/email/channel.ts');
  const { EMAIL_CHANNEL } = await import('../../channels/email/receive.ts');
  return m.emailChannel({
    settings: { ...config, IMAP_URL, SMTP_URL, MAIL_FROM },
    port: {
      threads: emailThreads(db, EMAIL_CHANNEL),
      position: (stream) => mailboxPosition(db, stream),
      lease: mailboxLease(db),
      erasures: {
        pending: (limit) => pendingMailboxErasures(db, limit),
        done: (ids) => finishMailboxErasures(db, ids),
      },
    },
    turns: engine,
    read,
    clock,
    log,
  });
}
