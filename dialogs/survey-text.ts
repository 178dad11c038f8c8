/** The survey as the customer reads it: its questions in their language, asked together in one message. */
import type { LanguagePack } from './language/pack.ts';
import type { Language } from './types.ts';
import type { Survey, SurveyQuestion, SurveyRound } from './survey-config.ts';

/** A question's wording in `lang` (Traditional Chinese reads the Simplified text, converted when rendered). */
export function questionText(q: SurveyQuestion, lang: Language): string {
  return q.text[lang === 'en' ? 'en' : 'zh-Hans'];
}

/** The satisfaction check or the second follow-up: every question of `survey` in one message, numbered. */
export function surveyMessage(
  pack: LanguagePack,
  lang: Language,
  round: SurveyRound,
  reference: string,
  survey: Survey,
): string {
  const qs = survey.questions.map((q) => questionText(q, lang));
  const list = qs.length === 1 ? qs[0] : qs.map((q, i) => `${i + 1}. ${q}`).join('\n');
  return round === 'satisfaction_check'
    ? pack.satisfactionCheck(reference, list)
    : pack.secondFollowup(reference, list);
}

/** The score question's wording in `lang` (a valid survey always has one). */
export function scoreQuestion(survey: Survey, lang: Language): string {
  return questionText(
    survey.questions.find((q) => q.kind === 'score')!,
    lang,
  );
}
