/** Test harness for email: a real SMTP sink (smtp-server) and raw mail built as real clients send it. */
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { ImapFlow } from 'imapflow';
import iconv from 'iconv-lite';
import type { Dovecot } from './dovecot.ts';

/** An SMTP server that keeps every message it receives, parsed; `down()` makes it refuse, `up()` accept again. */
export async function startSink(port = 0) {
  const mails: ParsedMail[] = [];
  let refusing = false;
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, done) {
      if (refusing) {
        stream.resume();
        stream.on('end', () => done(Object.assign(new Error('451 try again later'), { responseCode: 451 })));
        return;
      }
      simpleParser(stream).then((m) => {
        mails.push(m);
        done();
      }, done);
    },
  });
  // A client killed mid-session (the fault tests SIGKILL the bot) resets its connection: that is the client's
  // failure, not the sink's, and must not become an uncaught error in the test process.
  server.on('error', () => undefined);
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  const actual = (server.server.address() as { port: number }).port;
  return {
    port: actual,
    url: `smtp://127.0.0.1:${actual}`,
    mails,
    down: () => (refusing = true),
    up: () => (refusing = false),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** One raw email. Body and subject are encoded in `charset` (utf-8, big5, gb2312...). */
export function rawMail(m: {
  from: string;
  to?: string;
  subject: string;
  body: string;
  messageId: string;
  inReplyTo?: string;
  references?: string[];
  headers?: Record<string, string>;
  charset?: string;
  /** text/plain (default) or text/html for the body part. */
  bodyType?: string;
  contentType?: string;
  attachment?: { name: string; type: string; content: Buffer };
}): Buffer {
  const charset = m.charset ?? 'utf-8';
  const enc = (s: string) => iconv.encode(s, charset).toString('base64');
  const head = [
    `From: ${m.from}`,
    `To: ${m.to ?? 'intake@example.com'}`,
    `Subject: =?${charset}?B?${enc(m.subject)}?=`,
    `Message-ID: ${m.messageId}`,
    `Date: ${new Date().toUTCString()}`,
    'MIME-Version: 1.0',
    ...(m.inReplyTo ? [`In-Reply-To: ${m.inReplyTo}`] : []),
    ...(m.references ? [`References: ${m.references.join(' ')}`] : []),
    ...Object.entries(m.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
  ];
  const text = [
    `Content-Type: ${m.bodyType ?? 'text/plain'}; charset=${charset}`,
    'Content-Transfer-Encoding: base64',
    '',
    wrap(enc(m.body)),
  ];
  if (!m.attachment && !m.contentType) return Buffer.from([...head, ...text].join('\r\n') + '\r\n');
  const boundary = 'b-redress-test';
  const parts = [
    ...head,
    `Content-Type: ${m.contentType ?? 'multipart/mixed'}; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    ...text,
    ...(m.attachment
      ? [
          `--${boundary}`,
          `Content-Type: ${m.attachment.type}; name="${m.attachment.name}"`,
          'Content-Transfer-Encoding: base64',
          `Content-Disposition: attachment; filename="${m.attachment.name}"`,
          '',
          wrap(m.attachment.content.toString('base64')),
        ]
      : [
          `--${boundary}`,
          'Content-Type: message/delivery-status',
          '',
          'Reporting-MTA: dns; mail.example.com',
          'Final-Recipient: rfc822; gone@example.com',
          'Action: failed',
          'Status: 5.1.1',
        ]),
    `--${boundary}--`,
  ];
  return Buffer.from(parts.join('\r\n') + '\r\n');
}

function wrap(b64: string): string {
  return b64.replace(/.{1,76}/g, '$&\r\n').trimEnd();
}

/** Puts mail into the Dovecot mailbox with IMAP APPEND, as a delivering MTA would. */
export async function append(d: Dovecot, ...mails: Buffer[]): Promise<void> {
  const c = new ImapFlow({
    host: '127.0.0.1',
    port: d.port,
    secure: false,
    auth: { user: d.user, pass: d.pass },
    logger: false,
  });
  await c.connect();
  try {
    for (const m of mails) await c.append('INBOX', m);
  } finally {
    await c.logout();
  }
}
