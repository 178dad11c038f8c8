/** The complaint dialog: pure (state, message) → (state, replies, effects). No I/O, no clock of its own. */
import type { CountryCode } from 'libphonenumber-js';
import { absorb, allMissing, nextMissing, type Absorbed } from './absorb.ts';
import { detectLanguage } from './language/detect.ts';
import { packFor, render } from './language/index.ts';
import type { LanguagePack } from './language/pack.ts';
import { restate } from './restate.ts';
import { applyHint, hintRestatement } from './understand/apply-hint.ts';
import { boundText } from './understand/bounded-text.ts';
import { detectComplaint } from './understand/complaint-detector.ts';
import { CONFIDENT } from './understand/field-evidence.ts';
import { problemKinds } from './understand/problem-frames.ts';
import type { Budget } from './understand/budget.ts';
import type { LlmHint } from './understand/llm-understanding.ts';
import type { Router } from './router.ts';
import {
  dialogMessageSchema,
  dialogStateSchema,
  REFERENCE_PLACEHOLDER,
  type DialogMessage,
  type DialogState,
  type ComplaintRecord,
  type Effect,
  type Field,
  type FollowupKind,
  type Language,
  type RoutingDecision,
  type TurnOutput,
} from './types.ts';
import * as intent from './intents.ts';

/** What the dialog needs from outside: the time, the router and a few settings. */
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
}

interface Turn {
  s: DialogState;
  lang: Language;
  pack: LanguagePack;
  replies: string[];
  effects: Effect[];
  ctx: DialogContext;
}

const HOUR = 3_600_000;

/** Runs one customer message through the dialog. */
export function runDialog(stateIn: unknown, message: DialogMessage, ctx: DialogContext): TurnOutput {
  const msg = dialogMessageSchema.parse(message);
  const s = dialogStateSchema.parse(stateIn ?? {});
  // Cut and folded before anything reads it, language detection included: every later pattern sees bounded text.
  const bounded = boundText(msg.text, ctx.maxChars);
  const text = bounded.text;
  const lang = detectLanguage(text, s.language) ?? s.language ?? ctx.defaultLanguage;
  const t: Turn = { s: { ...s, language: lang, turns: s.turns + 1 }, lang, pack: packFor(lang), replies: [], effects: [], ctx };
  const away = s.lastActivityAt ? ctx.now.getTime() - Date.parse(s.lastActivityAt) : 0;
  t.s.lastActivityAt = ctx.now.toISOString();

  // The engine cuts long text before storage and says so; a direct caller may still pass the whole text.
  if (msg.cut || bounded.cut) say(t, t.pack.tooLong(ctx.maxChars));
  if (!text) {
    if (msg.attachments > 0 && s.ticketReference) t.effects.push({ type: 'ticket_event', kind: 'customer_attachment', data: { count: msg.attachments } });
    say(t, msg.attachments > 0 ? t.pack.attachmentOnly : t.pack.empty);
    return finish(t);
  }
  if (away > 24 * HOUR && s.ticketReference && (s.phase === 'ticketed' || s.phase === 'awaiting_satisfaction')) say(t, t.pack.welcomeBack(s.ticketReference));

  if (intent.isAbusive(text)) {
    t.s.abuseStrikes += 1;
    say(t, t.pack.abuse);
    if (t.s.abuseStrikes >= 3 && !t.s.handoff) return handoff(t, 'repeated abuse', t.pack.abuseHandoff);
    if (!intent.hasContentBesidesAbuse(text)) return finish(t);
  }
  if (intent.isRestart(text) || (s.ticketReference && intent.isNewComplaint(text))) {
    t.s = freshState(t.s);
    say(t, t.pack.restarted);
    return finish(t);
  }
  if (intent.isCancel(text)) {
    if (s.ticketReference && s.phase !== 'closed') {
      t.s.phase = 'confirm_withdraw';
      say(t, t.pack.withdrawConfirm(s.ticketReference));
    } else {
      t.s = { ...freshState(t.s), phase: 'closed' };
      say(t, t.pack.cancelled);
    }
    return finish(t);
  }
  if (intent.wantsHuman(text) && !t.s.handoff) return handoff(t, 'customer asked for a person', undefined, text);
  for (const f of msg.refusedAttachments) say(t, t.pack.attachmentRefused(f.name, (f.size / 1_048_576).toFixed(1)));
  if (msg.style === 'call') return call(t, msg.record, msg.unsure);
  if (msg.style === 'letter' && s.phase !== 'awaiting_satisfaction' && s.phase !== 'confirm_withdraw') return letter(t, text, msg.knownEmail, msg.hint);

  switch (s.phase) {
    case 'start':
    case 'closed':
      return start(t, text, msg.hint);
    case 'confirming':
      return confirming(t, text);
    case 'correcting':
      return correcting(t, text);
    case 'collecting':
      return collecting(t, text);
    case 'confirm_withdraw':
      return confirmWithdraw(t, text);
    case 'awaiting_satisfaction':
      return satisfaction(t, text);
    case 'ticketed':
      return ticketed(t, text);
  }
}

/** Produces the customer-facing text of a follow-up and moves the conversation to wait for the answer. */
export function runFollowup(
  stateIn: unknown,
  followup: { kind: FollowupKind; reference: string; department: string; dueAt: string },
  ctx: Pick<DialogContext, 'defaultLanguage' | 'now'>,
): TurnOutput {
  const s = dialogStateSchema.parse(stateIn ?? {});
  const lang = s.language ?? ctx.defaultLanguage;
  const pack = packFor(lang);
  const texts: Record<FollowupKind, () => string> = {
    acknowledgement: () => pack.acknowledgement({ reference: followup.reference, department: followup.department, due: pack.formatDue(followup.dueAt) }),
    satisfaction_check: () => pack.satisfactionCheck(followup.reference),
    second_followup: () => pack.secondFollowup(followup.reference),
    sla_reminder: () => '',
    sla_breach: () => '',
  };
  const asks = followup.kind === 'satisfaction_check' || followup.kind === 'second_followup';
  const state: DialogState = asks ? { ...s, phase: 'awaiting_satisfaction', asking: undefined } : s;
  const text = texts[followup.kind]();
  return { state, replies: text ? [render(lang, text)] : [], effects: [] };
}

// Customers writing Chinese are likeliest to give mainland, Taiwan or Hong Kong numbers without a country code.
const LANGUAGE_REGIONS: Record<Language, CountryCode[]> = { en: [], 'zh-Hans': ['CN'], 'zh-Hant': ['TW', 'HK'] };
function regionsFor(t: Turn): CountryCode[] {
  return [...new Set([t.ctx.phoneRegion, ...LANGUAGE_REGIONS[t.lang]])];
}

function say(t: Turn, text: string): void {
  t.replies.push(text);
}

function finish(t: Turn): TurnOutput {
  return { state: t.s, replies: t.replies.map((r) => render(t.lang, r)), effects: t.effects };
}

function freshState(s: DialogState): DialogState {
  return dialogStateSchema.parse({ language: s.language, turns: s.turns, lastActivityAt: s.lastActivityAt, abuseStrikes: s.abuseStrikes });
}

function start(t: Turn, text: string, hint?: LlmHint): TurnOutput {
  if (t.s.phase === 'closed') t.s = freshState(t.s);
  if (intent.isGreeting(text)) {
    say(t, t.pack.greeting);
    return finish(t);
  }
  const routed = t.ctx.router.route(text);
  const a = absorb(t.s.record, text, { now: t.ctx.now, regions: regionsFor(t), budget: t.ctx.budget, describe: 'set' });
  // Only a question, or thanks, with nothing wrong in it ("When does my promo code expire?"): a polite answer and no
  // intake. A complaint phrased as a question ("Why was I charged twice?") is a complaint, and so is a story that names
  // a kind of problem ("When will you fix the glitch"). A customer who writes again after being told this is the
  // complaints desk is taken at their word (thanks and "ok" aside).
  const detected = detectComplaint(text);
  // The optional LLM can only add a complaint the built-in detector missed (recall first), never remove one.
  if (!detected.complaint && hint?.isComplaint !== true && !problemKinds(text).length && (t.s.notComplaint === 0 || detected.closing)) {
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

function apologise(t: Turn, severity: 'ordinary' | 'serious' | 'urgent', reasons: string[]): void {
  if (t.s.apologised) return;
  const variants = t.pack.apology[severity];
  // Deterministic but varied: the same conversation always gets the same line, different ones differ.
  const seed = [...(t.s.record.customerWords[0] ?? '')].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  say(t, variants[seed % variants.length]);
  if (severity === 'urgent' && reasons.some((r) => /safety|injury/.test(r))) say(t, t.pack.urgentSafety);
  t.s.apologised = true;
}

function restateAndConfirm(t: Turn): TurnOutput {
  say(t, `${t.pack.checkUnderstood(t.s.llmRestatement ?? restate(t.s.record, t.pack, t.lang, t.ctx.now))}${t.lang === 'en' ? ' ' : ''}${t.pack.confirmQuestion}`);
  t.s.phase = 'confirming';
  t.s.asking = undefined;
  return finish(t);
}

/** The fields a restatement shows: once the customer says yes to it, their readings are confirmed. */
const SHOWN: Array<keyof ComplaintRecord> = ['description', 'product', 'occurredOn', 'orderNumber', 'resolution', 'amount'];
function confirmShown(t: Turn): void {
  const evidence = { ...t.s.record.evidence };
  for (const f of SHOWN) {
    const e = evidence[f];
    if (e && t.s.record[f] !== undefined) evidence[f] = { ...e, confidence: Math.max(e.confidence, 0.95), confirmed: true };
  }
  t.s.record = { ...t.s.record, evidence };
}

function confirming(t: Turn, text: string): TurnOutput {
  if (intent.isYes(text)) {
    confirmShown(t);
    say(t, t.pack.thanksConfirmed);
    return askNext(t);
  }
  // "Yes, that's right. My email is …": a yes, and the details after it are taken, not pasted into the story.
  const afterYes = intent.afterYes(text);
  if (afterYes !== undefined) {
    confirmShown(t);
    const a = absorb(t.s.record, afterYes, { now: t.ctx.now, regions: regionsFor(t), budget: t.ctx.budget, describe: 'no' });
    t.s.record = a.record;
    say(t, a.added.length ? t.pack.noted(a.added.map((f) => t.pack.fieldNames[f]), a.added.includes('name') ? undefined : t.s.record.name) : t.pack.thanksConfirmed);
    if (invalidNotes(t, a)) return finish(t);
    return askNext(t);
  }
  const no = intent.isNo(text);
  const rest = text.replace(/^\s*(no|nope|not quite|不对|不是)[\s,，.。!！]*/i, '');
  if (no && !rest.trim()) {
    t.s.llmRestatement = undefined;
    t.s.phase = 'correcting';
    say(t, t.pack.askCorrection);
    return finish(t);
  }
  const a = absorb(t.s.record, rest, { now: t.ctx.now, regions: regionsFor(t), budget: t.ctx.budget, describe: no ? 'no' : 'append' });
  t.s.record = a.record;
  // The customer corrected or added to what we restated: from now on the restatement is the built-in one.
  t.s.llmRestatement = undefined;
  if (no && !a.added.length && !a.changed.length) {
    return correcting(t, rest);
  }
  invalidNotes(t, a);
  return restateAndConfirm(t);
}

function correcting(t: Turn, text: string): TurnOutput {
  t.s.llmRestatement = undefined;
  const a = absorb(t.s.record, text, { now: t.ctx.now, regions: regionsFor(t), budget: t.ctx.budget, describe: 'no' });
  t.s.record = a.record;
  if (!a.added.length && !a.changed.length) {
    const b = absorb(t.s.record, text, { now: t.ctx.now, regions: regionsFor(t), budget: t.ctx.budget, describe: 'replace' });
    t.s.record = b.record;
    // A new story: the LLM's category was for the old one.
    t.s.llmCategory = undefined;
  }
  invalidNotes(t, a);
  return restateAndConfirm(t);
}

function collecting(t: Turn, text: string): TurnOutput {
  const asking = t.s.asking;
  const a = absorb(t.s.record, text, { now: t.ctx.now, regions: regionsFor(t), budget: t.ctx.budget, asking, describe: 'no' });
  t.s.record = a.record;
  if (a.changed.length || a.added.includes('description')) t.s.llmRestatement = undefined;
  if (a.changed.length) say(t, t.pack.updated(a.changed.map((f) => t.pack.fieldNames[f])));
  // What was just given is acknowledged, with the customer's name once we have it.
  const noted = a.added.filter((f) => f !== 'amount');
  if (noted.length) say(t, t.pack.noted(noted.map((f) => t.pack.fieldNames[f]), t.s.record.name));
  if (invalidNotes(t, a)) return finish(t);
  const progressed = a.added.length || a.changed.length || a.declined;
  if (!progressed && asking) {
    if (intent.isQuestion(text)) say(t, t.pack.offTopic);
    else if (asking !== 'description' && asking !== 'occurredOn') {
      // Anything else said here is more of the story: keep it, then ask again.
      t.s.llmRestatement = undefined;
      t.s.record = absorb(t.s.record, text, { now: t.ctx.now, regions: regionsFor(t), budget: t.ctx.budget, describe: 'append' }).record;
    }
  }
  return askNext(t);
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

function askNext(t: Turn): TurnOutput {
  t.s.phase = 'collecting';
  const missing = t.s.handoff ? (!t.s.record.email && !t.s.record.phone && (t.s.askedCount.contact ?? 0) < 2 ? 'contact' : undefined) : nextMissing(t.s.record, t.s.askedCount);
  if (!missing) return openTicket(t);
  // A question asked before is asked once more, never without saying why; after that nextMissing moves on and the
  // ticket goes to staff without it.
  const again = (t.s.askedCount[missing] ?? 0) > 0;
  t.s.asking = missing;
  t.s.askedCount = { ...t.s.askedCount, [missing]: (t.s.askedCount[missing] ?? 0) + 1 };
  if (missing === 'contact' && t.s.handoff) say(t, t.pack.askContactForHandoff);
  else if (again) say(t, missing === 'occurredOn' ? t.pack.invalidDate : t.pack.unknownAnswer(missing));
  else say(t, t.pack.ask[missing]);
  return finish(t);
}

function dueIn(t: Turn, hours: number): string {
  return new Date(t.ctx.now.getTime() + hours * HOUR).toISOString();
}

/** Records the ticket and its follow-ups (no reply); returns the routing every channel's confirmation uses. */
function fileTicket(t: Turn): { routing: RoutingDecision; department: string; due: string; restatement: string } {
  const r = t.s.record;
  const routing = t.ctx.router.route([...r.customerWords, r.product ?? ''].join('\n'), t.s.llmCategory);
  if (t.s.handoff) routing.reasons.push('customer handed off to a person');
  const restatement = t.s.llmRestatement ?? restate(r, t.pack, t.lang, t.ctx.now);
  const due = dueIn(t, routing.slaHours);
  t.effects.push(
    { type: 'open_ticket', record: r, routing, restatement: render(t.lang, restatement), handoff: t.s.handoff },
    { type: 'schedule_followup', kind: 'acknowledgement', audience: 'customer', dueAt: dueIn(t, t.ctx.ackDelayMinutes / 60) },
    { type: 'schedule_followup', kind: 'sla_reminder', audience: 'staff', dueAt: dueIn(t, routing.slaHours * t.ctx.slaReminderFraction) },
  );
  t.s.phase = 'ticketed';
  t.s.asking = undefined;
  t.s.ticketReference = REFERENCE_PLACEHOLDER;
  t.s.ticketDueAt = due;
  const department = t.ctx.router.config.departments.find((d) => d.id === routing.department)!;
  return { routing, department: department.name[t.lang === 'en' ? 'en' : 'zh-Hans'], due, restatement };
}

function openTicket(t: Turn): TurnOutput {
  const { department, due, restatement } = fileTicket(t);
  say(
    t,
    t.s.handoff
      ? t.pack.handoffOpened({ reference: REFERENCE_PLACEHOLDER, due: t.pack.formatDue(due) })
      : t.pack.ticketOpened({ reference: REFERENCE_PLACEHOLDER, department, due: t.pack.formatDue(due), summary: restatement }),
  );
  return finish(t);
}

function handoff(t: Turn, reason: string, line?: string, text?: string): TurnOutput {
  t.s.handoff = true;
  if (line) say(t, line);
  if (text && t.s.phase !== 'ticketed') {
    t.s.record = absorb(t.s.record, text, { now: t.ctx.now, regions: regionsFor(t), budget: t.ctx.budget, describe: 'no' }).record;
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

function confirmWithdraw(t: Turn, text: string): TurnOutput {
  const ref = t.s.ticketReference!;
  if (intent.isYes(text)) {
    t.effects.push({ type: 'set_status', status: 'withdrawn', reason: 'customer withdrew the complaint' }, { type: 'cancel_followups', kinds: ['acknowledgement', 'sla_reminder', 'sla_breach', 'satisfaction_check', 'second_followup'] });
    t.s = { ...freshState(t.s), phase: 'closed' };
    say(t, t.pack.withdrawn(ref));
  } else {
    t.s.phase = 'ticketed';
    say(t, t.pack.keepTicket(ref));
  }
  return finish(t);
}

function satisfaction(t: Turn, text: string): TurnOutput {
  const ref = t.s.ticketReference!;
  const score = intent.parseScore(text);
  if (score === undefined) {
    if (text.split(/\s+/).length > 6 || text.length > 20) return ticketed(t, text);
    say(t, t.pack.scoreUnclear);
    return finish(t);
  }
  t.effects.push({ type: 'record_satisfaction', score, comment: text.slice(0, 500) });
  t.s.phase = 'ticketed';
  if (score <= 2) {
    t.effects.push(
      { type: 'set_status', status: 'reopened', reason: `satisfaction score ${score}` },
      { type: 'schedule_followup', kind: 'second_followup', audience: 'customer', dueAt: dueIn(t, t.ctx.secondFollowupDays * 24) },
    );
    say(t, t.pack.satisfactionSorry(ref));
  } else if (score === 3) say(t, t.pack.satisfactionNeutral(ref));
  else say(t, t.pack.satisfactionThanks(ref));
  return finish(t);
}

/** Email: every message is complete in itself. The first opens the ticket at once and asks for all that is missing. */
function letter(t: Turn, text: string, knownEmail?: string, hint?: LlmHint): TurnOutput {
  if (t.s.ticketReference && t.s.phase !== 'closed') {
    const ref = t.s.ticketReference;
    const a = absorb(t.s.record, text, { now: t.ctx.now, regions: regionsFor(t), budget: t.ctx.budget, describe: 'append' });
    t.s.record = a.record;
    t.effects.push({ type: 'ticket_event', kind: 'customer_message', data: { text: text.slice(0, 2000) } });
    if (a.added.length || a.changed.length) t.effects.push({ type: 'update_record', record: a.record, changed: [...a.added, ...a.changed] });
    say(t, t.pack.letterUpdated({ reference: ref, due: t.pack.formatDue(t.s.ticketDueAt ?? dueIn(t, 72)) }));
    const missing = allMissing(t.s.record);
    say(t, missing.length ? t.pack.letterMissing(missing.map((f) => t.pack.detailNames[f])) : t.pack.letterComplete);
    return finish(t);
  }
  if (t.s.phase === 'closed') t.s = freshState(t.s);
  const a = absorb(t.s.record, text, { now: t.ctx.now, regions: regionsFor(t), budget: t.ctx.budget, describe: 'set' });
  const record = unsureLeftOut(applyHint(a.record, hint, { regions: regionsFor(t), now: t.ctx.now }));
  t.s.record = knownEmail && !record.email ? { ...record, email: knownEmail } : record;
  t.s.llmRestatement = t.s.record.description ? hintRestatement(hint, t.lang) : undefined;
  t.s.llmCategory = hint?.category;
  if (!t.s.record.description) {
    say(t, t.pack.greeting);
    return finish(t);
  }
  // An email with no complaint in it (a question, thanks) opens no ticket: it gets a polite answer.
  if (!detectComplaint(text).complaint && hint?.isComplaint !== true) {
    t.s = { ...freshState(t.s), phase: 'closed' };
    t.effects.push({ type: 'no_complaint', reason: 'no complaint found in the email' });
    say(t, t.pack.offTopic);
    say(t, t.pack.askWhatWrong);
    return finish(t);
  }
  // One routing decides the apology, the ticket and the department named to the customer.
  const filed = fileTicket(t);
  apologise(t, filed.routing.severity, filed.routing.reasons);
  say(t, t.pack.letterUnderstood(filed.restatement));
  say(t, t.pack.letterOpened({ reference: REFERENCE_PLACEHOLDER, department: filed.department, due: t.pack.formatDue(filed.due) }));
  const missing = allMissing(t.s.record);
  if (missing.length) say(t, t.pack.letterMissing(missing.map((f) => t.pack.detailNames[f])));
  say(t, t.pack.letterCorrections);
  return finish(t);
}

/**
 * A letter is not answered turn by turn, so nothing in it can be confirmed before the ticket opens: a reading below
 * CONFIDENT (a product guessed by the tagger) is left out and asked for in the reply instead of assumed.
 */
function unsureLeftOut(record: ComplaintRecord): ComplaintRecord {
  const evidence = record.evidence ?? {};
  const unsure = (Object.keys(evidence) as Array<keyof ComplaintRecord>).filter((f) => (evidence[f]?.confidence ?? 1) < CONFIDENT && f !== 'description');
  if (!unsure.length) return record;
  const out: ComplaintRecord = { ...record, evidence: { ...evidence } };
  for (const f of unsure) {
    delete (out as Record<string, unknown>)[f];
    delete out.evidence![f];
  }
  return out;
}

/**
 * A phone call, already transcribed and extracted by the channel: the ticket opens at once. The customer gets the
 * restatement and a list of what is missing or uncertain when there is an email to write to; with no contact point
 * at all, staff are asked to call back.
 */
function call(t: Turn, record: ComplaintRecord | undefined, unsure: Field[]): TurnOutput {
  if (t.s.ticketReference) {
    say(t, t.pack.ticketUpdate({ reference: t.s.ticketReference, due: t.pack.formatDue(t.s.ticketDueAt ?? dueIn(t, 72)) }));
    return finish(t);
  }
  // A call that is only a question ("when does my promo code expire?") opens no ticket.
  if (!record?.description || !detectComplaint(record.customerWords.join('\n') || record.description).complaint) {
    t.s.phase = 'closed';
    t.effects.push({ type: 'no_complaint', reason: 'no complaint found in the call' });
    return finish(t);
  }
  t.s.record = { ...record, declined: [] };
  const filed = fileTicket(t);
  if (!record.email && !record.phone) t.effects.push({ type: 'handoff', reason: 'no contact point in the call: call-back needed' });
  if (!record.email) return finish(t);
  apologise(t, filed.routing.severity, filed.routing.reasons);
  say(t, t.pack.callUnderstood(filed.restatement));
  say(t, t.pack.letterOpened({ reference: REFERENCE_PLACEHOLDER, department: filed.department, due: t.pack.formatDue(filed.due) }));
  const missing = [...new Set([...allMissing(t.s.record), ...unsure])].filter((f) => f !== 'contact' && f !== 'description');
  if (missing.length) say(t, t.pack.letterMissing(missing.map((f) => t.pack.detailNames[f])));
  say(t, t.pack.letterCorrections);
  return finish(t);
}

function ticketed(t: Turn, text: string): TurnOutput {
  const ref = t.s.ticketReference!;
  const a = absorb(t.s.record, text, { now: t.ctx.now, regions: regionsFor(t), budget: t.ctx.budget, describe: 'append' });
  t.s.record = a.record;
  t.effects.push({ type: 'ticket_event', kind: 'customer_message', data: { text: text.slice(0, 2000) } });
  if (a.added.length || a.changed.length) t.effects.push({ type: 'update_record', record: a.record, changed: [...a.added, ...a.changed] });
  say(t, t.pack.ticketUpdate({ reference: ref, due: t.pack.formatDue(t.s.ticketDueAt ?? dueIn(t, 72)) }));
  if (t.replies.length === 1) say(t, t.pack.newComplaintHint);
  return finish(t);
}
