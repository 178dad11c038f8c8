/** Routing: a complaint's text to department, category and severity, each with the reason it was chosen. */
import type { RoutingConfig } from './routing-config.ts';
import type { RoutingDecision, Severity } from './types.ts';
import { simplifiedOf } from './understand/simplified.ts';
import type { Model } from './classifier/model.ts';

type Keywords = { en: string[]; zh: string[] };
type Matcher = (text: string) => string[];

// How much of a text routing reads.
const ROUTE_CHARS = 8000;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Compiles a keyword list once: whole English words (optional plural), Chinese substrings. */
export function matcher(k: Keywords): Matcher {
  const en = k.en.map((w) => ({
    w,
    re: new RegExp(`(?<![\\p{L}\\p{N}])${escape(w.toLowerCase()).replace(/'/g, "['’]?")}s?(?![\\p{L}\\p{N}])`, 'u'),
  }));
  // Chinese keywords are folded to Simplified on the first Chinese text, so an English-only process never loads OpenCC.
  let zh: string[] | undefined;
  const HAN = /\p{Script=Han}/u;
  return (text) => [
    ...en.filter((e) => e.re.test(text)).map((e) => e.w),
    ...(HAN.test(text) ? (zh ??= k.zh.map((w) => simplifiedOf(w))).filter((w) => text.includes(w)) : []),
  ];
}

/** A router compiled from a routing configuration (and, optionally, a trained model). */
export interface Router {
  /** Routes `text`; `suggested` (a category id, e.g. the optional LLM's) is taken when the built-in routing would triage. */
  route(text: string, suggested?: string, sentence?: ArrayLike<number>): RoutingDecision;
  /** The sentence encoder the model blends with (its vectors, computed before a turn, sharpen routing), if any. */
  readonly encoder?: string;
  config: RoutingConfig;
  /** Model labels the configuration cannot map to a category (they route to triage). */
  unmappedLabels: string[];
}

/** Builds a router; compile once per configuration, route many times. */
export function createRouter(config: RoutingConfig, model?: Model): Router {
  const categories = config.categories.map((c) => ({ ...c, match: matcher(c.keywords) }));
  const overrides = config.overrides.map((o) => ({ ...o, match: matcher(o.keywords) }));
  const severityRules = (['urgent', 'serious'] as const).flatMap((level) =>
    // A rule naming tiers raises only those customers' tickets: dialogs/tier-routing.ts applies it, not the text alone.
    config.severity[level]
      .filter((r) => !r.tiers)
      .map((r) => ({ level, reason: r.reason, match: matcher(r.keywords) })),
  );
  const categoryIds = new Set(categories.map((c) => c.id));
  const departmentOf = new Map([...config.categories, config.default_category].map((c) => [c.id, c.department]));
  const labelMap = config.model?.labels ?? {};
  const categoryOfLabel = (label: string) => labelMap[label] ?? (categoryIds.has(label) ? label : undefined);
  const minConfidence = config.model?.min_confidence ?? 0.5;
  const triage = config.default_category;

  /** Category by keyword rules (no model): the category with the strongest hits. */
  const byKeywords = (text: string): { id: string; reason: string } => {
    let best: { id: string; hits: string[] } | undefined;
    // Longer phrases are stronger evidence than single words: weigh each hit by its length in words.
    const score = (h: string[]) => h.reduce((s, w) => s + Math.min(3, w.split(/\s+/).length), 0);
    for (const c of categories) {
      const hits = c.match(text);
      if (hits.length && (!best || score(hits) > score(best.hits))) best = { id: c.id, hits };
    }
    return best
      ? { id: best.id, reason: `category ${best.id}: ${best.hits.slice(0, 4).join(', ')}` }
      : { id: triage.id, reason: `category ${triage.id}: no category keyword matched` };
  };

  /** Category by the model, unless an explicit rule overrides it or the model is unsure. */
  const byModel = (
    m: Model,
    raw: string,
    text: string,
    sentence?: ArrayLike<number>,
  ): { id: string; reason: string; confidence?: number } => {
    for (const o of overrides) {
      const hits = o.match(text);
      if (hits.length)
        return { id: o.category, reason: `rule "${o.reason}" overrides the model (${hits.slice(0, 3).join(', ')})` };
    }
    const p = m.predict(raw, sentence);
    const confidence = Math.round(p.confidence * 1000) / 1000;
    const mapped = categoryOfLabel(p.label);
    if (!mapped)
      return { id: triage.id, confidence, reason: `triage: model label "${p.label}" is not mapped to a category` };
    if (p.confidence < minConfidence) {
      return {
        id: triage.id,
        confidence,
        reason: `triage: model unsure — best guess "${p.label}" at ${confidence} is below ${minConfidence}`,
      };
    }
    return {
      id: mapped,
      confidence,
      reason: `model: "${p.label}" at ${confidence} (${p.features.slice(0, 4).join(', ')})`,
    };
  };

  return {
    config,
    unmappedLabels: model ? model.labels.filter((l) => !categoryOfLabel(l)) : [],
    encoder: model?.encoder,
    route(full, suggested, sentence) {
      // A complaint says what it is about early; an hour-long call need not be scanned to the end to route it.
      const raw = full.length > ROUTE_CHARS ? full.slice(0, ROUTE_CHARS) : full;
      const text = simplifiedOf(raw).toLowerCase();
      let chosen: { id: string; reason: string; confidence?: number } = model
        ? byModel(model, raw, text, sentence)
        : byKeywords(text);
      if (chosen.id === triage.id && suggested && suggested !== triage.id && departmentOf.has(suggested)) {
        chosen = {
          id: suggested,
          reason: `category ${suggested}: suggested by the LLM understanding (${chosen.reason})`,
        };
      }
      const reasons = [chosen.reason];
      let severity: Severity = 'ordinary';
      for (const r of severityRules) {
        const hits = r.match(text);
        if (!hits.length) continue;
        reasons.push(`${r.level}: ${r.reason} (${hits.slice(0, 3).join(', ')})`);
        if (r.level === 'urgent' || severity === 'ordinary') severity = r.level;
      }
      return {
        department: departmentOf.get(chosen.id) ?? triage.department,
        category: chosen.id,
        severity,
        reasons,
        slaHours: config.sla_hours[severity],
        ...(chosen.confidence !== undefined ? { confidence: chosen.confidence } : {}),
      };
    },
  };
}
