/** Whether to ask the optional LLM about a message, and asking it: before the turn's transaction. */
import { detectLanguage } from '../../dialogs/language/detect.ts';
import { boundText } from '../../dialogs/understand/bounded-text.ts';
import type { LlmHint } from '../../dialogs/understand/llm-understanding.ts';
import type { DialogState, Language } from '../../dialogs/types.ts';
import type { LlmUnderstander } from '../llm/llm-understander.ts';
import type { Queryable } from '../store/db.ts';
import { seenAndState } from '../store/conversations.ts';

/**
 * The LLM's hint for a customer's message, or undefined when it is not asked (a call, which the dialog side reads
 * from its transcript; an empty text; a redelivery; a conversation past its start, where the dialog does not use a
 * hint) or gives no usable answer (the understander counts the fallback). The redelivery and the conversation's phase
 * are read in one statement outside any transaction: a message redelivered while its first delivery is still in its
 * turn may still be sent once more, which costs a call and nothing else (the turn then sees the duplicate).
 */
export async function llmHint(
  db: Queryable,
  llm: Pick<LlmUnderstander, 'understand'>,
  m: { channel: string; conversationKey: string; messageKey: string; text: string; style: string },
  o: { maxChars: number; defaultLanguage: Language; now: Date },
): Promise<LlmHint | undefined> {
  if (m.style === 'call') return undefined;
  const text = boundText(m.text, o.maxChars).text;
  if (!text.trim()) return undefined;
  const r = await seenAndState(db, m);
  const seen = r.seen;
  const state = r.state as DialogState | null;
  if (seen || !hintWanted(state)) return undefined;
  // The restatement is asked for in the language the dialog will answer in (as runDialog decides it).
  const language = detectLanguage(text, state?.language) ?? state?.language ?? o.defaultLanguage;
  return llm.understand(m.text, language, { now: o.now });
}

/**
 * True when the dialog would use an LLM hint for the next message of a conversation in `state`: a new one, or one
 * at its start (closed starts again). A reply to a question ("yes", an email address, a score) is read by the
 * built-in understanding alone and is not worth a call of up to LLM_TIMEOUT_MS.
 */
export function hintWanted(state: Pick<DialogState, 'phase'> | null | undefined): boolean {
  return !state?.phase || state.phase === 'start' || state.phase === 'closed';
}
