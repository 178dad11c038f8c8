/** One turn of the dialog in progress, and the helpers every move shares. */
import type { CountryCode } from 'libphonenumber-js';
import { render } from '../language/index.ts';
import type { LanguagePack } from '../language/pack.ts';
import type { Budget } from '../understand/budget.ts';
import type { Router } from '../router.ts';
import type { LookupResult } from '../ticket-lookup.ts';
import { absorb, type Absorbed, type AbsorbOptions } from '../absorb.ts';
import {
  dialogStateSchema,
  type DialogState,
  type Effect,
  type Field,
  type Language,
  type NewTicket,
  type TurnOutput,
} from '../types.ts';

/** What the dialog needs from outside: the time, the router, a few settings and the ticket it may open. */
export interface DialogContext {
  now: Date;
  router: Router;
  defaultLanguage: Language;
  phoneRegion: CountryCode;
  maxChars: number;
  ackDelayMinutes: number;
  slaReminderFraction: number;
  secondFollowupDays: number;
  /** Time left for understanding this message (none: no limit). */
  budget?: Budget;
  /**
   * The ticket this turn may open, with its reference and the customer's history. References are numbered without
   * gaps, so the engine allocates one only for a turn known to open a ticket: a turn that would open one without it
   * answers `ticketNeeded` (see TurnOutput) and is run again with it.
   */
  newTicket?: NewTicket;
  /** What the engine found for the ticket this turn asked about (TurnOutput.lookupNeeded). */
  lookup?: LookupResult;
}

/** One customer message being answered: the state it changes, the replies and effects so far, and the context. */
export interface Turn {
  s: DialogState;
  lang: Language;
  pack: LanguagePack;
  replies: string[];
  effects: Effect[];
  ctx: DialogContext;
}

/** An hour in milliseconds. */
export const HOUR = 3_600_000;

// Customers writing Chinese are likeliest to give mainland, Taiwan or Hong Kong numbers without a country code.
// Traditional script is written in Taiwan, Hong Kong and Macau, and by mainland customers too (their numbers do not
// overlap: 09… ten digits, eight digits, 1… eleven digits).
const LANGUAGE_REGIONS: Record<Language, CountryCode[]> = {
  en: [],
  'zh-Hans': ['CN'],
  'zh-Hant': ['TW', 'HK', 'MO', 'CN'],
};
/** The regions a phone number without a country code is read in: the configured one and the language's. */
export function regionsFor(t: Turn): CountryCode[] {
  return [...new Set([t.ctx.phoneRegion, ...LANGUAGE_REGIONS[t.lang]])];
}

/** Reads `text` into the record with the turn's clock, regions and budget; `describe` says what becomes of the story. */
export function absorbText(t: Turn, text: string, describe: AbsorbOptions['describe'], asking?: Field): Absorbed {
  return absorb(t.s.record, text, { now: t.ctx.now, regions: regionsFor(t), budget: t.ctx.budget, describe, asking });
}

/** Adds a reply to the turn. */
export function say(t: Turn, text: string): void {
  t.replies.push(text);
}

/** Ends the turn: its state, its replies rendered for the customer's language, and its effects. */
export function finish(t: Turn): TurnOutput {
  return { state: t.s, replies: t.replies.map((r) => render(t.lang, r)), effects: t.effects };
}

/** Ends a turn that would open a ticket but was given none: the caller prepares one and runs the turn again. */
export function ticketNeeded(t: Turn): TurnOutput {
  return { state: t.s, replies: [], effects: [], ticketNeeded: true };
}

/** A new conversation that keeps only the language, the counts and the last activity. */
export function freshState(s: DialogState): DialogState {
  return dialogStateSchema.parse({
    language: s.language,
    turns: s.turns,
    lastActivityAt: s.lastActivityAt,
    abuseStrikes: s.abuseStrikes,
  });
}

/** The time `hours` after the turn's now, as an ISO string. */
export function dueIn(t: Turn, hours: number): string {
  return new Date(t.ctx.now.getTime() + hours * HOUR).toISOString();
}

/** Apologises once per conversation, in words fitting the complaint's severity. */
export function apologise(t: Turn, severity: 'ordinary' | 'serious' | 'urgent', reasons: string[]): void {
  if (t.s.apologised) return;
  const variants = t.pack.apology[severity];
  // Deterministic but varied: the same conversation always gets the same line, different ones differ.
  const seed = [...(t.s.record.customerWords[0] ?? '')].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  say(t, variants[seed % variants.length]);
  if (severity === 'urgent' && reasons.some((r) => /safety|injury/.test(r))) say(t, t.pack.urgentSafety);
  t.s.apologised = true;
}
