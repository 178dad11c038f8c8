/** Label merging: renamed or merged labels (old → new) from `--map old=new` options and the routing configuration. */
import { RedressError } from '../../core/errors.ts';

/** Old label → new label. */
export type LabelMap = Record<string, string>;

/** Parses `--map old=new` values (split at the first "="; both sides trimmed and non-empty). */
export function parseLabelMaps(values: readonly string[]): LabelMap {
  const map: LabelMap = {};
  for (const v of values) {
    const at = v.indexOf('=');
    const from = at < 0 ? '' : v.slice(0, at).trim();
    const to = at < 0 ? '' : v.slice(at + 1).trim();
    if (!from || !to)
      throw new RedressError('USAGE', `--map takes old=new (a label and the label it becomes), not "${v}"`);
    map[from] = to;
  }
  return map;
}

/**
 * Merges maps (later ones win) and follows chains (a → b, b → c gives a → c), so the order renames happened in does not
 * matter; a cycle (a → b, b → a) is an error.
 */
export function combineLabelMaps(...maps: (LabelMap | undefined)[]): LabelMap {
  const merged: LabelMap = Object.assign({}, ...maps.filter(Boolean));
  const out: LabelMap = {};
  for (const from of Object.keys(merged)) {
    const seen = new Set([from]);
    let to = merged[from];
    while (merged[to] !== undefined) {
      if (seen.has(to))
        throw new RedressError('USAGE', `label map has a cycle: ${[...seen, to].map((l) => `"${l}"`).join(' → ')}`);
      seen.add(to);
      to = merged[to];
    }
    if (to !== from) out[from] = to;
  }
  return out;
}

/** `labels` with every mapped label replaced. */
export function applyLabelMap(labels: readonly string[], map: LabelMap): string[] {
  return labels.map((l) => map[l] ?? l);
}
