/** The satisfaction survey in the dialog: asked in one message, answered in one, the missing score asked for once. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runDialog, runFollowup, type DialogContext } from '../../dialogs/dialog.ts';
import { createRouter } from '../../dialogs/router.ts';
import { parseRoutingConfig, routingConfigSchema, type RoutingConfig } from '../../dialogs/routing-config.ts';
import { dialogStateSchema, type DialogState, type Effect, type Language } from '../../dialogs/types.ts';
import { stringify } from 'yaml';
import { DIALOG_SETTINGS } from './dialog-settings.ts';

const RAW = parse(readFileSync('dialogs/routing.yaml', 'utf8'));
const DEFAULT = parseRoutingConfig(stringify(RAW));
const NOW = new Date('2026-11-24T10:00:00Z');
const REF = 'CMP-000100';
const ctx = (config: RoutingConfig = DEFAULT): DialogContext => ({
  now: NOW,
  router: createRouter(config),
  ...DIALOG_SETTINGS,
});

/** A ticketed conversation in `language` that has just been sent the satisfaction check (or the second follow-up). */
function asked(
  language: Language,
  kind: 'satisfaction_check' | 'second_followup' = 'satisfaction_check',
  config = DEFAULT,
) {
  const s = dialogStateSchema.parse({
    phase: 'ticketed',
    language,
    ticketReference: REF,
    ticketDueAt: NOW.toISOString(),
  });
  const f = runFollowup(
    s,
    { kind, reference: REF, department: 'x', dueAt: NOW.toISOString() },
    { ...ctx(config), survey: config.survey },
  );
  return { state: f.state, text: f.replies.join('\n') };
}

/** Sends `replies` one after another; returns each turn's replies and effects, and the last state. */
function answer(state: DialogState, replies: string[], config = DEFAULT) {
  const turns: Array<{ text: string; effects: Effect[] }> = [];
  let s: unknown = state;
  for (const text of replies) {
    const out = runDialog(s, { text, receivedAt: NOW.toISOString() }, ctx(config));
    turns.push({ text: out.replies.join('\n'), effects: out.effects });
    s = JSON.parse(JSON.stringify(out.state));
  }
  return { turns, state: s as DialogState };
}

const recorded = (effects: Effect[]) => effects.find((e) => e.type === 'record_satisfaction');

describe('the satisfaction check asks the whole survey in one message, in the customer language', () => {
  it('English, Simplified and Traditional Chinese', () => {
    const en = asked('en');
    expect(en.state).toMatchObject({
      phase: 'awaiting_satisfaction',
      survey: { round: 'satisfaction_check', scoreAsked: false },
    });
    expect(en.text).toContain(REF);
    expect(en.text).toMatch(
      /1\. How satisfied.*score from 1[\s\S]*\n2\. Was your complaint fully solved\?[\s\S]*\n3\. Anything else/,
    );
    expect(asked('zh-Hans').text).toMatch(/1\. 您对处理结果总体满意吗[\s\S]*2\. 您的问题是否已经彻底解决/);
    const hant = asked('zh-Hant').text;
    expect(hant).toMatch(/滿意/);
    expect(hant).not.toMatch(/满意|问题/);
    expect(asked('en', 'second_followup')).toMatchObject({
      state: { survey: { round: 'second_followup' } },
      text: expect.stringMatching(/checking in again/),
    });
  });
});

describe('one reply answers it', () => {
  it('"4, yes thanks" records every answer, thanks the customer, and nothing reopens', () => {
    const { turns, state } = answer(asked('en').state, ['4, yes thanks']);
    expect(recorded(turns[0].effects)).toMatchObject({
      score: 4,
      low: false,
      round: 'satisfaction_check',
      answers: { score: 4, solved: true },
    });
    expect(turns[0].effects.map((e) => e.type)).toEqual(['record_satisfaction']);
    expect(turns[0].text).toMatch(/glad/);
    expect(state).toMatchObject({ phase: 'ticketed' });
    expect(state.survey).toBeUndefined();
  });

  it('"not solved at all, 1" is low: the ticket reopens and a second follow-up is scheduled', () => {
    const { turns } = answer(asked('en').state, ['not solved at all, 1']);
    expect(turns[0].effects.map((e) => e.type)).toEqual(['record_satisfaction', 'set_status', 'schedule_followup']);
    expect(recorded(turns[0].effects)).toMatchObject({ score: 1, low: true, answers: { score: 1, solved: false } });
    expect(turns[0].text).toMatch(/reopened CMP-000100/);
  });

  it('四分，解决了 in Chinese; the second follow-up round is recorded as such', () => {
    const { turns } = answer(asked('zh-Hans', 'second_followup').state, ['四分，解决了']);
    expect(recorded(turns[0].effects)).toMatchObject({
      score: 4,
      low: false,
      round: 'second_followup',
      answers: { score: 4, solved: true },
    });
    expect(turns[0].text).toMatch(/很高兴/);
  });

  it('a bare "5" and "yes 5"', () => {
    expect(recorded(answer(asked('en').state, ['5']).turns[0].effects)).toMatchObject({ answers: { score: 5 } });
    expect(recorded(answer(asked('en').state, ['yes 5']).turns[0].effects)).toMatchObject({
      answers: { score: 5, solved: true },
    });
  });
});

describe('a reply without the score', () => {
  it('"解决了" alone is recorded and the score is asked for; the score then completes the survey', () => {
    const { turns, state } = answer(asked('zh-Hans').state, ['解决了', '4']);
    expect(turns[0].effects).toEqual([
      { type: 'record_survey_answers', answers: { solved: true }, round: 'satisfaction_check' },
    ]);
    expect(turns[0].text).toMatch(/还想请您打个分：您对处理结果总体满意吗/);
    expect(recorded(turns[1].effects)).toMatchObject({ score: 4, answers: { score: 4 } });
    expect(state.phase).toBe('ticketed');
  });

  it('the score is asked for once, not again: a second reply without one ends the survey', () => {
    const { turns, state } = answer(asked('en').state, ['yes', 'whatever']);
    expect(turns[0].text).toMatch(/One more thing: How satisfied/);
    expect(turns[1].text).toMatch(/noted your answers on CMP-000100/);
    // What it did say is kept as the comment; nothing is counted or reopened.
    expect(turns[1].effects).toEqual([
      { type: 'record_survey_answers', answers: { comment: 'whatever' }, round: 'satisfaction_check' },
    ]);
    expect(state).toMatchObject({ phase: 'ticketed' });
  });

  it('a short reply that answers nothing asks for the score once', () => {
    const { turns } = answer(asked('en').state, ['hmm', 'hmm']);
    expect(turns[0].text).toMatch(/didn't catch that\. How satisfied/);
    expect(turns[1].text).toMatch(/noted/);
  });

  it('a long message that answers nothing is an update to the ticket, as before', () => {
    const { turns, state } = answer(asked('en').state, [
      'The courier came back today and took the broken kettle away with him',
    ]);
    expect(turns[0].effects.map((e) => e.type)).toContain('ticket_event');
    expect(turns[0].effects.filter((e) => e.type.startsWith('record_s'))).toEqual([]);
    expect(turns[0].text).toMatch(/added that to complaint CMP-000100/);
    expect(state.phase).toBe('awaiting_satisfaction');
  });
});

describe('a configured survey', () => {
  const config = routingConfigSchema.parse({
    ...RAW,
    survey: {
      low_score: 3,
      questions: [
        {
          id: 'rating',
          kind: 'score',
          text: { en: 'Rate our handling from 1 to 5.', 'zh-Hans': '请为我们的处理打 1 到 5 分。' },
        },
        { id: 'remarks', kind: 'text', text: { en: 'Any remarks?', 'zh-Hans': '有什么意见？' } },
      ],
    },
  });

  it('asks its own questions and records the answers under their ids; its low_score decides what reopens', () => {
    const { state, text } = asked('en', 'satisfaction_check', config);
    expect(text).toMatch(/1\. Rate our handling from 1 to 5\.\n2\. Any remarks\?$/);
    expect(text).not.toMatch(/fully solved/);
    const { turns } = answer(state, ['3, the courier was rude'], config);
    expect(turns[0].effects[0]).toMatchObject({
      score: 3,
      low: true,
      answers: { rating: 3, remarks: 'the courier was rude' },
    });
    expect(turns[0].effects.map((e) => e.type)).toContain('set_status');
  });

  it('is validated: absent gives the default; a missing score question or two of one kind are refused', () => {
    expect(DEFAULT.survey.questions.map((q) => [q.id, q.kind])).toEqual([
      ['score', 'score'],
      ['solved', 'yes_no'],
      ['comment', 'text'],
    ]);
    expect(DEFAULT.survey.low_score).toBe(2);
    const q = (id: string, kind: string) => ({ id, kind, text: { en: 'Q', 'zh-Hans': '问' } });
    const bad = (survey: unknown) => () => parseRoutingConfig(stringify({ ...RAW, survey }));
    expect(bad({ questions: [q('solved', 'yes_no')] })).toThrow(
      /survey\.questions: one question must be the overall score/,
    );
    expect(bad({ questions: [q('a', 'score'), q('b', 'score')] })).toThrow(/at most one question of each kind/);
    expect(bad({ questions: [q('a', 'score')], low_score: 5 })).toThrow(/survey\.low_score/);
  });
});
