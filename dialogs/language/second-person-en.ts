/**
 * English perspective shift for restatements: the customer's "I/me/my" become "you/your", and the company's
 * "you/your" become "we/us/our". One left-to-right pass over the words, so a word changed once is never changed again
 * ("you charged me" → "we charged you", not "you charged you").
 */

// Words after which "you" is the object ("from you", "told you"), and words after which it is the subject.
const PREPOSITIONS = new Set([
  'to',
  'from',
  'with',
  'for',
  'at',
  'by',
  'about',
  'of',
  'on',
  'than',
  'like',
  'against',
  'through',
  'towards',
  'toward',
  'into',
  'onto',
  'behind',
]);
const SUBJECT_LEADS = new Set([
  'and',
  'but',
  'or',
  'so',
  'because',
  'that',
  'when',
  'which',
  'who',
  'if',
  'since',
  'as',
  'until',
  'after',
  'before',
  'although',
  'though',
  'while',
  'why',
  'how',
  'where',
  'then',
  'yet',
]);
const VERB_AFTER = new Set([
  'are',
  'were',
  'have',
  'had',
  'did',
  'do',
  'does',
  "don't",
  "didn't",
  'never',
  'still',
  "can't",
  'cannot',
  'can',
  'could',
  'would',
  'should',
  'will',
  "won't",
  'must',
  'might',
  'may',
  'keep',
  'kept',
  'just',
  'always',
  'also',
  'again',
  'sent',
  'sold',
  'said',
  'told',
  'took',
  'gave',
  'made',
  'lost',
  'broke',
  'put',
  'let',
  'left',
  'shut',
  'cut',
  'hung',
  'owe',
  'need',
  'refuse',
  'refused',
  'promised',
  'charged',
  'failed',
  'ignored',
]);

// Auxiliaries a question puts before its subject: "did you revise", "where can you get", "why do you offer".
const AUX_BEFORE = new Set([
  'do',
  'does',
  'did',
  'can',
  'could',
  'would',
  'will',
  'should',
  'shall',
  'may',
  'might',
  'must',
  'are',
  'were',
  'have',
  'has',
  'had',
  "don't",
  "doesn't",
  "didn't",
  "can't",
  "couldn't",
  "wouldn't",
  "won't",
  "shouldn't",
  "aren't",
  "weren't",
  "haven't",
  "hasn't",
]);

// Contractions are matched with either apostrophe; what they become is written with a straight one.
const APOSTROPHE = /[’']/g;
// A token as punctuation before, the word, punctuation after.
const WORD = /^([^A-Za-z']*)([A-Za-z']+)([^A-Za-z']*)$/;

/** The customer's words retold to them: I → you, you (the company) → we/us, my → your, your → our. */
export function toSecondPersonEn(text: string): string {
  const tokens = text.split(/(\s+)/);
  const words = tokens.map((t) => t.replace(APOSTROPHE, "'"));
  const lower = words.map((w) => w.toLowerCase());
  const out = tokens.slice();
  // The previous and next words (skipping whitespace tokens), without punctuation, for the subject/object decision.
  const bare = (i: number) => (i >= 0 && i < lower.length ? (WORD.exec(lower[i])?.[2] ?? '') : '');
  for (let i = 0; i < tokens.length; i += 2) {
    const m = WORD.exec(words[i]);
    if (!m) continue;
    const [, before, word, after] = m;
    const lw = word.toLowerCase();
    const prev = bare(i - 2);
    const next = bare(i + 2);
    const sentenceStart = i === 0 || /[.!?]["')]?$/.test(words[i - 2] ?? '');
    const swapped = swap(lw, word, prev, next, sentenceStart, before !== '' || after !== '', after);
    if (swapped === undefined) continue;
    out[i] = `${before}${keepCase(word, swapped, sentenceStart)}${after}`;
  }
  return out.join('').replace(/ {2,}/g, ' ');
}

function swap(
  lw: string,
  word: string,
  prev: string,
  next: string,
  sentenceStart: boolean,
  punctuated: boolean,
  after: string,
): string | undefined {
  switch (lw) {
    case 'i':
      // "i.e." and a list item "(i)" are not the customer.
      if (after.startsWith('.') && next.length === 0) return undefined;
      if (word === 'i' && punctuated && /^[.)]/.test(after)) return undefined;
      return 'you';
    case "i'm":
      return "you're";
    case "i've":
      return "you've";
    case "i'd":
      return "you'd";
    case "i'll":
      return "you'll";
    case 'me':
      return 'you';
    case 'my':
      return 'your';
    case 'mine':
      return 'yours';
    case 'myself':
      return 'yourself';
    case 'am':
      // "I am" → "you are" (the "I" was already turned into "you"); asked, "am I" → "are you".
      return prev === 'i' || next === 'i' ? 'are' : undefined;
    case 'was':
      return prev === 'i' || next === 'i' ? 'were' : undefined;
    case "wasn't":
      return prev === 'i' || next === 'i' ? "weren't" : undefined;
    case "we're":
    case "we've":
    case "we'd":
    case "we'll":
      return `you${lw.slice(2)}`;
    case 'we':
      return 'you';
    case 'us':
      // "the US" is a country.
      return word === 'US' ? undefined : 'you';
    case 'our':
      return 'your';
    case 'ours':
      return 'yours';
    case 'ourselves':
      return 'yourselves';
    case 'you':
      return youIs(prev, next, sentenceStart) === 'subject' ? 'we' : 'us';
    case "you're":
      return "we're";
    case "you've":
      return "we've";
    case "you'd":
      return "we'd";
    case "you'll":
      return "we'll";
    case 'your':
      return 'our';
    case 'yours':
      return 'ours';
    case 'yourself':
    case 'yourselves':
      return 'ourselves';
    case 'guys':
      // "you guys sent" → "we sent".
      return prev === 'you' ? '' : undefined;
    default:
      return undefined;
  }
}

/** Whether the company's "you" is the subject ("you charged me") or the object ("I wrote to you"). */
function youIs(prev: string, next: string, sentenceStart: boolean): 'subject' | 'object' {
  if (PREPOSITIONS.has(prev)) return 'object';
  if (AUX_BEFORE.has(prev)) return 'subject';
  if (next === 'guys' || VERB_AFTER.has(next) || /^[a-z]+ed$/.test(next)) return 'subject';
  if (sentenceStart || SUBJECT_LEADS.has(prev)) return 'subject';
  return 'object';
}

function keepCase(original: string, replacement: string, sentenceStart: boolean): string {
  if (!replacement) return replacement;
  // "I" is capital wherever it stands; its replacement is capital only where a sentence starts.
  const capital = /^[A-Z]/.test(original) && (original !== 'I' && !/^I'/.test(original) ? true : sentenceStart);
  return capital ? replacement[0].toUpperCase() + replacement.slice(1) : replacement;
}
