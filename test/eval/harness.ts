/** Runs the evaluation: Redress in-process on an in-memory PGlite, every case through Direct Line, then the measures. */
import type { Redress } from '../../src/main.ts';
import { startTestApp, staffGet } from '../helpers.ts';
import { buildCases, type EvalCase } from './cases.ts';
import { openChat } from './direct-line-client.ts';
import type { FactField } from './fact-sheet.ts';
import {
  completeness,
  copiedShare,
  differingFromFacts,
  median,
  pronounErrors,
  spuriousDetails,
  type TicketView,
} from './metrics.ts';
import { simulate, type Conversation, type Question } from './simulator.ts';
import { inRightScript } from './text-script.ts';

/** Everything measured on one case. */
export interface CaseResult {
  id: string;
  source: EvalCase['source'];
  language: EvalCase['language'];
  volunteered: FactField[];
  ticket: boolean;
  reference?: string;
  turns: number;
  stuck?: string;
  questions: number;
  repeated: Question[];
  askedForGiven: Question[];
  restatement?: string;
  copied?: { share: number; runs: string[] };
  pronounErrors: Array<{ restatement: string; errors: string[] }>;
  spurious: Array<{ field: string; value: string }>;
  /** Ticket details from the complaint text that differ from the fact sheet (for developers; not a goal). */
  differing: Array<{ field: string; value: string; fact: string }>;
  given: FactField[];
  onTicket: FactField[];
  missing: Array<{ field: FactField; expected: string; got: string }>;
  replies: number;
  wrongScript: string[];
  transcript: Conversation['messages'];
}

/** The figures over all cases (or one source's). */
export interface Summary {
  cases: number;
  ticketsReached: number;
  /** Median customer messages to a ticket, over the cases that reached one. */
  medianTurns: number;
  questions: number;
  repeatedRate: number;
  askedForGivenRate: number;
  /** Median over cases with a restatement. */
  medianCopiedShare: number;
  pronounErrors: number;
  spurious: number;
  /** Fields given that are on the ticket / fields given, over cases with a ticket. */
  completeness: number;
  /** Bot replies in the expected script / bot replies. */
  rightScript: number;
}

/** Measures one finished conversation against its case and its ticket (undefined when none was opened). */
export function measure(c: EvalCase, conv: Conversation, ticket: TicketView | undefined, now: Date): CaseResult {
  const customer = conv.messages.filter((m) => m.from === 'customer').map((m) => m.text);
  const bot = conv.messages.filter((m) => m.from === 'bot').map((m) => m.text);
  const first = conv.restatements[0];
  const comp = ticket
    ? completeness(ticket, c.facts, conv.given)
    : { given: conv.given.filter((f) => f !== 'description'), onTicket: [], missing: [] };
  const spurious = ticket ? spuriousDetails(ticket, c.facts, customer, now) : [];
  const restatements = [...new Set([...conv.restatements, ...(ticket ? [ticket.restatement] : [])])];
  return {
    id: c.id,
    source: c.source,
    language: c.language,
    volunteered: c.volunteered.filter((f) => f !== 'description'),
    ticket: !!ticket,
    reference: conv.reference,
    turns: conv.turns,
    stuck: conv.stuck,
    questions: conv.questions.length,
    repeated: conv.questions.filter((q) => q.repeated),
    askedForGiven: conv.questions.filter((q) => q.alreadyGiven),
    restatement: first,
    copied:
      first === undefined
        ? undefined
        : (({ share, runs }) => ({ share, runs }))(copiedShare(first, customer, c.language)),
    pronounErrors: restatements
      .map((r) => ({ restatement: r, errors: pronounErrors(r, customer, c.language) }))
      .filter((p) => p.errors.length),
    spurious,
    differing: ticket ? differingFromFacts(ticket, c.facts, spurious) : [],
    given: comp.given,
    onTicket: comp.onTicket,
    missing: comp.missing,
    replies: bot.length,
    wrongScript: bot.filter((r) => !inRightScript(r, c.language)),
    transcript: conv.messages,
  };
}

/** Aggregates case results into the report's figures. */
export function summarise(results: CaseResult[]): Summary {
  const sum = (f: (r: CaseResult) => number) => results.reduce((a, r) => a + f(r), 0);
  const questions = sum((r) => r.questions);
  const ticketed = results.filter((r) => r.ticket);
  const given = ticketed.reduce((a, r) => a + r.given.length, 0);
  const replies = sum((r) => r.replies);
  return {
    cases: results.length,
    ticketsReached: ticketed.length,
    medianTurns: median(ticketed.map((r) => r.turns)),
    questions,
    repeatedRate: questions ? sum((r) => r.repeated.length) / questions : 0,
    askedForGivenRate: questions ? sum((r) => r.askedForGiven.length) / questions : 0,
    medianCopiedShare: median(results.flatMap((r) => (r.copied ? [r.copied.share] : []))),
    pronounErrors: sum((r) => r.pronounErrors.reduce((a, p) => a + p.errors.length, 0)),
    spurious: sum((r) => r.spurious.length),
    completeness: given ? ticketed.reduce((a, r) => a + r.onTicket.length, 0) / given : NaN,
    rightScript: replies ? (replies - sum((r) => r.wrongScript.length)) / replies : NaN,
  };
}

/** Options for {@link runEval}. */
export interface EvalOptions {
  cases?: number;
  seed?: number;
  /** Conversations run at once. */
  concurrency?: number;
  /** A running Redress to use instead of starting one on PGlite. */
  app?: Redress;
  onCase?: (r: CaseResult, done: number, total: number) => void;
}

/** Runs the whole evaluation and returns every case's result with the summary. */
export async function runEval(
  o: EvalOptions = {},
): Promise<{ date: string; results: CaseResult[]; summary: Summary; bySource: Record<string, Summary> }> {
  const now = new Date();
  const cases = buildCases(o.cases ?? 54, o.seed ?? 14, now);
  // The understanding budget is CPU time, so on a loaded machine it could cut a turn short and change the figures:
  // the eval measures the dialog, not the machine (budget.test.ts tests the budget itself, with a counted one).
  const app = o.app ?? (await startTestApp('pglite', { jobs: false, env: { UNDERSTANDING_BUDGET_MS: '10000' } }));
  const results: CaseResult[] = new Array(cases.length);
  let next = 0;
  let done = 0;
  try {
    const worker = async () => {
      for (let i = next++; i < cases.length; i = next++) {
        const c = cases[i];
        const chat = await openChat(app.url, `eval-${c.id}`);
        let conv: Conversation;
        try {
          conv = await simulate(c, chat);
        } finally {
          chat.end();
        }
        const ticket = conv.reference
          ? ((await staffGet(app, `/api/tickets/${conv.reference}`)).body as TicketView)
          : undefined;
        results[i] = measure(c, conv, ticket, now);
        o.onCase?.(results[i], ++done, cases.length);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, o.concurrency ?? 3) }, worker));
  } finally {
    if (!o.app) await app.stop();
  }
  const sources = [...new Set(results.map((r) => r.source))];
  const bySource = Object.fromEntries(sources.map((s) => [s, summarise(results.filter((r) => r.source === s))]));
  return { date: now.toISOString(), results, summary: summarise(results), bySource };
}
