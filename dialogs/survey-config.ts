/**
 * The satisfaction survey (issue #16): its questions as routing.yaml's `survey:` section configures them, and where a
 * conversation stands in answering it. One question of each kind at most, and always a score: a single reply such as
 * "4, yes thanks" is read by kind, so two questions of one kind could not be told apart.
 */
import { z } from 'zod';

/** What a question takes: an overall score 1–5, yes or no, or free text. */
export const surveyQuestionKindSchema = z.enum(['score', 'yes_no', 'text']);
/** A question kind. */
export type SurveyQuestionKind = z.infer<typeof surveyQuestionKindSchema>;

const question = z.object({
  id: z.string().regex(/^[a-z_]+$/),
  kind: surveyQuestionKindSchema,
  /** The question as the customer reads it (Traditional Chinese is converted from zh-Hans). */
  text: z.object({ en: z.string().min(1), 'zh-Hans': z.string().min(1) }),
});
/** One survey question. */
export type SurveyQuestion = z.infer<typeof question>;

/** The questions asked when routing.yaml has no `survey:`: overall score, fully solved, a comment. */
export const DEFAULT_SURVEY_QUESTIONS: SurveyQuestion[] = [
  {
    id: 'score',
    kind: 'score',
    text: {
      en: 'How satisfied are you overall? Please give a score from 1 (not at all) to 5 (completely).',
      'zh-Hans': '您对处理结果总体满意吗？请打 1（很不满意）到 5（非常满意）分。',
    },
  },
  {
    id: 'solved',
    kind: 'yes_no',
    text: { en: 'Was your complaint fully solved? (yes or no)', 'zh-Hans': '您的问题是否已经彻底解决？（是／否）' },
  },
  {
    id: 'comment',
    kind: 'text',
    text: { en: 'Anything else you would like to tell us? (optional)', 'zh-Hans': '还有什么想告诉我们的吗？（选填）' },
  },
];

/** Schema of routing.yaml's `survey:`; the default survey when the section is absent. */
export const surveySchema = z
  .object({
    questions: z
      .array(question)
      .min(1)
      .refine((qs) => new Set(qs.map((q) => q.id)).size === qs.length, 'question ids must be unique')
      .refine(
        (qs) => new Set(qs.map((q) => q.kind)).size === qs.length,
        'at most one question of each kind (one reply is read by kind)',
      )
      .refine((qs) => qs.some((q) => q.kind === 'score'), 'one question must be the overall score (kind: score)')
      .default(DEFAULT_SURVEY_QUESTIONS),
    /** A score at or below this is low: the ticket reopens. */
    low_score: z.number().int().min(1).max(4).default(2),
  })
  .default({ questions: DEFAULT_SURVEY_QUESTIONS, low_score: 2 });
/** A validated survey. */
export type Survey = z.infer<typeof surveySchema>;

/** Which ask a reply answers: the first satisfaction check or a second follow-up. */
export const surveyRoundSchema = z.enum(['satisfaction_check', 'second_followup']);
/** A survey round. */
export type SurveyRound = z.infer<typeof surveyRoundSchema>;

/** One answer: a score 1–5, yes (true) or no (false), or text. */
export const surveyAnswerSchema = z.union([z.number().int().min(1).max(5), z.boolean(), z.string().max(500)]);
/** Answers by question id. */
export type SurveyAnswers = Record<string, z.infer<typeof surveyAnswerSchema>>;

/** A survey being answered (dialog state): its round, and whether the missing score was asked for once already. */
export const surveyProgressSchema = z.object({ round: surveyRoundSchema, scoreAsked: z.boolean().default(false) });
/** Survey progress. */
export type SurveyProgress = z.infer<typeof surveyProgressSchema>;
