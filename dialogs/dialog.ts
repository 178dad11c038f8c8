/** The complaint dialog: pure (state, message) → (state, replies, effects). No I/O, no clock of its own. */
import { detectLanguage } from './language/detect.ts';
import { packFor, render } from './language/index.ts';
import type { LanguagePack } from './language/pack.ts';
import { boundText } from './understand/bounded-text.ts';
import {
  dialogMessageSchema,
  dialogStateSchema,
  type DialogMessage,
  type DialogState,
  type FollowupKind,
  type TurnOutput,
} from './types.ts';
import * as intent from './intents.ts';
import { collecting, confirming, correcting, handoff, start } from './moves/intake.ts';
import { call, letter } from './moves/letter-and-call.ts';
import { confirmWithdraw, satisfaction, ticketed } from './moves/ticket.ts';
import { lookupMove } from './moves/lookup.ts';
import { finish, freshState, HOUR, say, type DialogContext, type Turn } from './moves/turn.ts';
import { surveySchema, type Survey } from './survey-config.ts';
import { surveyMessage } from './survey-text.ts';

// Defined with the turn that carries it (moves/turn.ts); callers import it from here, with runDialog.
export type { DialogContext } from './moves/turn.ts';

/** Runs one customer message through the dialog. */
export function runDialog(stateIn: unknown, message: DialogMessage, ctx: DialogContext): TurnOutput {
  const msg = dialogMessageSchema.parse(message);
  const s = dialogStateSchema.parse(stateIn ?? {});
  // Cut and folded before anything reads it, language detection included: every later pattern sees bounded text.
  const bounded = boundText(msg.text, ctx.maxChars);
  const text = bounded.text;
  const lang = detectLanguage(text, s.language) ?? s.language ?? ctx.defaultLanguage;
  const t: Turn = {
    s: { ...s, language: lang, turns: s.turns + 1, ...(msg.timeZone ? { timeZone: msg.timeZone } : {}) },
    lang,
    pack: zoned(packFor(lang), msg.timeZone ?? s.timeZone),
    replies: [],
    effects: [],
    ctx,
  };
  const away = s.lastActivityAt ? ctx.now.getTime() - Date.parse(s.lastActivityAt) : 0;
  t.s.lastActivityAt = ctx.now.toISOString();

  // The engine cuts long text before storage and says so; a direct caller may still pass the whole text.
  if (msg.cut || bounded.cut) say(t, t.pack.tooLong(ctx.maxChars));
  if (!text) {
    if (msg.attachments > 0 && s.ticketReference)
      t.effects.push({ type: 'ticket_event', kind: 'customer_attachment', data: { count: msg.attachments } });
    say(t, msg.attachments > 0 ? t.pack.attachmentOnly : t.pack.empty);
    return finish(t);
  }
  if (away > 24 * HOUR && s.ticketReference && (s.phase === 'ticketed' || s.phase === 'awaiting_satisfaction'))
    say(t, t.pack.welcomeBack(s.ticketReference));

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
  // Asked what it is, the bot says so; the question it was asking, if any, still stands (asked again below).
  if (intent.asksIfBot(text) && !intent.wantsHuman(text)) {
    say(t, t.pack.botAnswer);
    if (t.s.phase === 'start' || t.s.phase === 'closed') say(t, t.pack.askWhatWrong);
    else if (t.s.phase === 'collecting' && t.s.asking) say(t, t.pack.ask[t.s.asking]);
    return finish(t);
  }
  const lookup = lookupMove(t, text, msg.knownEmail);
  if (lookup) return lookup;
  if (msg.style === 'letter' && s.phase !== 'awaiting_satisfaction' && s.phase !== 'confirm_withdraw')
    return letter(t, text, msg.knownEmail, msg.hint, msg.sentence);

  switch (s.phase) {
    case 'start':
    case 'closed':
      return start(t, text, msg.hint, msg.sentence);
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
  // The survey the satisfaction check asks (routing.yaml `survey:`); the default survey without one.
  ctx: Pick<DialogContext, 'defaultLanguage' | 'now'> & { survey?: Survey },
): TurnOutput {
  const s = dialogStateSchema.parse(stateIn ?? {});
  const lang = s.language ?? ctx.defaultLanguage;
  const pack = zoned(packFor(lang), s.timeZone);
  const survey = ctx.survey ?? surveySchema.parse(undefined);
  const texts: Record<FollowupKind, () => string> = {
    acknowledgement: () =>
      pack.acknowledgement({
        reference: followup.reference,
        department: followup.department,
        due: pack.formatDue(followup.dueAt),
      }),
    satisfaction_check: () => surveyMessage(pack, lang, 'satisfaction_check', followup.reference, survey),
    second_followup: () => surveyMessage(pack, lang, 'second_followup', followup.reference, survey),
    sla_reminder: () => '',
    sla_breach: () => '',
    recovery_reminder: () => '',
    recovery_breach: () => '',
  };
  const asks = followup.kind === 'satisfaction_check' || followup.kind === 'second_followup';
  const round = followup.kind === 'second_followup' ? 'second_followup' : 'satisfaction_check';
  const state: DialogState = asks
    ? { ...s, phase: 'awaiting_satisfaction', asking: undefined, survey: { round, scoreAsked: false } }
    : s;
  const text = texts[followup.kind]();
  return { state, replies: text ? [render(lang, text)] : [], effects: [] };
}

/** `pack` naming promised times in the customer's zone (known from their client), else as it is (UTC). */
function zoned(pack: LanguagePack, timeZone: string | undefined): LanguagePack {
  return timeZone ? { ...pack, formatDue: (iso) => pack.formatDue(iso, timeZone) } : pack;
}
