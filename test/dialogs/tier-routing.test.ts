import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runDialog, type DialogContext } from '../../dialogs/dialog.ts';
import { createRouter } from '../../dialogs/router.ts';
import { parseRoutingConfig } from '../../dialogs/routing-config.ts';
import { effectiveTier, withTier } from '../../dialogs/tier-routing.ts';
import type { Effect } from '../../dialogs/types.ts';
import { DIALOG_SETTINGS } from './dialog-settings.ts';

// Customer tiers in routing.yaml (issue #16 item 6): validated, and reaching the pure dialog as data on the new ticket.
const YAML = readFileSync('dialogs/routing.yaml', 'utf8');
const shipped = parseRoutingConfig(YAML);
const tweaked = (f: (raw: any) => void) => {
  const raw = parse(YAML);
  f(raw);
  return parseRoutingConfig(stringify(raw));
};
const NOW = new Date('2026-11-24T10:00:00Z');
const LETTER =
  'My desk lamp from order 41120 arrived broken last Tuesday. I want a replacement. Lena Fox, lena@example.org';
const open = (config: ReturnType<typeof parseRoutingConfig>, tier?: string, earlierTickets = 0, text = LETTER) => {
  const ctx: DialogContext = {
    now: NOW,
    router: createRouter(config),
    ...DIALOG_SETTINGS,
    newTicket: { reference: 'CMP-000321', earlierTickets, windowDays: 180, ...(tier ? { tier } : {}) },
  };
  const out = runDialog(undefined, { text, style: 'letter', receivedAt: NOW.toISOString() }, ctx);
  const e = out.effects.find((x) => x.type === 'open_ticket') as Extract<Effect, { type: 'open_ticket' }>;
  return { out, routing: e.routing };
};

describe('routing.yaml tiers', () => {
  it('defaults to core, key and ordinary with ordinary as the default tier', () => {
    const c = tweaked((raw) => {
      delete raw.tiers;
      delete raw.default_tier;
    });
    expect(c.tiers.map((t) => t.id)).toEqual(['core', 'key', 'ordinary']);
    expect(c.default_tier).toBe('ordinary');
    expect(shipped.tiers.map((t) => [t.id, t.sla_factor])).toEqual([
      ['core', 0.5],
      ['key', 0.75],
      ['ordinary', undefined],
    ]);
  });

  it('refuses an unknown default tier, a rule naming an unknown tier, duplicate ids and a factor that lengthens', () => {
    const invalid = (f: (raw: any) => void) => {
      try {
        tweaked(f);
      } catch (e) {
        return (e as { details?: string[] }).details;
      }
      return undefined;
    };
    expect(invalid((r) => (r.default_tier = 'gold'))).toEqual(['default_tier: unknown tier "gold"']);
    expect(invalid((r) => (r.severity.urgent[0].tiers = ['core', 'vip']))).toEqual([
      'severity.urgent.0.tiers.1: unknown tier "vip"',
    ]);
    expect(invalid((r) => r.tiers.push({ ...r.tiers[0] }))).toEqual(['tiers: tier ids must be unique']);
    expect(invalid((r) => (r.tiers[0].sla_factor = 2))?.[0]).toMatch(/^tiers\.0\.sla_factor: /);
  });
});

describe('the tier on the new ticket', () => {
  it('an ordinary (or absent, or no longer configured) tier changes nothing', () => {
    const none = open(shipped).routing;
    expect(none).toMatchObject({ severity: 'ordinary', slaHours: 72 });
    expect(open(shipped, 'ordinary').routing).toEqual(none);
    expect(open(shipped, 'platinum').routing).toEqual(none);
    expect(effectiveTier(shipped, 'platinum')).toBe('ordinary');
  });

  it("a core customer's ticket is raised by the rule naming core, and answered in half the time", () => {
    const { out, routing } = open(shipped, 'core');
    expect(routing).toMatchObject({ severity: 'serious', slaHours: 12 });
    expect(routing.reasons.slice(-2)).toEqual(['serious: core customer (tier core)', 'SLA ×0.5 for tier core']);
    expect(out.state.ticketDueAt).toBe(new Date(NOW.getTime() + 12 * 3_600_000).toISOString());
    // The customer is told the shorter promise; the apology still answers the complaint itself.
    expect(out.replies.join('\n')).toMatch(/CMP-000321/);
    expect(out.replies[0]).toBe(open(shipped).out.replies[0]);
  });

  it('a key customer keeps the severity and gets the shorter SLA, after the repeat-customer raise', () => {
    expect(open(shipped, 'key').routing).toMatchObject({ severity: 'ordinary', slaHours: 54 });
    const repeat = open(shipped, 'key', 2).routing;
    expect(repeat).toMatchObject({ severity: 'serious', slaHours: 18 });
    expect(repeat.reasons.at(-1)).toBe('SLA ×0.75 for tier key');
  });

  it('a tier rule with keywords raises only when one matches, and text alone never triggers a tier rule', () => {
    const c = tweaked((r) => {
      r.severity.urgent.push({
        reason: 'key account outage',
        tiers: ['key'],
        keywords: { en: ['broken'], zh: ['坏了'] },
      });
      r.tiers[1].sla_factor = undefined;
    });
    expect(open(c, 'key').routing).toMatchObject({ severity: 'urgent', slaHours: 4 });
    expect(open(c, 'key').routing.reasons).toContain('urgent: key account outage (tier key: broken)');
    expect(open(c, 'ordinary').routing).toMatchObject({ severity: 'ordinary' });
    expect(
      open(c, 'key', 0, 'My lamp from order 41120 flickers since Tuesday. I want a replacement.').routing,
    ).toMatchObject({ severity: 'ordinary', slaHours: 72 });
    // The router itself (the text alone) skips rules naming tiers.
    expect(createRouter(c).route('it arrived broken').reasons.join(' ')).not.toMatch(/key account/);
  });

  it('withTier never lowers a severity', () => {
    const urgent = {
      department: 'quality',
      category: 'product_quality',
      severity: 'urgent' as const,
      reasons: [],
      slaHours: 4,
    };
    expect(withTier(urgent, 'x', 'core', shipped)).toMatchObject({ severity: 'urgent', slaHours: 2 });
  });
});
