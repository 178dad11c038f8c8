/** Shared pieces of the security tests: the hostile customer text, a Direct Line client, an SMTP sink that keeps envelopes. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { parse, stringify } from 'yaml';
import type { Redress } from '../../src/main.ts';
import { startDovecot } from '../channels/email/dovecot.ts';
import { startFakeSlack } from '../channels/slack/fake-slack.ts';
import { DATABASE_URL, missing, startTestApp } from '../helpers.ts';

/**
 * Hostile pieces a customer may type. The script payloads set `window.__pwned`, so a browser test can tell whether
 * any of them ran; they avoid '.', '!' and '?' so the restatement (which works in sentences) keeps them whole.
 */
export const HOSTILE = {
  script: '<script>__pwned=1</script>',
  img: '<img src=x onerror=__pwned=2>',
  mdLink: '[click](javascript:__pwned=3)',
  aLink: '<a href=javascript:__pwned=4>here</a>',
  bold: '**bold**',
  ping: '<!channel> <@U123>',
  slackLink: '<javascript:__pwned=5|open>',
  rlo: '\u202E',
} as const;

/**
 * One complaint carrying every hostile piece; the right-to-left override within the first 200 characters (the
 * dashboard's quote). Its story names no kind of problem the dialog knows ("made a strange sound"), so the restatement
 * retells the customer's own words, hostile pieces included, and every place that shows a restatement is tested too.
 */
export const HOSTILE_COMPLAINT =
  `My kettle from order 4411 made a strange sound yesterday ${HOSTILE.script} ${HOSTILE.img} ${HOSTILE.mdLink} ${HOSTILE.aLink} ${HOSTILE.bold} ${HOSTILE.rlo}gnp ${HOSTILE.ping} ${HOSTILE.slackLink}` +
  `. I want a refund. Ana Ruiz, ana.ruiz@example.com`;

/** Spreadsheet formula payloads, each the start of a complaint (so of its restatement, a CSV cell). */
export const FORMULAS = [
  '=HYPERLINK("http://evil.example","x")',
  "+cmd|' /C calc'!A0",
  '-2+3+cmd|" /C calc"!A0',
  '@SUM(1+1)*cmd|" /C calc"!A0',
] as const;

/** The routing configuration with a Slack channel per department (C + the department id), in a file of its own. */
export function slackRouting(): {
  file: string;
  channelOf: (department: string) => string;
  departments: Array<{ id: string; slack_channel: string }>;
} {
  const routing = parse(readFileSync('dialogs/routing.yaml', 'utf8'));
  for (const d of routing.departments) d.slack_channel = `C${d.id.toUpperCase().replace(/_/g, '')}`;
  const file = join(mkdtempSync(join(tmpdir(), 'redress-security-')), 'routing.yaml');
  writeFileSync(file, stringify(routing));
  return { file, channelOf: (id) => `C${id.toUpperCase().replace(/_/g, '')}`, departments: routing.departments };
}

/** A Direct Line conversation driven over plain HTTP, as the official client does it. */
export function directLine(app: Redress) {
  let n = 0;
  const base = `${app.url}/v3/directline`;
  return {
    async open(): Promise<{ conversationId: string; token: string }> {
      const r = await fetch(`${base}/tokens/generate`, { method: 'POST' });
      if (r.status !== 200) throw new Error(`tokens/generate answered ${r.status}`);
      return (await r.json()) as { conversationId: string; token: string };
    },
    async say(c: { conversationId: string; token: string }, text: string): Promise<void> {
      const r = await fetch(`${base}/conversations/${c.conversationId}/activities`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${c.token}` },
        body: JSON.stringify({
          type: 'message',
          from: { id: 'customer' },
          text,
          channelData: { clientActivityID: `sec-${n++}` },
        }),
      });
      if (r.status !== 200) throw new Error(`posting "${text}" answered ${r.status}: ${await r.text()}`);
    },
    async activities(c: {
      conversationId: string;
      token: string;
    }): Promise<Array<{ text: string; textFormat?: string; from: { role: string } }>> {
      const r = await fetch(`${base}/conversations/${c.conversationId}/activities`, {
        headers: { authorization: `Bearer ${c.token}` },
      });
      if (r.status !== 200) throw new Error(`reading activities answered ${r.status}`);
      return ((await r.json()) as { activities: Array<{ text: string; textFormat?: string; from: { role: string } }> })
        .activities;
    },
    /** Files a complaint given in one message (confirmed with "yes"); returns its ticket reference. */
    async complain(
      text: string,
    ): Promise<{ reference: string; conversation: { conversationId: string; token: string } }> {
      const c = await this.open();
      await this.say(c, text);
      await this.say(c, 'yes');
      const said = (await this.activities(c))
        .filter((a) => a.from.role === 'bot')
        .map((a) => a.text)
        .join('\n');
      const reference = /recorded your complaint as (CMP-\d{6,})/.exec(said)?.[1];
      if (!reference) throw new Error(`no ticket for ${JSON.stringify(text)}; the bot said: ${said}`);
      return { reference, conversation: c };
    },
  };
}

/** One message as the SMTP sink received it: the envelope, the raw bytes and the parsed mail. */
export interface SunkMail {
  envelope: { from: string; to: string[] };
  raw: Buffer;
  mail: ParsedMail;
}

/** An SMTP server that keeps every message with its envelope (who it really went to) and raw bytes. */
export async function startEnvelopeSink() {
  const mails: SunkMail[] = [];
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then((mail) => {
          const env = session.envelope;
          mails.push({
            envelope: { from: env.mailFrom ? env.mailFrom.address : '', to: env.rcptTo.map((r) => r.address) },
            raw,
            mail,
          });
          done();
        }, done);
      });
    },
  });
  server.on('error', () => undefined); // a client's reset connection is the client's failure, not the sink's
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.server.address() as { port: number }).port;
  return { url: `smtp://127.0.0.1:${port}`, mails, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** The addresses a parsed mail's header names (To, Cc, Bcc...). */
export function addresses(field: ParsedMail['to']): string[] {
  if (!field) return [];
  return [field].flat().flatMap((a) => a.value.map((v) => v.address ?? ''));
}

/** The header block of a raw message, unfolded, one header a line. */
export function headerLines(raw: Buffer): string[] {
  const text = raw.toString('utf8');
  const end = text.indexOf('\r\n\r\n');
  return text
    .slice(0, end < 0 ? undefined : end)
    .replace(/\r\n[ \t]+/g, ' ')
    .split('\r\n');
}

/**
 * A Redress with every channel these suites need: Slack (signed requests against the fake Web API, one staff member
 * in each department channel), email through Dovecot and the envelope sink (when Dovecot is installed), Direct Line.
 */
export async function startSecurityApp(opts: { env: Record<string, string>; clock?: () => Date; slackSecret: string }) {
  const routing = slackRouting();
  const slack = await startFakeSlack();
  for (const d of routing.departments) slack.members(d.slack_channel, ['U0STAFF01']);
  const sink = await startEnvelopeSink();
  const dovecot = missing('dovecot') ? undefined : await startDovecot();
  const app = await startTestApp(DATABASE_URL ? 'pg' : 'pglite', {
    jobs: false,
    clock: opts.clock,
    env: {
      ...opts.env,
      ROUTING_CONFIG: routing.file,
      SLACK_BOT_TOKEN: 'xoxb-security-test',
      SLACK_SIGNING_SECRET: opts.slackSecret,
      SLACK_API_URL: slack.url,
      ...(dovecot
        ? {
            IMAP_URL: dovecot.url,
            SMTP_URL: sink.url,
            MAIL_FROM: 'Complaints <complaints@shop.example>',
            MAIL_POLL_SECONDS: '1',
          }
        : {}),
    },
  });
  return {
    app,
    slack,
    sink,
    dovecot,
    async stop() {
      await app.stop();
      await slack.close();
      await sink.close();
      await dovecot?.stop();
    },
  };
}
