/** The survey reader: one reply, in any order and form, in English and Chinese, read into answers per question. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readSurveyReply } from '../../dialogs/survey-answers.ts';
import { DEFAULT_SURVEY_QUESTIONS, type SurveyQuestion } from '../../dialogs/survey-config.ts';
import { build, recipes, type Recipe } from './understand/adversarial.ts';
import { measureWork } from './understand/work-meter.ts';

const read = (text: string) => readSurveyReply(text, DEFAULT_SURVEY_QUESTIONS).answers;

describe('one reply answers the default survey (score, solved, comment) in any order and form', () => {
  it.each([
    ['4, yes thanks', { score: 4, solved: true }],
    ['yes 5', { score: 5, solved: true }],
    ['5', { score: 5 }],
    ['5 thanks', { score: 5 }],
    ['not solved at all, 1', { score: 1, solved: false }],
    ['Fully solved. 4/5', { score: 4, solved: true }],
    ['four', { score: 4 }],
    ['Four stars, all sorted', { score: 4, solved: true }],
    ['3 out of 5, not really', { score: 3, solved: false }],
    ['★★★★', { score: 4 }],
    ['★★☆☆☆ nope', { score: 2, solved: false }],
    ['１ - still no refund', { score: 1, solved: false, comment: 'still no refund' }],
    ['Yes, resolved. I would give it a 4', { score: 4, solved: true }],
    ['Very satisfied, the engineer was great', { score: 5, comment: 'the engineer was great' }],
    ['not happy', { score: 2 }],
    ['2 - the replacement is broken too', { score: 2, comment: 'the replacement is broken too' }],
    // Answered by the questions' numbers, as the check lists them.
    ['1. 4\n2. yes\n3. the courier was lovely', { score: 4, solved: true, comment: 'the courier was lovely' }],
    ['1) 2 2) no 3) nobody called me back', { score: 2, solved: false, comment: 'nobody called me back' }],
    ['5. Great service', { score: 5, comment: 'Great service' }],
    ['It took 2 weeks but yes, sorted now. 4 stars', { score: 4, solved: true, comment: 'It took 2 weeks' }],
  ])('%s', (text, answers) => {
    expect(read(text)).toEqual(answers);
  });

  it.each([
    ['四分，解决了', { score: 4, solved: true }],
    ['解决了，四分', { score: 4, solved: true }],
    ['给4分，还没有完全解决', { score: 4, solved: false }],
    ['五星，客服小王很耐心', { score: 5, comment: '客服小王很耐心' }],
    ['满分，已经解决了，谢谢', { score: 5, solved: true }],
    ['三', { score: 3 }],
    ['没解决，1分，等了两个星期还没人联系我', { score: 1, solved: false, comment: '等了两个星期还没人联系我' }],
    ['不满意', { score: 2 }],
    // Traditional script is read as Simplified, and the comment keeps the customer's own script.
    ['給四分，解決了，謝謝', { score: 4, solved: true }],
    ['三分，沒解決，客服態度很差', { score: 3, solved: false, comment: '客服態度很差' }],
  ])('%s', (text, answers) => {
    expect(read(text)).toEqual(answers);
  });

  it('yes or no alone answers "solved" and leaves the score to ask', () => {
    for (const yes of ['解决了', 'yes thanks', 'fully solved', '是的', 'y'])
      expect(read(yes), yes).toEqual({ solved: true });
    for (const no of ['没解决', '还没有', 'not really', 'no', '不是', 'not fully'])
      expect(read(no), no).toEqual({ solved: false });
  });

  it('numbers that are not a score are not taken for one; two different scores are no answer', () => {
    expect(read('I still have not received the 2 replacement parts').score).toBeUndefined();
    expect(read('3 days late and still not fixed')).toEqual({
      solved: false,
      comment: '3 days late',
    });
    expect(read('order 5512, booked for 3:30').score).toBeUndefined();
    expect(read('3 or 4').score).toBeUndefined();
    expect(read('等了五分钟').score).toBeUndefined();
    expect(read('一直没人理我').score).toBeUndefined();
    expect(read('No problem, 5')).toMatchObject({ score: 5 });
  });
});

describe('a configured survey with another question set', () => {
  const questions: SurveyQuestion[] = [
    { id: 'rating', kind: 'score', text: { en: 'Rate us 1-5', 'zh-Hans': '请打分' } },
    { id: 'remarks', kind: 'text', text: { en: 'Remarks?', 'zh-Hans': '备注？' } },
  ];
  it('answers go under its question ids; a yes/no it does not ask is kept in the comment', () => {
    expect(readSurveyReply('4, the courier was lovely', questions).answers).toEqual({
      rating: 4,
      remarks: 'the courier was lovely',
    });
    expect(readSurveyReply('四分', questions).answers).toEqual({ rating: 4 });
    expect(readSurveyReply('yes, 5', questions).answers).toEqual({ rating: 5, remarks: 'yes' });
  });
  it('a survey of one score question records only the score', () => {
    const only = [questions[0]];
    expect(readSurveyReply('3, not solved, the refund is late', only).answers).toEqual({ rating: 3 });
  });
});

describe('the reader is linear in its input', () => {
  // Counted work, not time (work-meter.ts): the count cannot be moved by a busy machine; the time is in npm run bench.
  it('10× the text takes under 20× the work', () => {
    const f = (t: string) => readSurveyReply(t, DEFAULT_SURVEY_QUESTIONS);
    // Built once, outside the count: the converters' tables, so the short text does not carry them.
    f(build({ prefix: '4 ', unit: '我 1. yes ', suffix: '' }, 200));
    fc.assert(
      fc.property(recipes, (r: Recipe) => {
        const short = measureWork(() => f(build(r, 2_000))).work;
        const long = measureWork(() => f(build(r, 20_000))).work;
        expect(short, `${JSON.stringify(r)}: nothing counted`).toBeGreaterThan(0);
        expect(long, `${JSON.stringify(r)}: ${short} → ${long} characters read`).toBeLessThan(20 * short);
      }),
      { numRuns: 6, seed: 13, endOnFailure: true },
    );
  });
});
