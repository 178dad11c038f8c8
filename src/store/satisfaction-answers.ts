/** Queries on satisfaction_answers (migration 0018): the survey's answers, one row per question answered. */
import { z } from 'zod';
import { surveyRoundSchema, type SurveyAnswers, type SurveyRound } from '../../dialogs/survey-config.ts';
import type { Queryable } from './db.ts';

/** One answer as stored: the question id, the answer in the column of its kind, the round and when. */
export const satisfactionAnswerRowSchema = z.object({
  question: z.string(),
  score: z.number().nullable(),
  yes: z.boolean().nullable(),
  text: z.string().nullable(),
  round: surveyRoundSchema,
  created_at: z.coerce.date(),
});
/** A stored answer. */
export type SatisfactionAnswerRow = z.infer<typeof satisfactionAnswerRowSchema>;

/** Stores a reply's answers (by question id) for a ticket, one row each, in the caller's transaction. */
export async function saveSatisfactionAnswers(
  tx: Queryable,
  ticketId: number,
  round: SurveyRound,
  answers: SurveyAnswers,
): Promise<void> {
  const entries = Object.entries(answers);
  if (!entries.length) return;
  const of = <T>(type: string) => entries.map(([, v]) => (typeof v === type ? (v as T) : null));
  await tx.query(
    `INSERT INTO satisfaction_answers (ticket_id, question, score, yes, text, round)
     SELECT $1, a.question, a.score, a.yes, a.text, $2
       FROM unnest($3::text[], $4::smallint[], $5::boolean[], $6::text[]) WITH ORDINALITY AS a(question, score, yes, text, n)
      ORDER BY a.n`,
    [ticketId, round, entries.map(([id]) => id), of<number>('number'), of<boolean>('boolean'), of<string>('string')],
  );
}

/** A ticket's answers, oldest first. */
export async function satisfactionAnswersOf(q: Queryable, ticketId: number): Promise<SatisfactionAnswerRow[]> {
  const r = await q.query(
    'SELECT question, score, yes, text, round, created_at FROM satisfaction_answers WHERE ticket_id = $1 ORDER BY id',
    [ticketId],
  );
  return r.rows.map((row) => satisfactionAnswerRowSchema.parse(row));
}
