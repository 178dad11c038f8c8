/** Adversarial text for the linear-time tests and the hostile-input bench: long runs of what patterns trip on. */
import fc from 'fast-check';

// The pieces backtracking patterns and parsers choke on: whitespace, punctuation, digits, CJK, keywords and cues.
const UNITS = [
  ' ',
  '  ',
  '\t',
  '\n',
  '.',
  ',',
  '-',
  '!',
  '?',
  '#',
  '@',
  '(',
  '<',
  '：',
  '1',
  '1 ',
  '1.',
  '1-',
  '12,',
  '一',
  '我',
  '订单',
  '號',
  'order ',
  'a@',
  'a.',
  'one ',
  ' dot ',
  'Aa ',
  'on ',
  '$1',
  'I want ',
  'my ',
  'x',
];
const PREFIXES = [
  '',
  'order',
  '订单',
  'order number',
  'my email is ',
  'call me on ',
  'Customer: ',
  'Dear ',
  '我叫',
  'on the',
];
const SUFFIXES = ['', 'x', '!', ' 123', '?', '@x', '：', ' 2024'];

/** A recipe for one adversarial text: a lead-in, a repeated unit, an ending that makes a pattern fail late. */
export interface Recipe {
  prefix: string;
  unit: string;
  suffix: string;
}

/** fast-check arbitrary of recipes. */
export const recipes: fc.Arbitrary<Recipe> = fc.record({
  prefix: fc.constantFrom(...PREFIXES),
  unit: fc.array(fc.constantFrom(...UNITS), { minLength: 1, maxLength: 3 }).map((a) => a.join('')),
  suffix: fc.constantFrom(...SUFFIXES),
});

/** The text of `r` about `length` characters long. */
export function build(r: Recipe, length: number): string {
  const body = r.unit
    .repeat(Math.ceil(length / r.unit.length))
    .slice(0, Math.max(0, length - r.prefix.length - r.suffix.length));
  return r.prefix + body + r.suffix;
}

/** CPU milliseconds this process spent, all threads (unlike the wall clock, not stretched by other processes). */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** The least CPU time, over `runs` tries, of calling `f` on each of `texts` in turn. */
export function cpuTime(f: (text: string) => unknown, texts: string[], runs = 3): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = cpuMs();
    for (const t of texts) f(t);
    best = Math.min(best, cpuMs() - t0);
  }
  return best;
}
