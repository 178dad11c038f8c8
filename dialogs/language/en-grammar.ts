/** Small English agreements the restatement needs: a verb for a plural subject, and a wish said in our words. */

// "your headphones (order 4411)": the head noun is the last word before any bracket. A final "s" after anything but
// "s" or "u" is a plural here ("shoes", "jeans", "bins"; not "glass", "bus"): the products customers name.
const PLURAL_HEAD = /(?<![su'])s(?:\s\([^)]{0,60}\))?$/i;

/** `one` or `many`, as `subject` is singular or plural ("is"/"are", "has"/"have"). */
export function agree(subject: string | undefined, one: string, many: string): string {
  return subject && PLURAL_HEAD.test(subject) ? many : one;
}

// A wish in the customer's own words that starts with what we should do ("call you back", "find your bag").
const DO_VERB =
  /^(?:call|ring|phone|email|contact|find|send|change|pay|fix|replace|refund|cancel|give|return|sort|look|check|tell|explain|deliver|collect|repair|remove|stop|close|update|credit|waive|reduce|lower|compensate|apologi[sz]e|reimburse|investigate|arrange|rebook|reschedule|reinstate|restore|reconnect|unlock|resend|reissue|honou?r|take|make|let|put|come|visit)\b/i;
const WANT_LEAD = /^(?:you|we)\s(?:want|would like|need|expect|'d like)\s(?:to\s)?/i;

/**
 * A free-text wish (already in the second person) as what follows "you would like": "You want the money found or
 * returned" → "the money found or returned", "call you back" → "us to call you back".
 */
export function wishEn(secondPerson: string): string {
  const w = secondPerson
    .trim()
    .replace(WANT_LEAD, '')
    .replace(/^(?:please|pls)\s/i, '');
  if (!w) return secondPerson;
  const lower = w[0].toLowerCase() + w.slice(1);
  return DO_VERB.test(lower) ? `us to ${lower}` : lower;
}
