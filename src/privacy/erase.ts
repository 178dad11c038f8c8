/** Erasure of a customer's personal data on request (the scrubbing itself, shared with retention, is in the store). */
import { eraseTiers } from '../store/customer-tiers.ts';
import { createHmac, randomBytes } from 'node:crypto';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import { RedressError } from '../core/errors.ts';
import type { Db, Queryable } from '../store/db.ts';
import { getOrCreateSetting } from '../store/settings.ts';
import {
  conversationsOf,
  countConversations,
  findCustomers,
  finishErasure,
  lockCustomers,
  previousErasures,
  scrubConversations,
  scrubCustomers,
  startErasure,
  type ScrubCounts,
  type Subject,
} from '../store/erasures.ts';

export type { Subject };

/** The result of `eraseCustomer`. */
export interface ErasureSummary extends ScrubCounts {
  found: boolean;
  dryRun: boolean;
  customers: number;
  /** The `erasures` row written; null for a dry run or when nothing was found. */
  erasureId: number | null;
  /** Earlier erasures of the same identifier (matched by its hash). */
  previous: Array<{ erasureId: number; at: string }>;
  note: string;
}

const emailSchema = z.email();

/** Normalises `who`; exactly one of email or phone, well formed, else USAGE. */
export function normaliseSubject(who: { email?: string; phone?: string }, region: CountryCode = 'US'): Subject {
  if (!!who.email === !!who.phone)
    throw new RedressError('USAGE', 'give exactly one of an email address or a phone number');
  if (who.email) {
    const value = who.email.trim().toLowerCase();
    if (!emailSchema.safeParse(value).success)
      throw new RedressError('USAGE', `"${who.email}" is not a valid email address`);
    return { kind: 'email', value };
  }
  const p = parsePhoneNumberFromString(who.phone!.trim(), region);
  if (!p?.isValid())
    throw new RedressError('USAGE', `"${who.phone}" is not a valid phone number (add the country code, e.g. +44…)`);
  return { kind: 'phone', value: p.number };
}

/** Keyed SHA-256 of the identifier: the salt lives in settings, so the same identifier can be recognised later but not read. */
async function subjectHash(q: Queryable, s: Subject): Promise<string> {
  const salt = await getOrCreateSetting(q, 'erasure_salt', () => randomBytes(32).toString('base64url'));
  return createHmac('sha256', salt).update(`${s.kind}:${s.value}`).digest('hex');
}

/**
 * Erases (or with `dryRun` only counts) the personal data of every customer reachable by the email or phone, in one
 * transaction, and records it in `erasures`. An unknown or already erased identifier returns zero counts.
 */
export async function eraseCustomer(
  db: Db,
  who: { email?: string; phone?: string },
  o: { actor: string; now: Date; dryRun?: boolean; phoneRegion?: CountryCode },
): Promise<ErasureSummary> {
  const subject = normaliseSubject(who, o.phoneRegion);
  return db.transaction(async (tx) => {
    const hash = await subjectHash(tx, subject);
    const previous = await previousErasures(tx, hash);
    // Lock the customers, then look again: a concurrent erasure of the same person has committed by then and
    // this one finds nothing instead of recording a second, empty erasure.
    const first = await findCustomers(tx, subject);
    if (!o.dryRun && first.length) await lockCustomers(tx, first);
    const customers = o.dryRun ? first : await findCustomers(tx, subject);
    const conversations = await conversationsOf(tx, customers, !o.dryRun);
    // Verdict first, then the counts: the order a person reading the CLI's JSON wants.
    const summary = (found: boolean, erasureId: number | null, note: string, counts: ScrubCounts): ErasureSummary => ({
      found,
      dryRun: !!o.dryRun,
      note,
      erasureId,
      customers: customers.length,
      ...counts,
      previous,
    });
    // A tier set by contact point (staff API, CSV import) names the person even if they never complained.
    if (!o.dryRun)
      await eraseTiers(tx, [
        subject.kind === 'email'
          ? { kind: 'email', value: subject.value }
          : { kind: 'channel', value: `phone:${subject.value}` },
      ]);
    if (!customers.length) {
      const before = previous.length ? ` (erased before: #${previous.map((p) => p.erasureId).join(', #')})` : '';
      return summary(
        false,
        null,
        `no customer with that ${subject.kind}${before}; nothing to erase`,
        await countConversations(tx, []),
      );
    }
    if (o.dryRun)
      return summary(
        true,
        null,
        'dry run: nothing changed (the CLI erases with --yes)',
        await countConversations(tx, conversations),
      );
    const erasureId = await startErasure(tx, { reason: 'request', actor: o.actor, now: o.now, subjectHash: hash });
    const counts = await scrubConversations(tx, conversations, {
      actor: o.actor,
      now: o.now,
      event: { erasureId, reason: 'request' },
    });
    await scrubCustomers(tx, customers, o.now);
    await finishErasure(tx, erasureId, { customers: customers.length, ...counts });
    return summary(true, erasureId, `erased; recorded as erasure #${erasureId}`, counts);
  });
}
