/** Picks the language pack for a reply language; Traditional Chinese is the Simplified pack converted by OpenCC. */
import type { Language } from '../types.ts';
import type { LanguagePack } from './pack.ts';
import { en } from './en.ts';
import { zhHans } from './zh-hans.ts';
import { toTraditional } from './detect.ts';

/** Renders a sentence in the reply language; Simplified text is converted for Traditional readers. */
export function render(language: Language, text: string): string {
  return language === 'zh-Hant' ? toTraditional(text) : text;
}

/** The pack whose sentences serve `language` (pass its output through {@link render}). */
export function packFor(language: Language): LanguagePack {
  return language === 'en' ? en : zhHans;
}
