import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runDialog, type DialogContext } from '../../dialogs/dialog.ts';
import { isTraditional, toTraditional } from '../../dialogs/language/detect.ts';
import { createRouter } from '../../dialogs/router.ts';
import { loadRoutingConfig } from '../../src/router/routing-file.ts';
import { DIALOG_SETTINGS } from './dialog-settings.ts';

/** Minimal RFC 4180 reader for the fixtures (quoted fields, doubled quotes, newlines inside quotes). */
function readCsv(path: string): Record<string, string>[] {
  const text = readFileSync(path, 'utf8');
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') ((field += '"'), i++);
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') (row.push(field), (field = ''));
    else if (c === '\n') (row.push(field), rows.push(row), (row = []), (field = ''));
    else if (c !== '\r') field += c;
  }
  if (field || row.length) (row.push(field), rows.push(row));
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

const router = createRouter(loadRoutingConfig('dialogs/routing.yaml'));
const ctx: DialogContext = {
  now: new Date('2026-11-24T10:00:00Z'),
  router,
  ...DIALOG_SETTINGS,
};
const first = (text: string) => runDialog(undefined, { text, receivedAt: ctx.now.toISOString() }, ctx);

describe('first turn on real complaints', () => {
  it('English tweets: an apology and a second-person restatement for every one', () => {
    const rows = readCsv('test/fixtures/en-twitter-complaints-sample.csv');
    expect(rows.length).toBe(300);
    let firstPerson = 0;
    for (const r of rows) {
      const out = first(r.text);
      const all = out.replies.join('\n');
      expect(all, r.text).toMatch(/sorry|complaints assistant/i);
      if (out.state.phase !== 'confirming') continue;
      const restatement = out.replies.find((x) => x.startsWith("Let me check I've understood"))!;
      expect(restatement, r.text).toBeDefined();
      expect(restatement).not.toMatch(/\p{Script=Han}/u);
      const body = restatement
        .replace(/^Let me check I've understood: /, '')
        .replace(/ Have I got that right\?.*$/, '');
      if (/\b(I|I'm|my|me|mine)\b/.test(body)) firstPerson++;
    }
    // Pronouns are swapped, not echoed: almost no restatement speaks in the customer's first person.
    expect(firstPerson / rows.length).toBeLessThan(0.03);
  });

  it('Chinese reviews: Simplified replies, restated with 您, routed to a real category', () => {
    const rows = readCsv('test/fixtures/zh-shopping-complaints-sample.csv');
    expect(rows.length).toBe(250);
    let routed = 0;
    for (const r of rows) {
      const out = first(r.review);
      const all = out.replies.join('\n');
      expect(all, r.review).toMatch(/抱歉|投诉受理助手/);
      expect(isTraditional(all), all).toBe(false);
      if (out.state.phase === 'confirming') expect(all).toMatch(/我确认一下：/);
      if (router.route(r.review).category !== 'general') routed++;
    }
    // Keyword rules alone give 47 % of these reviews a specific category (measured 2026-11-24); the learned router
    // (issue 6) is what will raise it. This floor only guards against the rules getting worse.
    expect(routed / rows.length).toBeGreaterThan(0.4);
  });
});

describe('every real message of the shared data', () => {
  it('gets an answer on its first turn and on a yes after it, in every script, without an error', () => {
    const en = readCsv('test/fixtures/shared-data/en-twitter-complaints.csv').map((r) => r.text);
    const zh = readCsv('test/fixtures/shared-data/zh-shopping-complaints.csv').map((r) => r.review);
    const twcs = readCsv('test/fixtures/shared-data/twcs-support-threads-sample.csv').map((r) => r.text);
    const all = [...en, ...twcs, ...zh, ...zh.map(toTraditional)];
    expect(all.length).toBeGreaterThan(5000);
    for (const text of all) {
      const out = first(text);
      expect(out.replies.length, text).toBeGreaterThan(0);
      const yes = runDialog(
        JSON.parse(JSON.stringify(out.state)),
        { text: 'yes', receivedAt: ctx.now.toISOString() },
        ctx,
      );
      expect(yes.replies.length, text).toBeGreaterThan(0);
    }
  });
});
