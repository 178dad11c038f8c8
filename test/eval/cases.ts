/** The evaluation cases: real complaint texts from the shared data (test/fixtures/shared-data), picked with a fixed seed, each with a made-up fact sheet. */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Language } from '../../dialogs/types.ts';
import {
  makeFactSheet,
  PRODUCTS_BY_DOMAIN,
  RESOLUTION_WORDS,
  toTraditionalSheet,
  volunteer,
  type FactField,
  type FactSheet,
  type ResolutionKey,
} from './fact-sheet.ts';
import { hasDate, resolutionsIn } from './lexicon.ts';
import { pick, seeded, shuffle } from './rng.ts';
import { toHant } from './text-script.ts';

/** Where the shared data lives (read-only). */
// The shared data as copied into the repository; REDRESS_DATA_DIR points the report at other real data in the same format.
export const DATA_DIR = process.env.REDRESS_DATA_DIR ?? 'test/fixtures/shared-data';

/** Where a case's complaint text comes from. */
export type Source = 'twitter' | 'twcs' | 'zh-reviews' | 'zh-reviews-hant';

/** One simulated customer. */
export interface EvalCase {
  id: string;
  source: Source;
  language: Language;
  /** The real complaint text as the customer types it (tweets without @handles and links). */
  complaint: string;
  facts: FactSheet;
  /** The first message: the complaint, with volunteered details appended in half the cases. */
  firstMessage: string;
  /** Fields the first message gives (always the description; volunteered details too). */
  volunteered: FactField[];
  /** Seed for the customer's later choice of words. */
  seed: number;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/**
 * A tweet as a web chat customer would type it: the @handles that open it and links are Twitter addressing, not
 * words anyone types into a chat box, so they go; a handle inside a sentence keeps its name without the "@";
 * HTML entities are decoded. Everything else is left as written.
 */
export function chatText(tweet: string): string {
  const words = tweet
    .replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e])
    .split(/\s+/)
    .filter(Boolean);
  let i = 0;
  while (i < words.length && words[i].startsWith('@')) i++;
  return words
    .slice(i)
    .filter((w) => !w.startsWith('http://') && !w.startsWith('https://'))
    .map((w) => (w.startsWith('@') && w.length > 1 ? w.slice(1) : w))
    .join(' ');
}

const wordCount = (s: string) => s.split(/\s+/).filter(Boolean).length;
type Row = Record<string, string>;
const read = (file: string): Row[] =>
  parse(readFileSync(`${DATA_DIR}/${file}`, 'utf8'), { columns: true, skip_empty_lines: true, relax_quotes: true });

// An opening customer tweet in TWCS counts as a complaint when it says something is wrong (the sample has no labels).
const TWCS_COMPLAINT =
  /\b(?:not|never|still|won't|can't|cannot|doesn't|didn't|haven't|isn't|broken|issues?|problem|worst|horrible|delay|error|crash|freezes|sucks?|down|dead|slow|stop)\b|😡/i;
const TWCS_PRODUCTS: Array<[RegExp, string]> = [
  [/\b(?:flight|airways|airline)\b/i, 'flight'],
  [/\b(?:iphone\w*|ios\w*|phone|apple\w*|battery)\b/i, 'iPhone'],
  [/\btrains?\b/i, 'train ticket'],
  [/spotify|\bsongs\b|\bmusic\b/i, 'music streaming subscription'],
  [/tesco|delivery/i, 'grocery delivery'],
  [/internet|xfinity|cable|wifi/i, 'broadband service'],
  [/print/i, 'printer'],
];

/** How many cases of each source make up `n` (the full set is 16 tweets, 10 TWCS tweets and 14 reviews in both scripts). */
export function allocate(n: number): Record<Source, number> {
  const zh = Math.max(1, Math.floor((n * 14) / 54));
  const twcs = Math.max(1, Math.round((n * 10) / 54));
  return { twitter: Math.max(1, n - twcs - 2 * zh), twcs, 'zh-reviews': zh, 'zh-reviews-hant': zh };
}

/** `n` cases (54 by default), the same ones on every run for a given seed; dates are relative to `now`. */
export function buildCases(n = 54, seed = 14, now = new Date()): EvalCase[] {
  // Each source draws from a generator of its own, so a smaller run is the first cases of each source of a larger one.
  let rng = seeded(seed);
  const counts = allocate(n);
  const cases: EvalCase[] = [];
  let k = 0;
  const add = (
    source: Source,
    language: Language,
    complaint: string,
    facts: FactSheet,
    vol: { text: string; fields: FactField[] } | undefined,
  ) => {
    const sep = language === 'en' ? (/[.!?]$/.test(complaint) ? ' ' : '. ') : /[。！？]$/.test(complaint) ? '' : '。';
    cases.push({
      id: `${source}-${cases.filter((c) => c.source === source).length + 1}`,
      source,
      language,
      complaint,
      facts,
      firstMessage: vol ? `${complaint}${sep}${vol.text}` : complaint,
      volunteered: ['description', ...(vol?.fields ?? [])],
      seed: seed * 1000 + k++,
    });
  };
  // Half of each source volunteers details in the first message (every other case, so the halves are balanced).
  const sheetFor = (language: Language, complaint: string, product: string) => {
    // A text that already asks for one outcome gets a fact sheet that wants the same.
    const found = resolutionsIn(complaint).filter((k): k is ResolutionKey => k in RESOLUTION_WORDS);
    return makeFactSheet(rng, language, product, now, found.length === 1 ? found[0] : undefined);
  };

  rng = seeded(seed * 7 + 1);
  const tweets = shuffle(
    rng,
    read('en-twitter-complaints.csv').filter((r) => r.complaint === '1' && PRODUCTS_BY_DOMAIN[r.domain]),
  )
    .map((r): Row => ({ ...r, chat: chatText(r.text) }))
    .filter((r) => wordCount(r.chat) >= 6);
  tweets.slice(0, counts.twitter).forEach((r, i) => {
    const facts = sheetFor('en', r.chat, pick(rng, PRODUCTS_BY_DOMAIN[r.domain]));
    add('twitter', 'en', r.chat, facts, i % 2 === 0 ? volunteer(facts, rng, !hasDate(r.chat, 'en', now)) : undefined);
  });

  rng = seeded(seed * 7 + 2);
  const twcs = shuffle(
    rng,
    read('twcs-support-threads-sample.csv').filter((r) => r.inbound === 'True' && !r.in_response_to_tweet_id),
  )
    .map((r): Row => ({ ...r, chat: chatText(r.text) }))
    .filter((r) => wordCount(r.chat) >= 6 && TWCS_COMPLAINT.test(r.chat));
  twcs.slice(0, counts.twcs).forEach((r, i) => {
    const facts = sheetFor('en', r.chat, TWCS_PRODUCTS.find(([re]) => re.test(r.chat))?.[1] ?? 'account');
    add('twcs', 'en', r.chat, facts, i % 2 === 0 ? volunteer(facts, rng, !hasDate(r.chat, 'en', now)) : undefined);
  });

  // Chinese reviews: one category after another so every product line is represented; 15–300 characters each.
  rng = seeded(seed * 7 + 3);
  const byCat = new Map<string, Array<Record<string, string>>>();
  for (const r of shuffle(rng, read('zh-shopping-complaints.csv'))) {
    if (r.review.length < 15 || r.review.length > 300) continue;
    byCat.set(r.cat, [...(byCat.get(r.cat) ?? []), r]);
  }
  const cats = [...byCat.keys()].sort();
  const reviews = Array.from(
    { length: counts['zh-reviews'] },
    (_, i) => byCat.get(cats[i % cats.length])![Math.floor(i / cats.length)],
  );
  reviews.forEach((r, i) => {
    const text = r.review.trim();
    const facts = sheetFor('zh-Hans', text, r.cat);
    const vol = i % 2 === 0 ? volunteer(facts, rng, !hasDate(text, 'zh-Hans', now)) : undefined;
    add('zh-reviews', 'zh-Hans', text, facts, vol);
    // The same review, facts and choice of details for a reader of Traditional Chinese.
    const hant = toTraditionalSheet(facts, rng);
    add(
      'zh-reviews-hant',
      'zh-Hant',
      toHant(text),
      hant,
      vol && {
        text: toHant(
          hant.contact.kind === 'phone' ? vol.text.replace(facts.contact.value, hant.contact.value) : vol.text,
        ),
        fields: vol.fields,
      },
    );
  });
  return cases;
}
