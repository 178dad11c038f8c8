import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eraseTiers,
  latestTier,
  setCustomerTier,
  setPointTier,
  tierChanges,
} from '../../../src/store/customer-tiers.ts';
import type { Db } from '../../../src/store/db.ts';
import { saveVerifiedContacts } from '../../../src/store/verified-contacts.ts';
import { DATABASE_URL, testDb } from '../../helpers.ts';
import { fixtureTicket } from './ticket-fixture.ts';

// Where a customer's tier is kept and which one counts, on both databases Redress runs on.
describe.each(DATABASE_URL || process.env.CI ? (['pg', 'pglite'] as const) : (['pglite'] as const))(
  'customer tiers on %s',
  (kind) => {
    let db: Db;
    beforeAll(async () => {
      db = await testDb(kind);
    });
    afterAll(async () => db?.close());
    const api = { actor: 'staff:alice', via: 'api' as const };

    it('a tier set on an identity reaches a customer only through a verified contact point of it', async () => {
      const t = await fixtureTicket(db, `k-${kind}-1`);
      const point = { kind: 'email' as const, value: 'ann@example.com' };
      expect(await setPointTier(db, point, 'key', api)).toBe(true);
      // The same tier again records nothing: an import run twice changes nothing.
      expect(await setPointTier(db, point, 'key', api)).toBe(false);
      // Typed into the complaint (unverified), the address lends the customer nothing.
      await db.query("INSERT INTO contact_points (customer_id, kind, value) VALUES ($1, 'email', $2)", [
        t.customer_id,
        point.value,
      ]);
      expect(await latestTier(db, t.customer_id)).toBeUndefined();
      // Vouched for by the channel now (the From address of an email), it does.
      expect(await latestTier(db, t.customer_id, { email: 'Ann@Example.com' })).toBe('key');
      await saveVerifiedContacts(db, t.customer_id, { email: point.value });
      expect(await latestTier(db, t.customer_id)).toBe('key');
      expect((await tierChanges(db, t.customer_id)).map((c) => [c.from_tier, c.to_tier, c.actor, c.via])).toEqual([
        [null, 'key', 'staff:alice', 'api'],
      ]);
    });

    it("staff setting one ticket's customer's tier also sets it on the customer's verified identities; the latest wins", async () => {
      const t = await fixtureTicket(db, `k-${kind}-2`);
      await saveVerifiedContacts(db, t.customer_id, { account: `slack:U${kind.toUpperCase()}2` });
      const set = (tier: string) =>
        db.transaction((tx) =>
          setCustomerTier(tx, {
            customerId: t.customer_id,
            ticketId: t.id,
            tier,
            actor: 'slack:U0STAFF',
            via: 'slack',
          }),
        );
      expect(await set('core')).toEqual({ from: undefined });
      expect(await set('core')).toBeNull();
      expect(await latestTier(db, t.customer_id)).toBe('core');
      // Another conversation of the same Slack user (a new customer row) gets it through the identity.
      const other = await fixtureTicket(db, `k-${kind}-3`);
      expect(await latestTier(db, other.customer_id, { account: `slack:U${kind.toUpperCase()}2` })).toBe('core');
      // A later import for the identity wins over the earlier setting on the customer row.
      await setPointTier(db, { kind: 'channel', value: `slack:U${kind.toUpperCase()}2` }, 'ordinary', {
        actor: 'cli:ops',
        via: 'import',
      });
      expect(await latestTier(db, t.customer_id)).toBe('ordinary');
      expect(await set('key')).toEqual({ from: 'ordinary' });
      expect((await tierChanges(db, t.customer_id)).map((c) => `${c.from_tier}→${c.to_tier} ${c.via}`)).toEqual([
        'null→core slack',
        'core→ordinary import',
        'ordinary→key slack',
      ]);
    });

    it('erasing an identity forgets its tier and its change records', async () => {
      const point = { kind: 'email' as const, value: `gone-${kind}@example.com` };
      await setPointTier(db, point, 'core', api);
      const t = await fixtureTicket(db, `k-${kind}-4`);
      expect(await latestTier(db, t.customer_id, { email: point.value })).toBe('core');
      await db.transaction((tx) => eraseTiers(tx, [point]));
      expect(await latestTier(db, t.customer_id, { email: point.value })).toBeUndefined();
      const left = await db.query('SELECT 1 FROM customer_tier_changes WHERE value = $1', [point.value]);
      expect(left.rows).toEqual([]);
    });
  },
);
