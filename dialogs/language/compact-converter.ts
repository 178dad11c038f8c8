/**
 * OpenCC's conversions (opencc-js's dictionaries and its matching rules) on flat maps instead of its trie of Maps:
 * opencc-js builds the Simplified → Traditional (Taiwan) converter as two tries of 49,000 phrases that hold about
 * 42 MB of heap (70 MB resident) for the life of the process; the same dictionaries as flat maps take a few MB. The
 * output is OpenCC's, character for character (test/dialogs/language/compact-converter.test.ts holds it to opencc-js
 * on every Chinese text in the test data).
 */
import * as Preset from 'opencc-js/preset';

type DictLike = string | string[][];

/** A dictionary group as a flat map: longest match first, the earlier dictionary winning a key both hold. */
class FlatDict {
  private readonly map = new Map<string, string>();
  /** The longest key, in code points, among keys starting with each code point: bounds the lookups at a position. */
  private readonly longest = new Map<number, number>();

  constructor(group: DictLike[]) {
    // Later dictionaries first, so an earlier one's entry replaces theirs (opencc-js's Trie.loadDictGroup does the same).
    for (const dict of [...group].reverse()) {
      const pairs = typeof dict === 'string' ? dict.split('|').map((line) => line.split(' ')) : dict;
      for (const [from, to] of pairs) {
        if (from === undefined || to === undefined) continue;
        this.map.set(from, to);
        const first = from.codePointAt(0)!;
        const len = [...from].length;
        if ((this.longest.get(first) ?? 0) < len) this.longest.set(first, len);
      }
    }
  }

  /** The longest key at `i` of `s` and its value, as opencc-js's Trie.matchPrefix finds it. */
  match(s: string, i: number): { end: number; value: string } | undefined {
    const first = s.codePointAt(i)!;
    const max = this.longest.get(first);
    if (max === undefined) return undefined;
    // UTF-16 ends of 1..max code points from i.
    const ends: number[] = [];
    for (let j = i, n = 0; j < s.length && n < max; n++) {
      j += s.codePointAt(j)! > 0xffff ? 2 : 1;
      ends.push(j);
    }
    for (let k = ends.length - 1; k >= 0; k--) {
      const value = this.map.get(s.slice(i, ends[k]));
      if (value !== undefined) return { end: ends[k], value };
    }
    return undefined;
  }

  /** `s` with every longest match replaced, left to right. */
  convert(s: string): string {
    return this.cut(s, true).join('');
  }

  /** `s` cut before and after every longest match (opencc-js's Trie.segment). */
  segment(s: string): string[] {
    return this.cut(s, false);
  }

  /** `s` in pieces: each longest match (its replacement when `replace`), and the unmatched runs between them. */
  private cut(s: string, replace: boolean): string[] {
    const out: string[] = [];
    let from = 0;
    for (let i = 0; i < s.length;) {
      const m = this.match(s, i);
      if (m) {
        if (i > from) out.push(s.slice(from, i));
        out.push(replace ? m.value : s.slice(i, m.end));
        i = from = m.end;
      } else i += unmatchedLength(s, i);
    }
    if (from < s.length) out.push(s.slice(from));
    return out;
  }
}

// An ideographic description sequence (⿰氵青) is one unit to opencc-js: it is never split by a match.
function idsEnd(s: string, i: number): number {
  const cp = s.codePointAt(i)!;
  const arity =
    cp >= 0x2ff0 && cp <= 0x2ff1 ? 2 : cp >= 0x2ff2 && cp <= 0x2ff3 ? 3 : cp >= 0x2ff4 && cp <= 0x2fff ? 2 : 0;
  if (!arity) return 0;
  let end = i + 1;
  for (let n = 0; n < arity; n++) {
    if (end >= s.length) return 0;
    end = idsEnd(s, end) || end + (s.codePointAt(end)! > 0xffff ? 2 : 1);
  }
  return end;
}
const unmatchedLength = (s: string, i: number) => {
  const end = idsEnd(s, i);
  return end > i ? end - i : s.codePointAt(i)! > 0xffff ? 2 : 1;
};

/** One of OpenCC's configurations (s2tw, tw2s …) as a converter: normalise, segment, then each group in turn. */
export function compactConverter(config: keyof typeof Preset.configs): (text: string) => string {
  const c = Preset.configs[config] as {
    normalizationChain?: DictLike[][];
    segmentation?: DictLike | DictLike[];
    conversionChain: DictLike[][];
  };
  const normalize = (c.normalizationChain ?? []).map((g) => new FlatDict(g));
  const segmentation = c.segmentation
    ? new FlatDict(
        Array.isArray(c.segmentation) && c.segmentation.every((d) => typeof d === 'string')
          ? c.segmentation
          : [c.segmentation as DictLike],
      )
    : undefined;
  const chain = c.conversionChain.map((g) => new FlatDict(g));
  return (text: string) => {
    const normalized = normalize.reduce((s, d) => d.convert(s), text);
    const segments = segmentation ? segmentation.segment(normalized) : [normalized];
    return chain.reduce((segs, d) => segs.map((s) => d.convert(s)), segments).join('');
  };
}
