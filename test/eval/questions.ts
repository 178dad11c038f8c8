/** Reads the bot's replies with the bot's own language packs: which detail a reply asks for, its restatement, its reference. */
import { en } from '../../dialogs/language/en.ts';
import { zhHans } from '../../dialogs/language/zh-hans.ts';
import type { LanguagePack } from '../../dialogs/language/pack.ts';
import type { Field, Language } from '../../dialogs/types.ts';
import { toHant } from './text-script.ts';

/** What a bot reply does: ask for a detail, ask to confirm the restatement, ask for a correction, or something else. */
export type Intent =
  | { kind: 'ask'; field: Field }
  | { kind: 'confirm'; restatement: string }
  | { kind: 'correction' }
  | { kind: 'ticket'; reference: string }
  | { kind: 'other' };

const SENTINEL = '\u0001';
const FIELDS: Field[] = ['description', 'product', 'occurredOn', 'orderNumber', 'resolution', 'name', 'contact'];
const REFERENCE = /CMP-\d{6}/;

/** The longest fixed part of a sentence template (a function of one value), to find it in a reply. */
function fixed(template: (v: string) => string): string {
  return template(SENTINEL)
    .split(SENTINEL)
    .reduce((a, b) => (b.length > a.length ? b : a), '');
}

interface Cues {
  asks: Array<[string, Field]>;
  confirm: string;
  understood: [string, string];
  correction: string;
}

function cuesFor(pack: LanguagePack, render: (s: string) => string): Cues {
  const [before, after] = pack.checkUnderstood(SENTINEL).split(SENTINEL);
  return {
    // The pack's questions, plus the replies that ask again for one detail (a date or contact that could not be read).
    asks: [
      ...FIELDS.map((f) => [render(pack.ask[f]), f] as [string, Field]),
      [render(pack.askWhatWrong), 'description'],
      [render(pack.greeting), 'description'],
      [render(pack.askContactForHandoff), 'contact'],
      [render(pack.invalidDate), 'occurredOn'],
      [render(fixed(pack.invalidEmail)), 'contact'],
      [render(fixed(pack.invalidPhone)), 'contact'],
    ],
    confirm: render(pack.confirmQuestion),
    understood: [render(before), render(after)],
    correction: render(pack.askCorrection),
  };
}

let cache: Record<Language, Cues> | undefined;
const cues = (language: Language) =>
  (cache ??= { en: cuesFor(en, (s) => s), 'zh-Hans': cuesFor(zhHans, (s) => s), 'zh-Hant': cuesFor(zhHans, toHant) })[
    language
  ];

/** What one bot reply does, read with the pack of the case's language (`zh-Hant`: the Simplified pack rendered by OpenCC). */
export function classify(reply: string, language: Language): Intent {
  const c = cues(language);
  const ref = REFERENCE.exec(reply);
  if (ref) return { kind: 'ticket', reference: ref[0] };
  const at = reply.indexOf(c.understood[0]);
  if (at >= 0) {
    let body = reply.slice(at + c.understood[0].length);
    const end = body.lastIndexOf(c.confirm);
    if (end >= 0) body = body.slice(0, end);
    if (c.understood[1] && body.endsWith(c.understood[1])) body = body.slice(0, -c.understood[1].length);
    return { kind: 'confirm', restatement: body.trim() };
  }
  if (reply.includes(c.correction)) return { kind: 'correction' };
  const ask = c.asks.find(([text]) => text && reply.includes(text));
  return ask ? { kind: 'ask', field: ask[1] } : { kind: 'other' };
}

/** Every language's cue sentences (for tests: the classifier must know them all). */
export function cueSentences(language: Language): string[] {
  return cues(language).asks.map(([t]) => t);
}
