/** `redress` command line: serve, migrate, and (later) every other job. */
import { loadConfig, loadDotEnv } from '../core/config.ts';
import { isRedressError, RedressError } from '../core/errors.ts';
import { ROUTER_HELP, routeCommand, routerCommand } from './router.ts';
import { CUSTOMER_HELP } from './customer.ts';
import { VOLUMES_HELP } from './volumes.ts';

const HELP = `Usage: redress <command>

Commands:
  serve [--role all|web|worker]
            Start the bot (web chat, Direct Line, Bot Framework endpoint, staff API, follow-ups); --role web serves
            HTTP only, --role worker does the background work (mailbox, follow-ups, Slack sync, digests, retention)
  migrate   Apply pending database migrations and exit
  router    Train and measure the department router on past complaints (see below)
  route     Route one complaint text and print the decision as JSON
  transcript <file> [--call-id ID] [--caller-phone N] [--caller-email E] [--dry-run]
            File a call transcript (text, WebVTT, SRT, Amazon, Google or Twilio JSON) as a ticket and print it;
            --dry-run prints the extracted record with its evidence instead
  customer  Erase one customer's personal data, purge closed conversations, import tiers (see below)
  volumes   Import order and customer volumes for complaint rates (see below)
  help      Show this help

Router:
${ROUTER_HELP}

Customer data:
${CUSTOMER_HELP}

Volumes:
${VOLUMES_HELP}

Configuration comes from environment variables and an optional .env file; see docs/configuration.md.
Exit codes: 0 done, 1 failed, 2 bad usage, 3 DATA_DIR is in use by another process, 4 the port is in use.`;

/** Runs the CLI with `argv` (without node and script). */
export async function main(argv: string[]): Promise<void> {
  const [command = 'help'] = argv;
  try {
    if (command === 'help' || command === '--help' || command === '-h') {
      console.log(HELP);
      return;
    }
    loadDotEnv();
    if (command === 'serve') {
      const role = roleArgument(argv.slice(1));
      const config = loadConfig(role ? { ...process.env, ROLE: role } : process.env);
      const { startRedress } = await import('../main.ts');
      const app = await startRedress(config).catch((e) => {
        // A half-started server holds pools and timers open: say why and leave, so a supervisor restarts it.
        console.error(isRedressError(e) ? `${e.code}: ${e.message}` : e);
        process.exit(exitCode(e));
      });
      const stop = async (signal: string) => {
        app.log.info({ signal }, 'stopping');
        await app.stop();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
      return;
    }
    if (command === 'migrate') {
      const config = loadConfig();
      const { openDb } = await import('../store/db.ts');
      const { migrate } = await import('../store/migrate.ts');
      const db = await openDb({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
      const applied = await migrate(db);
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
      await db.close();
      return;
    }
    if (command === 'customer') {
      const config = loadConfig();
      const { openDb } = await import('../store/db.ts');
      const { migrate } = await import('../store/migrate.ts');
      const { customerCommand } = await import('./customer.ts');
      const db = await openDb({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
      try {
        await migrate(db); // the erasures table may be newer than the database
        const { loadRoutingConfig } = await import('../router/routing-file.ts');
        const result = await customerCommand(argv.slice(1), db, {
          phoneRegion: config.DEFAULT_PHONE_REGION,
          // Only an import needs it: an erasure must not wait on a routing.yaml being fixed.
          routing: argv[1] === 'import' ? loadRoutingConfig(config.ROUTING_CONFIG) : undefined,
        });
        // An import with refused rows did the good ones, but a script must notice the rest.
        if ((result as { errors?: unknown[] } | undefined)?.errors?.length) process.exitCode = 1;
      } finally {
        await db.close();
      }
      return;
    }
    if (command === 'volumes') {
      const config = loadConfig();
      const { openDb } = await import('../store/db.ts');
      const { migrate } = await import('../store/migrate.ts');
      const { volumesCommand } = await import('./volumes.ts');
      const { loadRoutingConfig } = await import('../router/routing-file.ts');
      const db = await openDb({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
      try {
        await migrate(db);
        const result = await volumesCommand(argv.slice(1), db, { routing: loadRoutingConfig(config.ROUTING_CONFIG) });
        // Refused rows mean nothing was imported: a script must notice.
        if (result.errors.length) process.exitCode = 1;
      } finally {
        await db.close();
      }
      return;
    }
    if (command === 'router') return await routerCommand(argv.slice(1));
    if (command === 'route') return await routeCommand(argv.slice(1));
    if (command === 'transcript') {
      // The CLI is a composition root like src/main.ts: the one other place that reaches into a channel.
      const config = loadConfig();
      const { transcriptCommand } = await import('../../channels/phone/cli.ts');
      const { submitCall } = await import('./transcript.ts');
      const { phoneCommandChannel } = await import('./phone-channel.ts');
      const phone = phoneCommandChannel(config);
      try {
        return await transcriptCommand(argv.slice(1), (m) => submitCall(config, m, phone), config.TRANSCRIPT_MAX_LINES);
      } finally {
        await phone?.close?.();
      }
    }
    console.error(`Unknown command "${command}".\n\n${HELP}`);
    process.exitCode = 2;
  } catch (e) {
    console.error(isRedressError(e) ? `${e.code}: ${e.message}` : e);
    process.exitCode = exitCode(e);
  }
}

/** Exit codes a supervisor or script can tell apart (anything else is 1). */
export const EXIT_CODES = { USAGE: 2, DATA_DIR_LOCKED: 3, PORT_IN_USE: 4 } as const;

function exitCode(e: unknown): number {
  return isRedressError(e) && e.code in EXIT_CODES ? EXIT_CODES[e.code as keyof typeof EXIT_CODES] : 1;
}

/** `--role web|worker|all` (or `--role=…`) from serve's arguments; undefined when not given. */
function roleArgument(args: string[]): string | undefined {
  const i = args.findIndex((a) => a === '--role' || a.startsWith('--role='));
  if (i < 0) return undefined;
  const value = args[i].includes('=') ? args[i].split('=')[1] : args[i + 1];
  if (!value || !['all', 'web', 'worker'].includes(value))
    throw new RedressError('USAGE', `--role must be all, web or worker (got ${value ?? 'nothing'})`);
  return value;
}
