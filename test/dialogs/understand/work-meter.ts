/**
 * A deterministic measure of the work a function does on text, for the linear-growth tests: instead of timing a call,
 * it counts the characters the call has the regular-expression engine and the string built-ins look at. The count
 * depends only on the code path, never on how busy the machine is.
 *
 * While {@link measureWork} runs, `RegExp.prototype.exec` and the scanning methods of `String.prototype` are wrapped.
 * Once `exec` is wrapped V8 leaves its fast paths and every regex use (test, match, matchAll, replace, split, search,
 * in our code and in the libraries alike) goes through it. Each call adds what it must at least have read:
 * - a regex match: from where the search started to the end of the match; a failed search: the rest of the text (one
 *   position only for a sticky regex, or one anchored at the start without the m flag, which is tried only there);
 * - indexOf, includes and the like: up to the hit, or the rest of the text; slice, split, replace, trim, case mapping
 *   and normalisation: the length they copy or read; charAt, charCodeAt, codePointAt, at and each step of iterating
 *   over a string: one.
 * Reading the same text again and again (a search from each position, a slice per character, a replace per word)
 * makes the count grow with the square of the length. What it cannot see is backtracking inside one regex (the
 * eslint-plugin-regexp rules in eslint.config.js reject those patterns) and loops over `text[i]` in plain JavaScript.
 */

type Method = (this: unknown, ...args: unknown[]) => unknown;

let work = 0;
let depth = 0;

const len = (s: unknown) => (typeof s === 'string' ? s.length : 0);
const int = (v: unknown, fallback: number) => {
  const n = Math.trunc(Number(v));
  return Number.isNaN(n) ? fallback : n;
};
const clamp = (n: number, max: number) => Math.min(Math.max(n, 0), max);

/** What each wrapped method adds, from its receiver, arguments and result. */
const STRING_COSTS: Record<string, (s: string, args: unknown[], result: unknown) => number> = {
  indexOf: (s, a, r) => {
    const from = clamp(int(a[1], 0), s.length);
    return (r as number) < 0 ? s.length - from : (r as number) - from + len(a[0]);
  },
  lastIndexOf: (s, a, r) => {
    const from = clamp(int(a[1], s.length), s.length);
    return (r as number) < 0 ? from : from - (r as number) + len(a[0]);
  },
  includes: (s, a) => s.length - clamp(int(a[1], 0), s.length),
  startsWith: (_s, a) => len(a[0]),
  endsWith: (_s, a) => len(a[0]),
  slice: (_s, _a, r) => len(r),
  substring: (_s, _a, r) => len(r),
  substr: (_s, _a, r) => len(r),
  split: (s) => s.length,
  replace: (s) => s.length,
  replaceAll: (s) => s.length,
  trim: (s) => s.length,
  trimStart: (s) => s.length,
  trimEnd: (s) => s.length,
  toLowerCase: (s) => s.length,
  toUpperCase: (s) => s.length,
  toLocaleLowerCase: (s) => s.length,
  toLocaleUpperCase: (s) => s.length,
  normalize: (s) => s.length,
  padStart: (_s, _a, r) => len(r),
  padEnd: (_s, _a, r) => len(r),
  repeat: (_s, _a, r) => len(r),
  concat: (_s, _a, r) => len(r),
  charAt: () => 1,
  charCodeAt: () => 1,
  codePointAt: () => 1,
  at: () => 1,
};

function regexCost(re: RegExp, s: string, start: number, m: RegExpExecArray | null): number {
  if (re.sticky) return 1 + (m ? m[0].length : 0);
  if (m) return m.index + m[0].length - start + 1;
  if (re.source.startsWith('^') && !re.multiline) return 1;
  return s.length - clamp(start, s.length) + 1;
}

/** Wraps the built-ins; returns the function that puts them back. */
function install(): () => void {
  const undo: Array<() => void> = [];
  const wrap = (target: object, name: string | symbol, make: (orig: Method) => Method) => {
    const orig = Reflect.get(target, name) as Method;
    Reflect.set(target, name, make(orig));
    undo.push(() => Reflect.set(target, name, orig));
  };
  wrap(
    RegExp.prototype,
    'exec',
    (orig) =>
      function (this: unknown, ...args: unknown[]) {
        const re = this instanceof RegExp ? this : undefined;
        // A global or sticky regex searches from lastIndex (which the call moves); any other from the start.
        const start = re && (re.global || re.sticky) ? re.lastIndex : 0;
        const m = Reflect.apply(orig, this, args) as RegExpExecArray | null;
        if (depth === 0 && re) {
          depth++;
          work += regexCost(re, String(args[0]), start, m);
          depth--;
        }
        return m;
      },
  );
  for (const [name, cost] of Object.entries(STRING_COSTS))
    wrap(
      String.prototype,
      name,
      (orig) =>
        function (this: unknown, ...args: unknown[]) {
          const r = Reflect.apply(orig, this, args);
          if (depth === 0 && typeof this === 'string') {
            depth++;
            work += cost(this, args, r);
            depth--;
          }
          return r;
        },
    );
  const stringIterator = Object.getPrototypeOf(''[Symbol.iterator]()) as object;
  wrap(
    stringIterator,
    'next',
    (orig) =>
      function (this: unknown, ...args: unknown[]) {
        if (depth === 0) work++;
        return Reflect.apply(orig, this, args);
      },
  );
  return () => {
    for (const u of undo.reverse()) u();
  };
}

/** The characters `f` had the regex engine and the string built-ins look at, and what it returned. */
export function measureWork<T>(f: () => T): { work: number; result: T } {
  const uninstall = install();
  work = 0;
  try {
    const result = f();
    return { work, result };
  } finally {
    uninstall();
  }
}
