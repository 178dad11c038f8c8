/** `redress customer import file.csv`: customer tiers from a CRM export, one contact point and tier per row. */
import { readFileSync } from 'node:fs';
import type { CountryCode } from 'libphonenumber-js';
import type { RoutingConfig } from '../../dialogs/routing-config.ts';
import { isRedressError, RedressError } from '../core/errors.ts';
import { csvRecords } from './csv-records.ts';
import type { TierPoint } from '../store/customer-tiers.ts';
import type { Db } from '../store/db.ts';
import { checkTier, contactPointInputSchema, setPointsTier, tierPoints } from '../staff/tier.ts';

/** The columns an import reads (case and spaces in the header do not matter); others are ignored. */
export const IMPORT_COLUMNS = ['email', 'phone', 'account', 'tier'] as const;

/** What an import did: rows read, identities changed and already at their tier, and the rows refused. */
export interface ImportResult {
  file: string;
  rows: number;
  changed: number;
  unchanged: number;
  errors: Array<{ line: number; error: string }>;
}

type Row = { line: number; points: TierPoint[]; tier: string };

/** Reads `text` into good rows and the bad ones' errors; an identity given twice with different tiers is an error. */
function readRows(text: string, routing: RoutingConfig, region: CountryCode) {
  const records = csvRecords(text);
  const good: Row[] = [];
  const errors: ImportResult['errors'] = [];
  const seen = new Map<string, { tier: string; line: number }>();
  for (const { record, info } of records) {
    const line = info.lines;
    try {
      const cell = (c: string) => record[c] || undefined;
      const tier = cell('tier');
      if (!tier) throw new RedressError('BAD_REQUEST', 'no tier');
      checkTier(routing, tier);
      const p = contactPointInputSchema.safeParse({
        email: cell('email'),
        phone: cell('phone'),
        account: cell('account'),
      });
      if (!p.success)
        throw new RedressError(
          'BAD_REQUEST',
          p.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join('; '),
        );
      const points = tierPoints(p.data, region);
      for (const pt of points) {
        const before = seen.get(`${pt.kind}:${pt.value}`);
        if (before && before.tier !== tier)
          throw new RedressError('BAD_REQUEST', `${pt.value} was given tier ${before.tier} on line ${before.line}`);
      }
      for (const pt of points) seen.set(`${pt.kind}:${pt.value}`, { tier, line });
      good.push({ line, points, tier });
    } catch (e) {
      if (!isRedressError(e)) throw e;
      errors.push({ line, error: e.message });
    }
  }
  return { good, errors, rows: records.length };
}

/**
 * Imports `file`: the good rows in one transaction, the bad ones listed with their line numbers (the line a row ends
 * on). An identity already at the row's tier is left alone, so importing the same file twice changes nothing.
 */
export async function importTiers(
  db: Db,
  file: string,
  o: { routing: RoutingConfig; actor: string; phoneRegion: CountryCode },
): Promise<ImportResult> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new RedressError('USAGE', `cannot read ${file}: ${(e as Error).message}`, { cause: e });
  }
  const { good, errors, rows } = readRows(text, o.routing, o.phoneRegion);
  let changed = 0;
  let points = 0;
  await db.transaction(async (tx) => {
    for (const r of good) {
      points += r.points.length;
      changed += await setPointsTier(tx, o.routing, { points: r.points, tier: r.tier, actor: o.actor, via: 'import' });
    }
  });
  return { file, rows, changed, unchanged: points - changed, errors };
}
