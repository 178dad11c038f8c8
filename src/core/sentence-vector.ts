/** The sentence vector of a customer's message, for a router model that blends a sentence encoder: before the turn. */
import { boundText } from '../../dialogs/understand/bounded-text.ts';
import type { DialogState } from '../../dialogs/types.ts';
import type { Encoder } from '../router/encoder.ts';
import type { Queryable } from '../store/db.ts';
import { seenAndState } from '../store/conversations.ts';
import { RedressError } from './errors.ts';
import { hintWanted } from './llm-hint.ts';

/**
 * The vector of `m`'s text (rounded to 4 decimals: the state keeps it), or undefined where the dialog would not route
 * a new story with it (a call, an empty text, a redelivery, a conversation past its start) or the encoder fails: the
 * words alone then route, as without an encoder. Read outside any transaction, like the LLM's hint.
 */
export async function sentenceVector(
  db: Queryable,
  encoder: () => Promise<Encoder>,
  m: { channel: string; conversationKey: string; messageKey: string; text: string; style: string },
  o: { maxChars: number; onError: (e: unknown) => void; name: string },
): Promise<number[] | undefined> {
  if (m.style === 'call') return undefined;
  const text = boundText(m.text, o.maxChars).text;
  if (!text.trim()) return undefined;
  const r = await seenAndState(db, m);
  if (r.seen || !hintWanted(r.state as DialogState | null)) return undefined;
  try {
    const e = await encoder();
    // A model trained on another encoder's vectors would read these as noise: the words alone route instead.
    if (e.name !== o.name)
      throw new RedressError(
        'ENCODER_UNAVAILABLE',
        `the router model needs the encoder "${o.name}"; this build has "${e.name}"`,
      );
    const [v] = await e.embed([text]);
    return Array.from(v, (x) => Math.round(x * 1e4) / 1e4);
  } catch (e) {
    o.onError(e);
    return undefined;
  }
}
