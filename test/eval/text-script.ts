/** Chinese script conversion (opencc-js, the same tables the bot renders Traditional with) and script checks. */
import * as OpenCC from 'opencc-js';
import type { Language } from '../../dialogs/types.ts';

let hant: ((text: string) => string) | undefined;
let hans: ((text: string) => string) | undefined;
const HAN = /\p{Script=Han}/u;

/** Simplified Chinese as Traditional (Taiwan standard characters, OpenCC cn → tw). */
export function toHant(text: string): string {
  return (hant ??= OpenCC.Converter({ from: 'cn', to: 'tw' }))(text);
}

/** Traditional Chinese as Simplified (OpenCC tw → cn). */
export function toHans(text: string): string {
  return (hans ??= OpenCC.Converter({ from: 'tw', to: 'cn' }))(text);
}

/**
 * The script a reply is written in, by converting it both ways with OpenCC:
 * `latin` (no Han at all), `shared` (every Han character is the same in both scripts, e.g. "好的"),
 * `hant` (converting to Traditional changes nothing, converting to Simplified does), `hans` (the reverse),
 * `mixed` (both conversions change something: Simplified-only and Traditional-only characters side by side).
 */
export function scriptOf(text: string): 'latin' | 'shared' | 'hans' | 'hant' | 'mixed' {
  if (!HAN.test(text)) return 'latin';
  // The whole text is converted, not its Han characters alone: OpenCC converts phrases, and punctuation bounds them.
  const asHant = toHant(text) === text;
  const asHans = toHans(text) === text;
  if (asHant && asHans) return 'shared';
  if (asHant) return 'hant';
  if (asHans) return 'hans';
  return 'mixed';
}

/** True when a bot reply is in the script a customer writing `language` should get: no Han for English, no Traditional-only characters for Simplified, no Simplified-only ones for Traditional. */
export function inRightScript(reply: string, language: Language): boolean {
  const s = scriptOf(reply);
  if (language === 'en') return s === 'latin';
  return language === 'zh-Hans' ? s === 'hans' || s === 'shared' : s === 'hant' || s === 'shared';
}
