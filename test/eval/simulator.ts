/** The customer simulator: sends the complaint, then answers only what the bot asks, from the case's fact sheet. */
import type { Field } from '../../dialogs/types.ts';
import type { EvalCase } from './cases.ts';
import type { Chat } from './direct-line-client.ts';
import { answerFor, type FactField } from './fact-sheet.ts';
import { classify, type Intent } from './questions.ts';
import { seeded } from './rng.ts';

/** Most customer messages a case may take. */
export const MAX_TURNS = 12;

/** One question the bot asked, with what the customer had given before it. */
export interface Question {
  turn: number;
  field: Field;
  text: string;
  /** The bot had asked for this field before. */
  repeated: boolean;
  /** The customer had already given this field. */
  alreadyGiven: boolean;
}

/** A whole simulated conversation. */
export interface Conversation {
  caseId: string;
  messages: Array<{ from: 'customer' | 'bot'; text: string }>;
  questions: Question[];
  /** Every restatement the bot asked the customer to confirm. */
  restatements: string[];
  /** Fields the customer gave (volunteered in the first message, or answered). */
  given: FactField[];
  reference?: string;
  /** Customer messages sent. */
  turns: number;
  /** Why it ended without a ticket (no question to answer, or out of turns). */
  stuck?: string;
}

const YES = { en: 'yes', 'zh-Hans': '对', 'zh-Hant': '對' } as const;

/** The reply of a turn that tells the customer what to do next: a ticket first, then the last question or confirmation. */
function nextStep(intents: Intent[]): Intent {
  return (
    intents.find((i) => i.kind === 'ticket') ??
    [...intents].reverse().find((i) => i.kind !== 'other') ?? { kind: 'other' }
  );
}

/** Runs case `c` over `chat` until a ticket reference or MAX_TURNS customer messages. */
export async function simulate(c: EvalCase, chat: Chat): Promise<Conversation> {
  const rng = seeded(c.seed);
  const conv: Conversation = {
    caseId: c.id,
    messages: [],
    questions: [],
    restatements: [],
    given: [...c.volunteered],
    turns: 0,
  };
  const asked = new Set<Field>();
  let text = c.firstMessage;
  while (conv.turns < MAX_TURNS) {
    conv.turns++;
    conv.messages.push({ from: 'customer', text });
    const replies = await chat.say(text);
    for (const r of replies) conv.messages.push({ from: 'bot', text: r });
    const intents = replies.map((r) => classify(r, c.language));
    for (let i = 0; i < intents.length; i++) {
      const it = intents[i];
      if (it.kind === 'confirm') conv.restatements.push(it.restatement);
      if (it.kind !== 'ask') continue;
      conv.questions.push({
        turn: conv.turns,
        field: it.field,
        text: replies[i],
        repeated: asked.has(it.field),
        alreadyGiven: conv.given.includes(it.field),
      });
      asked.add(it.field);
    }
    const step = nextStep(intents);
    if (step.kind === 'ticket') {
      conv.reference = step.reference;
      return conv;
    }
    if (step.kind === 'confirm') text = YES[c.language];
    else if (step.kind === 'ask' && step.field !== 'description') {
      text = answerFor(c.facts, step.field, rng);
      if (!conv.given.includes(step.field)) conv.given.push(step.field);
    } else if (step.kind === 'ask' || step.kind === 'correction')
      text = c.complaint; // what happened: the complaint again
    else {
      conv.stuck = replies.length ? `no question to answer in: ${replies.join(' | ').slice(0, 200)}` : 'no reply';
      return conv;
    }
  }
  conv.stuck = `no ticket after ${MAX_TURNS} messages`;
  return conv;
}
