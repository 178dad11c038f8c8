/** Every configuration variable: its zod schema (type, bounds, default) and the sentence that documents it. */
import { createRequire } from 'node:module';
import { z } from 'zod';
import { llmVariables } from './config-llm.ts';
import { webChatStreamVariables } from './config-web-chat-stream.ts';
import { signInVariables } from './config-sign-in.ts';
import { webChatEmbedVariables } from './config-web-chat.ts';
import { webChatUploadVariables } from './config-web-chat-upload.ts';
import { webhookVariables } from '../webhooks/config.ts';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const optionalText = z.string().trim().min(1).optional();

// The cron parser pg-boss itself runs schedules with (its dependency, resolved from pg-boss so it is the same copy):
// a schedule accepted here is one pg-boss can run. Loaded only when a schedule is set.
const cronProblem = (v: string): string | undefined => {
  if (v.trim().split(/\s+/).length !== 5) return 'must be a 5-field cron expression (minute hour day month weekday)';
  const cron = createRequire(createRequire(import.meta.url).resolve('pg-boss'))('cron-parser') as {
    parseExpression(expression: string): unknown;
  };
  try {
    cron.parseExpression(v);
    return undefined;
  } catch (e) {
    return `invalid cron expression: ${(e as Error).message}`;
  }
};
const cronExpression = z
  .string()
  .trim()
  .superRefine((v, ctx) => {
    const problem = cronProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .optional();

/** Each variable with its schema and the sentence docs/configuration.md shows, in the table's order. */
export const configVariables = {
  PORT: [port.default(3978), 'HTTP port of the bot (web chat, Direct Line, staff API).'],
  HOST: [z.string().default('0.0.0.0'), 'Interface to listen on.'],
  DATA_DIR: [
    z.string().default('./data'),
    'Where the embedded PostgreSQL (PGlite) keeps its files when DATABASE_URL is not set.',
  ],
  DATABASE_URL: [
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    'A PostgreSQL server to use instead of the embedded one.',
  ],
  DATABASE_POOL_SIZE: [positiveInt.max(200).default(10), 'Connections in the pool to DATABASE_URL.'],
  ADMIN_TOKEN: [
    z.string().min(16, 'must be at least 16 characters').optional(),
    'Bearer token for the staff API (/api/tickets), also a dashboard sign-in as manager of every department. The staff API answers 401 to everyone while it is unset; with neither it nor OIDC_ISSUER set, a one-time dashboard sign-in link is printed at start (docs/sign-in.md).',
  ],
  API_TOKEN: [
    z.string().min(16, 'must be at least 16 characters').optional(),
    'Bearer token for systems that upload call transcripts (POST /api/transcripts); separate from the staff token.',
  ],
  TRANSCRIPT_MAX_BYTES: [positiveInt.default(10_485_760), 'Largest transcript upload accepted (413 above it).'],
  TRANSCRIPT_MAX_LINES: [
    positiveInt.max(1_000_000).default(5000),
    'Most lines a transcript may have (WebVTT or SRT cues, non-empty plain-text lines, JSON segments, speaker turns); more is refused with 413 TRANSCRIPT_TOO_LONG, counted before the file is parsed where the format allows.',
  ],
  DIRECT_LINE_SECRET: [
    z.string().min(32, 'must be at least 32 characters').optional(),
    'Secret that signs Direct Line tokens. When unset, one is generated and kept in the database so every process shares it.',
  ],
  IMAP_URL: [
    z
      .string()
      .regex(/^imaps?:\/\//, 'must be an imap:// or imaps:// URL')
      .optional(),
    'Mailbox complaints arrive in, e.g. imaps://intake%40example.com:secret@mail.example.com/INBOX. The email channel is on when IMAP_URL, SMTP_URL and MAIL_FROM are all set; SMTP_URL and MAIL_FROM alone send digests.',
  ],
  SMTP_URL: [
    z
      .string()
      .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
      .optional(),
    'Where replies and follow-ups are sent, e.g. smtps://user:pass@smtp.example.com.',
  ],
  MAIL_FROM: [z.string().min(3).optional(), 'Sender of replies, e.g. "Complaints <complaints@example.com>".'],
  MAIL_POLL_SECONDS: [positiveInt.max(3600).default(30), 'How often the mailbox is checked besides IMAP IDLE.'],
  MAIL_LEASE_SECONDS: [
    z.coerce.number().int().min(3).max(3600).default(30),
    'Lease on the mailbox: one process reads it; another takes over this long after the holder dies.',
  ],
  MAIL_MAX_ATTACHMENT_BYTES: [
    positiveInt.default(10_485_760),
    'Largest attachment kept; larger ones are refused with a polite note in the reply.',
  ],
  MAIL_RATE_LIMIT_PER_HOUR: [
    positiveInt.default(10),
    'Messages from one sender per hour that get an answer; more are recorded as ignored (mail storms).',
  ],
  OUTBOX_SWEEP_SECONDS: [
    positiveInt.max(3600).default(15),
    'How often unsent replies on push channels (email) are retried.',
  ],
  OUTBOX_LEASE_SECONDS: [
    z.coerce.number().int().min(2).max(3600).default(120),
    'How long a process may take to send a claimed reply before another process sends it (after a crash: the resend keeps its Message-ID).',
  ],
  SLACK_BOT_TOKEN: [
    z
      .string()
      .regex(/^xoxb-/, 'must be a bot token (xoxb-…)')
      .optional(),
    'Slack bot token; with SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN) it turns on the staff console at POST /slack/events.',
  ],
  SLACK_APP_TOKEN: [
    z
      .string()
      .regex(/^xapp-/, 'must be an app-level token (xapp-…)')
      .optional(),
    'Slack app-level token with connections:write: Socket Mode, so Redress needs no public URL for Slack.',
  ],
  SLACK_SIGNING_SECRET: [
    z.string().min(8).optional(),
    'Slack signing secret: every request to /slack/events must carry a valid signature.',
  ],
  SLACK_API_URL: [
    z.string().url().optional(),
    'Slack Web API base URL (Enterprise Grid proxies, tests), e.g. https://slack.com/api/.',
  ],
  SLACK_SYNC_SECONDS: [positiveInt.max(3600).default(5), 'How often ticket changes are synced to the Slack console.'],
  ...signInVariables,
  ...webhookVariables,
  METRICS_TOKEN: [
    z.string().min(16, 'must be at least 16 characters').optional(),
    'Bearer token for GET /metrics (Prometheus). When unset ADMIN_TOKEN is used; with neither, /metrics is not served.',
  ],
  TRUST_PROXY: [
    z.coerce.number().int().min(0).max(10).default(0),
    'Reverse proxies in front of Redress. Above 0, the client address for rate limits is read from X-Forwarded-For, that many entries from the right, and X-Forwarded-Proto the same way (https: the dashboard session cookie is Secure).',
  ],
  MAX_REQUESTS_IN_FLIGHT: [
    z.coerce.number().int().min(0).default(2000),
    'Requests one process works on at once; more get 503 SERVER_BUSY with Retry-After: 1 (0: no bound). Bounds memory under a spike: a waiting request holds about 30 KB, well within the 192 MB heap `npm run serve` sets.',
  ],
  RATE_LIMIT_PUBLIC_PER_MINUTE: [
    z.coerce.number().int().min(0).default(600),
    'Requests per minute one open chat (its Direct Line token) may make inside its conversation (0: no limit); one client address may make 10 times as many public requests in all (web chat pages, new chats, chats), so offices and mobile carriers with many customers behind one address are served. Web Chat polls about once a second per open chat. Counted per process.',
  ],
  RATE_LIMIT_WEBHOOK_PER_MINUTE: [
    z.coerce.number().int().min(0).default(1200),
    'Requests per minute per address to /slack/events and /api/messages (0: no limit). Counted per process.',
  ],
  RATE_LIMIT_STAFF_PER_MINUTE: [
    z.coerce.number().int().min(0).default(120),
    'Requests per minute per address to the staff API, the dashboard and /metrics (0: no limit). Counted per process.',
  ],
  RATE_LIMIT_UPLOAD_PER_MINUTE: [
    z.coerce.number().int().min(0).default(120),
    'Transcript uploads per minute per address (0: no limit). Counted per process.',
  ],
  AUTH_FAILURES_PER_15_MINUTES: [
    positiveInt.max(1000).default(10),
    'Wrong tokens one address may present to the staff API, dashboard login, /metrics or transcript uploads in 15 minutes before it gets 429 there.',
  ],
  ROLE: [
    z.enum(['all', 'web', 'worker']).default('all'),
    'What this process does: web (HTTP: chat, APIs, Slack events), worker (mailbox, follow-ups, outbox retries, Slack sync and Socket Mode, digests, retention) or all. Also `serve --role`.',
  ],
  RETENTION_DAYS: [
    z.coerce.number().int().min(0).max(36_500).default(0),
    'Days a conversation whose tickets are all resolved, closed or withdrawn may stay quiet before its personal data is purged (ticket figures stay); 0 keeps everything.',
  ],
  DIGEST_TZ: [z.string().default('UTC'), 'Time zone of the digest schedule and of its days, e.g. Europe/London.'],
  DIGEST_DAILY_AT: [
    z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM')
      .default('08:00'),
    'When the daily digest (yesterday) is sent, in DIGEST_TZ.',
  ],
  DIGEST_WEEKLY_AT: [
    z
      .string()
      .regex(/^(MON|TUE|WED|THU|FRI|SAT|SUN) ([01]\d|2[0-3]):[0-5]\d$/, 'must be like MON 08:00')
      .default('MON 08:00'),
    'When the weekly digest (the last Monday-to-Sunday week) is sent, in DIGEST_TZ.',
  ],
  MicrosoftAppId: [optionalText, 'Azure Bot registration: app id (leave unset for unsigned local use).'],
  MicrosoftAppPassword: [optionalText, 'Azure Bot registration: client secret.'],
  MicrosoftAppType: [
    z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional(),
    'Azure Bot registration: app type.',
  ],
  MicrosoftAppTenantId: [optionalText, 'Azure Bot registration: tenant id (SingleTenant and UserAssignedMSI).'],
  BOT_FRAMEWORK_OPEN: [
    z.enum(['0', '1']).default('0'),
    'Without MicrosoftAppId, POST /api/messages is off (404 CHANNEL_OFF); 1 opens it without authentication for local testing with the Bot Framework Emulator, replying only to loopback serviceUrls (from a client on this machine) and those in BOT_FRAMEWORK_SERVICE_URLS.',
  ],
  BOT_FRAMEWORK_SERVICE_URLS: [
    z
      .string()
      .optional()
      .refine(
        (v) =>
          !v ||
          v
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean)
            .every((x) => /^https?:\/\/[^/@\s]+/.test(x) && URL.canParse(x)),
        'must be comma-separated http:// or https:// URLs without credentials',
      ),
    'Comma-separated serviceUrls the bot may send to besides Microsoft channel hosts (https on *.botframework.com, *.botframework.azure.us, smba.trafficmanager.net, *.teams.microsoft.com, *.teams.microsoft.us); each allows its origin and the paths under its path, e.g. https://bots.example.com/connector/.',
  ],
  ROUTING_CONFIG: [
    z.string().default('dialogs/routing.yaml'),
    'Routing configuration file (departments, categories, severity rules, SLAs).',
  ],
  ROUTER_MODEL: [
    optionalText,
    'Trained router model file (npx redress router train); overrides the model file named in the routing configuration.',
  ],
  ROUTER_RETRAIN_CRON: [
    cronExpression,
    'When a worker retrains the router from staff reassignments, as a 5-field cron expression in DIGEST_TZ, e.g. 0 3 * * SUN; unset: never. The new model replaces the one in use only when it scores at least as well (macro-F1) on the most recent reassigned tickets; every decision is recorded with both scores, and every process picks a replaced model up within a minute.',
  ],
  DEFAULT_LANGUAGE: [
    z.enum(['en', 'zh-Hans', 'zh-Hant']).default('en'),
    'Language used before a customer has written anything recognisable.',
  ],
  DEFAULT_PHONE_REGION: [
    z
      .string()
      .regex(/^[A-Z]{2}$/, 'must be a two-letter ISO country code such as US or CN')
      .default('US'),
    'Region assumed for phone numbers written without a country code.',
  ],
  WEB_CHAT_RESUME_DAYS: [
    positiveInt.max(400).default(30),
    'Days a web-chat browser can reopen its conversation (the resume token in localStorage); each visit starts them again.',
  ],
  WEB_CHAT_AWAY_SECONDS: [
    positiveInt.max(86_400).default(120),
    'Seconds without the chat page reading the conversation after which a message sent outside a turn (follow-up, staff reply, resolution) also goes to the email the customer gave.',
  ],
  ...webChatEmbedVariables,
  ...webChatStreamVariables,
  ...webChatUploadVariables,
  SATISFACTION_CHECK_DAYS: [
    positiveInt.max(90).default(7),
    'Days after resolution when the customer is asked whether they are satisfied.',
  ],
  SECOND_FOLLOWUP_DAYS: [
    positiveInt.max(90).default(3),
    'Days after an unhappy answer when the second follow-up goes out.',
  ],
  ACKNOWLEDGEMENT_DELAY_MINUTES: [
    z.coerce.number().int().min(0).max(1440).default(60),
    'Minutes after a ticket opens when the written acknowledgement is sent.',
  ],
  SLA_REMINDER_FRACTION: [
    z.coerce.number().gt(0).lt(1).default(0.8),
    'Share of the SLA that may pass before staff are reminded.',
  ],
  MAX_MESSAGE_CHARS: [
    positiveInt.max(20_000).default(4000),
    'Longest message the dialog reads; longer text is cut with a notice to the customer.',
  ],
  UNDERSTANDING_BUDGET_MS: [
    positiveInt.max(10_000).default(100),
    'Time the dialog may spend understanding one message; past it, it goes on with what it understood (a backstop: normal messages take a few ms).',
  ],
  ...llmVariables,
  DIRECT_LINE_PAGE_MAX_BYTES: [
    z.coerce.number().int().min(32_768).max(16_777_216).default(262_144),
    'Largest answer to GET /v3/directline/conversations/:id/activities, in bytes (besides at most 500 activities): a longer backlog comes in several pages, the watermark at the last activity sent.',
  ],
  HEAVY_READS_MAX: [
    z.coerce.number().int().min(0).max(1000).default(4),
    'Heavy reads one process serves at once, of each kind: full Direct Line pages, summaries and CSV exports (with the dashboard), transcript uploads. Past it summaries, exports and uploads get 503 SERVER_BUSY with Retry-After: 1 and a chat poll gets a smaller page (0: no bound).',
  ],
  SUMMARY_MAX_DAYS: [
    positiveInt.max(36_600).default(731),
    'Longest period /api/summary, /api/tickets.csv and the dashboard answer for (two years); a longer one is refused with 400 PERIOD_TOO_LONG.',
  ],
  MAX_BODY_BYTES: [positiveInt.max(10_000_000).default(262_144), 'Largest HTTP request body accepted (413 above it).'],
  FOLLOWUP_SWEEP_SECONDS: [
    z.coerce.number().min(0.1).max(3600).default(30),
    'How often each worker looks for follow-ups that are due (fractions allowed), besides the pg-boss job that wakes it at each due time.',
  ],
  LOG_LEVEL: [
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    'pino log level.',
  ],
} as const;
