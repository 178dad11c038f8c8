/** Keyword routing: a complaint's text to department, category and severity, each with the reason it was chosen. */
import type { RoutingConfig } from './routing-config.ts';
import type { RoutingDecision, Severity } from './types.ts';
import { toSimplified } from './language/detect.ts';

type Keywords = { en: string[]; zh: string[] };
type Matcher = (text: string) => string[];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Compiles a keyword list once: whole English words (optional plural), Chinese substrings. */
function matcher(k: Keywords): Matcher {
  const en = k.en.map((w) => ({ w, re: new RegExp(`(?<![\\p{L}\\p{N}])${escape(w.toLowerCase()).replace(/'/g, "['’]?")}s?(?![\\p{L}\\p{N}])`, 'u') }));
  const zh = k.zh.map((w) => toSimplified(w));
  return (text) => [...en.filter((e) => e.re.test(text)).map((e) => e.w), ...zh.filter((w) => text.includes(w))];
}

/** A router compiled from a routing configuration. */
export interface Router {
  route(text: string): RoutingDecision;
  config: RoutingConfig;
}

/** Builds a router; compile once per configuration, route many times. */
export function createRouter(config: RoutingConfig): Router {
  const categories = config.categories.map((c) => ({ ...c, match: matcher(c.keywords) }));
  const severityRules = (['urgent', 'serious'] as const).flatMap((level) =>
    config.severity[level].map((r) => ({ level, reason: r.reason, match: matcher(r.keywords) })),
  );
  return {
    config,
    route(raw) {
      const text = toSimplified(raw.toLowerCase());
      let best: { id: string; department: string; hits: string[] } | undefined;
      for (const c of categories) {
        const hits = c.match(text);
        // Longer phrases are stronger evidence than single words: weigh each hit by its length in words.
        const score = (h: string[]) => h.reduce((s, w) => s + Math.min(3, w.split(/\s+/).length), 0);
        if (hits.length && (!best || score(hits) > score(best.hits))) best = { id: c.id, department: c.department, hits };
      }
      const reasons: string[] = [];
      const chosen = best ?? { id: config.default_category.id, department: config.default_category.department, hits: [] };
      reasons.push(best ? `category ${chosen.id}: ${best.hits.slice(0, 4).join(', ')}` : `category ${chosen.id}: no category keyword matched`);
      let severity: Severity = 'ordinary';
      for (const r of severityRules) {
        const hits = r.match(text);
        if (!hits.length) continue;
        reasons.push(`${r.level}: ${r.reason} (${hits.slice(0, 3).join(', ')})`);
        if (r.level === 'urgent' || severity === 'ordinary') severity = r.level;
      }
      return { department: chosen.department, category: chosen.id, severity, reasons, slaHours: config.sla_hours[severity] };
    },
  };
}
