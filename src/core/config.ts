/** Configuration: one zod schema over the environment, validated once at start, every problem listed. */
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { configVariables } from './config-variables.ts';
import { RedressError } from './errors.ts';
import { signInProblems } from './config-sign-in.ts';

type Vars = typeof configVariables;
const shape = Object.fromEntries(Object.entries(configVariables).map(([k, [s]]) => [k, s])) as {
  [K in keyof Vars]: Vars[K][0];
};

/** The zod schema of all configuration variables. */
export const configSchema = z.object(shape);

// Rules across variables run on the raw input too, so they are listed even when another variable is invalid.
function crossProblems(c: Record<string, string | undefined>): string[] {
  const out: string[] = [];
  if (c.MicrosoftAppId && !c.MicrosoftAppPassword && c.MicrosoftAppType !== 'UserAssignedMSI') {
    out.push('MicrosoftAppPassword: is required when MicrosoftAppId is set');
  }
  if (c.DIGEST_TZ) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: c.DIGEST_TZ });
    } catch {
      out.push(`DIGEST_TZ: unknown time zone "${c.DIGEST_TZ}"`);
    }
  }
  // Reading mail needs a way to answer; sending (replies or digests) needs both the server and a sender address.
  if (c.IMAP_URL && !c.SMTP_URL) out.push('SMTP_URL: is required for the email channel (IMAP_URL is set)');
  if (c.SMTP_URL && !c.MAIL_FROM) out.push('MAIL_FROM: is required when SMTP_URL is set');
  if (c.MAIL_FROM && !c.SMTP_URL && !c.IMAP_URL) out.push('SMTP_URL: is required when MAIL_FROM is set');
  if (c.IMAP_URL && c.SMTP_URL && !c.MAIL_FROM && !out.some((p) => p.startsWith('MAIL_FROM')))
    out.push('MAIL_FROM: is required for the email channel');
  if (!!c.SLACK_BOT_TOKEN !== !!(c.SLACK_SIGNING_SECRET || c.SLACK_APP_TOKEN)) {
    out.push(
      `${c.SLACK_BOT_TOKEN ? 'SLACK_SIGNING_SECRET' : 'SLACK_BOT_TOKEN'}: is required for Slack (set SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET or SLACK_APP_TOKEN, or none of them)`,
    );
  }
  if (c.LLM_URL && !c.LLM_MODEL?.trim()) out.push('LLM_MODEL: is required when LLM_URL is set');
  if (c.MicrosoftAppType === 'SingleTenant' && !c.MicrosoftAppTenantId) {
    out.push('MicrosoftAppTenantId: is required when MicrosoftAppType is SingleTenant');
  }
  out.push(...signInProblems(c));
  return out;
}

/** Validated configuration. */
export type Config = z.infer<typeof configSchema>;

/** Reads configuration from `env`; throws CONFIG_INVALID naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings count as unset, as in most .env tooling.
  const input = Object.fromEntries(Object.keys(configVariables).map((k) => [k, env[k] === '' ? undefined : env[k]]));
  const parsed = configSchema.safeParse(input);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `${String(i.path[0] ?? '?')}: ${i.message}`)),
    ...crossProblems(input),
  ];
  if (parsed.success && problems.length === 0) return parsed.data;
  throw new RedressError('CONFIG_INVALID', `Invalid configuration:\n  - ${problems.join('\n  - ')}`, {
    cause: parsed.success ? undefined : parsed.error,
    details: problems,
  });
}

/** Loads `.env` into process.env when the file exists (variables already set win). */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

/** The configuration table of docs/configuration.md, generated from the schema so the two cannot drift. */
export function configTable(): string {
  const rows = Object.entries(configVariables).map(([name, [schema, doc]]) => {
    const d = (schema as z.ZodType).safeParse(undefined);
    const def = d.success && d.data !== undefined ? `\`${String(d.data)}\`` : '—';
    return `| \`${name}\` | ${def} | ${doc} |`;
  });
  return ['| Variable | Default | Meaning |', '| --- | --- | --- |', ...rows].join('\n');
}
