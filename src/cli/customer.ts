/** `redress customer erase|purge|import`: a customer's right to erasure, the retention purge by hand, tier imports. */
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import type { CountryCode } from 'libphonenumber-js';
import { RedressError } from '../core/errors.ts';
import { eraseCustomer } from '../privacy/erase.ts';
import { previewClosed, purgeClosed } from '../jobs/retention.ts';
import type { Db } from '../store/db.ts';
import type { RoutingConfig } from '../../dialogs/routing-config.ts';
import { importTiers } from './customer-import.ts';

/** Help for the customer commands. */
export const CUSTOMER_HELP = `  customer erase <email|phone> [--yes] [--actor NAME]
            Erase one customer's personal data (every conversation reachable by that email or phone): message texts,
            attachments, names, contact points, addresses and the words in their tickets; replies still waiting and
            scheduled follow-ups are cancelled. Ticket figures (department, category, severity, status, times, SLA,
            score) stay. Without --yes it is a dry run: it prints what would be erased and changes nothing. With --yes
            it is recorded in the erasures table (who, when, counts and a keyed hash of the identifier, never the
            identifier). Phone numbers without a country code are read in DEFAULT_PHONE_REGION.
  customer purge --days N [--dry-run] [--actor NAME]
            Purge, the same way, conversations whose tickets are all resolved, closed or withdrawn and that have
            been quiet for N days (RETENTION_DAYS does this automatically while the bot runs)
  customer import <file.csv> [--actor NAME]
            Set customer tiers from a CSV file with a header row: tier, and one or more of email, phone (read in
            DEFAULT_PHONE_REGION without a country code) and account (a channel account such as slack:U0123456789).
            Tiers are routing.yaml's. Bad rows are listed with their line numbers and the good ones imported;
            importing the same file again changes nothing. Exits 1 when some rows were refused`;

const usage = (m: string) => new RedressError('USAGE', `${m}\n\nUsage:\n${CUSTOMER_HELP}`);
const out = (x: unknown) => process.stdout.write(`${JSON.stringify(x, null, 2)}\n`);

function defaultActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

/** `redress customer <sub> ...`; prints the result as JSON and returns it. */
export async function customerCommand(
  argv: string[],
  db: Db,
  o: { phoneRegion?: string; now?: () => Date; routing?: RoutingConfig } = {},
): Promise<unknown> {
  const [sub, ...rest] = argv;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        yes: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        days: { type: 'string' },
        actor: { type: 'string' },
      },
    });
  } catch (e) {
    throw usage((e as Error).message);
  }
  const { values, positionals } = parsed;
  const actor = values.actor ?? defaultActor();
  const now = (o.now ?? (() => new Date()))();
  if (sub === 'erase') {
    if (positionals.length !== 1) throw usage('customer erase takes one email address or phone number');
    const id = positionals[0];
    const who = id.includes('@') ? { email: id } : { phone: id };
    const result = await eraseCustomer(db, who, {
      actor,
      now,
      dryRun: !values.yes,
      phoneRegion: (o.phoneRegion ?? 'US') as CountryCode,
    });
    out(result);
    return result;
  }
  if (sub === 'purge') {
    const days = Number(values.days);
    if (values.days === undefined || !Number.isInteger(days) || days < 1)
      throw usage('customer purge needs --days N (a whole number of at least 1)');
    const result = values['dry-run']
      ? { dryRun: true, days, ...(await previewClosed(db, { days, now })) }
      : { dryRun: false, days, ...(await purgeClosed(db, { days, now, actor })) };
    out(result);
    return result;
  }
  if (sub === 'import') {
    if (positionals.length !== 1) throw usage('customer import takes one CSV file');
    if (!o.routing) throw new RedressError('INTERNAL', 'customer import needs the routing configuration');
    const result = await importTiers(db, positionals[0], {
      routing: o.routing,
      actor,
      phoneRegion: (o.phoneRegion ?? 'US') as CountryCode,
    });
    out(result);
    return result;
  }
  throw usage(sub ? `unknown customer command "${sub}"` : 'customer needs a command');
}
