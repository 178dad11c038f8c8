/** The customer-tier raise (issue #16 item 6): routing.yaml's rules for a tier, and its shorter SLA. */
import { matcher } from './router.ts';
import type { RoutingConfig } from './routing-config.ts';
import { severitySchema, type RoutingDecision, type Severity } from './types.ts';
import { simplifiedOf } from './understand/simplified.ts';

type TierRule = { level: Severity; reason: string; tiers: string[]; match?: (text: string) => string[] };

// Compiled once per configuration: a ticket opening must not rebuild the keyword expressions.
const compiled = new WeakMap<RoutingConfig, TierRule[]>();

function tierRules(config: RoutingConfig): TierRule[] {
  let rules = compiled.get(config);
  if (!rules) {
    rules = (['urgent', 'serious'] as const).flatMap((level) =>
      config.severity[level]
        .filter((r) => r.tiers)
        .map((r) => ({
          level,
          reason: r.reason,
          tiers: r.tiers!,
          ...(r.keywords.en.length || r.keywords.zh.length ? { match: matcher(r.keywords) } : {}),
        })),
    );
    compiled.set(config, rules);
  }
  return rules;
}

/** The tier a customer counts as: theirs when it is configured, else the default tier. */
export function effectiveTier(config: RoutingConfig, tier: string | undefined): string {
  return tier && config.tiers.some((t) => t.id === tier) ? tier : config.default_tier;
}

/**
 * Applies the rules naming the customer's tier (a rule with keywords also needs one of them in `text`) and the tier's
 * SLA factor, after the repeat-customer raise; the reasons say what the tier changed. A severity is only ever raised.
 */
export function withTier(
  routing: RoutingDecision,
  text: string,
  tier: string | undefined,
  config: RoutingConfig,
): RoutingDecision {
  const id = effectiveTier(config, tier);
  const rank = (s: Severity) => severitySchema.options.indexOf(s);
  let severity = routing.severity;
  const reasons = [...routing.reasons];
  // Read as the router reads it: Simplified script, lower case, the first 8000 characters.
  const folded = simplifiedOf(text.slice(0, 8000)).toLowerCase();
  for (const r of tierRules(config)) {
    if (!r.tiers.includes(id)) continue;
    const hits = r.match ? r.match(folded) : [];
    if (r.match && !hits.length) continue;
    reasons.push(`${r.level}: ${r.reason} (tier ${id}${hits.length ? `: ${hits.slice(0, 3).join(', ')}` : ''})`);
    if (rank(r.level) > rank(severity)) severity = r.level;
  }
  const factor = config.tiers.find((t) => t.id === id)?.sla_factor;
  if (severity === routing.severity && !factor) return routing;
  const base = severity === routing.severity ? routing.slaHours : config.sla_hours[severity];
  if (factor) reasons.push(`SLA ×${factor} for tier ${id}`);
  // Hours to the minute: a factor must not promise a reply time with a fraction of a second in it.
  return { ...routing, severity, reasons, slaHours: factor ? Math.round(base * factor * 60) / 60 : base };
}
