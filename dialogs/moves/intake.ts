/** The chat intake, turn by turn: the story, its restatement and confirmation, then the missing details one at a time. */
import { nextMissing, type Absorbed } from '../absorb.ts';
import { restate } from '../restate.ts';
import { applyHint, hintRestatement } from '../understand/apply-hint.ts';
import { detectComplaint } from '../understand/complaint-detector.ts';
import { problemKinds } from '../understand/problem-frames.ts';
import { swapIn, swapped } from '../understand/correction.ts';
import type { LlmHint } from '../understand/llm-hint-schema.ts';
import type { ComplaintRecord, TurnOutput } from '../types.ts';
import * as intent from '../intents.ts';
import { openTicket } from './ticket.ts';
import { absorbText, apologise, finish, freshState, regionsFor, say, type Turn } from './turn.ts';

/** The first message of a conversation: a complaint is apologised for and restated; anything else is answered. */
export function start(t: Turn, text: string, hint?: LlmHint, sentence?: number[]): TurnOutput {
  if (t.s.phase === 'closed') t.s = freshState(t.s);
  if (intent.isGreeting(text)) {
    say(t, t.pack.greeting);
    return finish(t);
  }
  // "对", "no", "没有" alone tell no story, whatever the model makes of them (没有 opens many negative reviews): most
  // often they answer the "what went wrong?" we just asked, or a question of a conversation already closed.
  if (intent.isBareYesOrNo(text) || intent.isDecline(text)) {
    say(t, t.pack.askWhatWrong);
    return finish(t);
  }
  const routed = t.ctx.router.route(text, undefined, sentence);
  const a = absorbText(t, text, 'set');
  // Only a question, or thanks, with nothing wrong in it ("When does my promo code expire?"): a polite answer and no
  // intake. A complaint phrased as a question ("Why was I charged twice?") is a complaint, and so is a story that names
  // a kind of problem ("When will you fix the glitch"). A customer who writes again after being told this is the
  // complaints desk is taken at their word (thanks and "ok" aside).
  const detected = detectComplaint(text);
  // The optional LLM can only add a complaint the built-in detector missed (recall first), never remove one.
  if (
    !detected.complaint &&
    hint?.isComplaint !== true &&
    !problemKinds(text).length &&
    (t.s.notComplaint === 0 || detected.closing)
  ) {
    t.s.notComplaint += 1;
    // Who the customer is or which order: worth keeping while we ask for the story. A product or a date alone is not.
    const details = a.added.filter((f) => f === 'name' || f === 'email' || f === 'phone' || f === 'orderNumber');
    // A query about an order ("will you restock #959774?") is answered as one; an introduction is not.
    if (!details.length || details.includes('orderNumber') || intent.isQuestion(text)) say(t, t.pack.offTopic);
    if (!details.length) {
      say(t, t.pack.askWhatWrong);
      return finish(t);
    }
    // Details without a story yet ("I'm Ann, ann@example.com"): keep them, and ask for the story below.
    a.record.description = undefined;
    a.record.customerWords = a.record.customerWords.slice(0, -1);
    delete a.record.evidence?.description;
  }
  // The optional LLM's hint fills only what the built-in understanding left empty; its restatement is kept for the
  // confirmation and the ticket until the customer corrects the record.
  t.s.record = applyHint(a.record, hint, { regions: regionsFor(t), now: t.ctx.now });
  t.s.llmRestatement = t.s.record.description ? hintRestatement(hint, t.lang) : undefined;
  t.s.llmCategory = hint?.category;
  t.s.sentence = sentence;
  if (!t.s.record.description) {
    // Only details so far (a name, an email): keep them and ask for the story.
    invalidNotes(t, a);
    say(t, t.pack.askWhatWrong);
    return finish(t);
  }
  apologise(t, routed.severity, routed.reasons);
  invalidNotes(t, a);
  return restateAndConfirm(t);
}

function restateAndConfirm(t: Turn): TurnOutput {
  say(
    t,
    `${t.pack.checkUnderstood(t.s.llmRestatement ?? restate(t.s.record, t.pack, t.lang, t.ctx.now))}${t.lang === 'en' ? ' ' : ''}${t.pack.confirmQuestion}`,
  );
  t.s.phase = 'confirming';
  t.s.asking = undefined;
  return finish(t);
}

/** The fields a restatement shows: once the customer says yes to it, their readings are confirmed. */
const SHOWN: Array<keyof ComplaintRecord> = [
  'description',
  'product',
  'occurredOn',
  'orderNumber',
  'resolution',
  'amount',
];
function confirmShown(t: Turn): void {
  const evidence = { ...t.s.record.evidence };
  for (const f of SHOWN) {
    const e = evidence[f];
    if (e && t.s.record[f] !== undefined)
      evidence[f] = { ...e, confidence: Math.max(e.confidence, 0.95), confirmed: true };
  }
  t.s.record = { ...t.s.record, evidence };
}

/** Answers "did we understand you?": yes moves on to the details, no or a correction restates again. */
export function confirming(t: Turn, text: string): TurnOutput {
  // "Yes, that's right. My email is …", "yes, order #778899, yesterday": a yes, and the details after it are taken,
  // not pasted into the story. Read before the plain yes, which also accepts a short "yes, …".
  const afterYes = intent.afterYes(text);
  if (afterYes === undefined && intent.isYes(text)) {
    confirmShown(t);
    say(t, t.pack.thanksConfirmed);
    return askNext(t);
  }
  if (afterYes !== undefined) {
    confirmShown(t);
    const a = absorbText(t, afterYes, 'no');
    t.s.record = a.record;
    say(
      t,
      a.added.length
        ? t.pack.noted(
            a.added.map((f) => t.pack.fieldNames[f]),
            a.added.includes('name') ? undefined : t.s.record.name,
          )
        : t.pack.thanksConfirmed,
    );
    if (invalidNotes(t, a)) return finish(t);
    return askNext(t);
  }
  if (swapCorrection(t, text)) return restateAndConfirm(t);
  const no = intent.isNo(text);
  const rest = text.replace(/^\s*(no|nope|not quite|不对|不是)[\s,，.。!！]*/i, '');
  if (no && (!rest.trim() || intent.isDecline(text))) {
    t.s.llmRestatement = undefined;
    t.s.phase = 'correcting';
    say(t, t.pack.askCorrection);
    return finish(t);
  }
  const a = absorbText(t, rest, no ? 'no' : 'append');
  t.s.record = a.record;
  // The customer corrected or added to what we restated: from now on the restatement is the built-in one.
  t.s.llmRestatement = undefined;
  if (no && !a.added.length && !a.changed.length) {
    return correcting(t, rest);
  }
  invalidNotes(t, a);
  return restateAndConfirm(t);
}

/**
 * "No, it's a tablet, not a phone", "$25 not $20", "不是火龙果，是芒果": the story is kept with the one thing swapped (and
 * the product, when that was it), other details in the message are read as usual; false when the message is not such
 * a swap of something the story says.
 */
function swapCorrection(t: Turn, text: string): boolean {
  const swap = swapIn(text);
  const story = t.s.record.description;
  const fixed = swap && story ? swapped(story, swap) : undefined;
  if (!swap || !fixed) return false;
  const product = t.s.record.product?.toLowerCase() === swap.wrong.toLowerCase() ? swap.right : t.s.record.product;
  t.s.record = absorbText(t, text, 'no').record;
  t.s.record = { ...t.s.record, description: fixed, ...(product ? { product } : {}) };
  t.s.llmRestatement = undefined;
  return true;
}

/** Takes the customer's correction of the restatement and restates again. */
export function correcting(t: Turn, text: string): TurnOutput {
  t.s.llmRestatement = undefined;
  if (swapCorrection(t, text)) return restateAndConfirm(t);
  const a = absorbText(t, text, 'no');
  t.s.record = a.record;
  if (!a.added.length && !a.changed.length) {
    const b = absorbText(t, text, 'replace');
    t.s.record = b.record;
    // A new story: the LLM's category and the sentence vector were for the old one.
    t.s.llmCategory = undefined;
    t.s.sentence = undefined;
  }
  invalidNotes(t, a);
  return restateAndConfirm(t);
}

/** Takes the answer to the detail asked for, and asks for the next one. */
export function collecting(t: Turn, text: string): TurnOutput {
  const asking = t.s.asking;
  const a = absorbText(t, text, 'no', asking);
  t.s.record = a.record;
  if (a.changed.length || a.added.includes('description')) t.s.llmRestatement = undefined;
  if (a.changed.length) say(t, t.pack.updated(a.changed.map((f) => t.pack.fieldNames[f])));
  // What was just given is acknowledged, with the customer's name once we have it.
  const noted = a.added.filter((f) => f !== 'amount');
  if (noted.length)
    say(
      t,
      t.pack.noted(
        noted.map((f) => t.pack.fieldNames[f]),
        t.s.record.name,
      ),
    );
  if (invalidNotes(t, a)) return finish(t);
  const progressed = a.added.length || a.changed.length || a.declined;
  if (!progressed && asking) {
    // A question about what happens next is answered, then the question asked again (no "didn't catch that").
    if (intent.isProcessQuestion(text)) {
      say(t, t.pack.processAnswer);
      return askNext(t, 'plain');
    }
    if (intent.isMetaRemark(text)) {
      // "I already told you": an apology and the question again, and the remark is not added to the story.
      say(t, t.pack.sorryIfMissed);
      return askNext(t, 'plain');
    }
    if (intent.isQuestion(text)) say(t, t.pack.offTopic);
    else if (asking !== 'description' && asking !== 'occurredOn' && !intent.opensWithNo(text)) {
      // Anything else said here is more of the story: keep it, then ask again.
      t.s.llmRestatement = undefined;
      t.s.record = absorbText(t, text, 'append').record;
    }
  }
  // Something else was given instead ("jo@example.com" when asked for a name): it was understood, so the question comes
  // again without "Sorry, I didn't catch that".
  return askNext(t, progressed ? 'plain' : 'apologise');
}

/** Reports invalid email, phone or date with the reason; returns true when the turn should wait for a fix. */
function invalidNotes(t: Turn, a: Absorbed): boolean {
  if (a.invalidEmail && !t.s.record.email && !t.s.record.phone) {
    say(t, t.pack.invalidEmail(a.invalidEmail));
    t.s.asking = 'contact';
    return t.s.phase === 'collecting';
  }
  if (a.invalidPhone && !t.s.record.email && !t.s.record.phone) {
    say(t, t.pack.invalidPhone(a.invalidPhone));
    t.s.asking = 'contact';
    return t.s.phase === 'collecting';
  }
  return false;
}

/** Asks for the next missing detail; a question asked before is asked again with an apology unless `again` is 'plain'. */
function askNext(t: Turn, again: 'plain' | 'apologise' = 'apologise'): TurnOutput {
  t.s.phase = 'collecting';
  const missing = t.s.handoff
    ? !t.s.record.email && !t.s.record.phone && (t.s.askedCount.contact ?? 0) < 2
      ? 'contact'
      : undefined
    : nextMissing(t.s.record, t.s.askedCount);
  if (!missing) return openTicket(t);
  // A question asked before is asked once more, saying why ("Sorry, I didn't catch that") unless the answer gave
  // something else that was acknowledged; after that nextMissing moves on and the ticket goes to staff without it.
  const repeated = (t.s.askedCount[missing] ?? 0) > 0 && again === 'apologise';
  t.s.asking = missing;
  t.s.askedCount = { ...t.s.askedCount, [missing]: (t.s.askedCount[missing] ?? 0) + 1 };
  if (missing === 'contact' && t.s.handoff) say(t, t.pack.askContactForHandoff);
  else if (repeated) say(t, missing === 'occurredOn' ? t.pack.invalidDate : t.pack.unknownAnswer(missing));
  else say(t, t.pack.ask[missing]);
  return finish(t);
}

// Here, not with the ticket moves: it may go on asking (askNext), and askNext opens the ticket.
/** Hands the conversation to a person: the ticket opens at once when there is a contact point, else one is asked for. */
export function handoff(t: Turn, reason: string, line?: string, text?: string): TurnOutput {
  t.s.handoff = true;
  if (line) say(t, line);
  if (text && t.s.phase !== 'ticketed') {
    t.s.record = absorbText(t, text, 'no').record;
  }
  if (t.s.ticketReference) {
    t.effects.push({ type: 'handoff', reason });
    say(t, t.pack.handoffNoted(t.s.ticketReference));
    return finish(t);
  }
  if (!t.s.record.customerWords.length && text) t.s.record.customerWords.push(text.slice(0, 2000));
  if (t.s.record.email || t.s.record.phone) return openTicket(t);
  t.s.phase = 'collecting';
  return askNext(t);
}
