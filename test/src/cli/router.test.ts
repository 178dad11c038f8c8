import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'redress-router-'));
const file = (name: string, content: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};
/** Runs `redress ...` as a user would; resolves with exit code, stdout and stderr. */
async function redress(args: string[], env: Record<string, string> = {}) {
  try {
    const r = await run('node', ['bin/redress.mjs', ...args], {
      env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'silent', ...env },
      maxBuffer: 50_000_000,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e: any) {
    return { code: e.code as number, stdout: e.stdout as string, stderr: e.stderr as string };
  }
}
const FIXTURE = 'test/fixtures/router-small.csv';

describe('redress router train / eval / route', () => {
  const model = join(dir, 'model.json');

  it('trains, prints labels, counts and a cross-validated estimate, and writes a versioned model', async () => {
    const args = ['router', 'train', FIXTURE, '--text', 'text', '--label', 'label', '--folds', '3'];
    const r = await redress([...args, '--out', model]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.labels).toEqual({ electronics: 40, food: 40, fruit: 30, hotel: 30, phone: 30, transport: 40 });
    expect(out.crossValidation.folds).toBe(3);
    expect(out.crossValidation.accuracy).toBeGreaterThan(0.5);
    const m = JSON.parse(readFileSync(model, 'utf8'));
    expect(m).toMatchObject({ format: 'redress-router-model', version: 2 });
    // Every kind, then (English text of a small set) every kind again with lemmas: the choice is made between them.
    expect(Object.keys(out.selection)).toEqual([
      'softmax',
      'svm',
      'cnb',
      expect.stringMatching(/^ensemble\(/),
      'softmax + lemmas',
      'svm + lemmas',
      'cnb + lemmas',
      expect.stringMatching(/^ensemble\(.*\) \+ lemmas$/),
    ]);
    expect(out.kind).toBe(m.kind);
    // English tweets, 210 rows: the sentence encoder blend is compared by default, and its scores reported.
    expect(out.encoder).toMatchObject({ name: 'use-lite-en', macroF1ByWeight: { '0': expect.any(Number) } });
    const again = join(dir, 'again.json');
    // The word model is the same with or without the encoder head beside it: the check runs without it (faster).
    await redress([...args, '--out', again, '--encoder', 'off']);
    expect(JSON.parse(readFileSync(again, 'utf8')).weights).toBe(m.weights);
  });

  it('evaluates as JSON by default and as a table on request', async () => {
    const r = await redress(['router', 'eval', FIXTURE, '--model', model, '--text', 'text', '--label', 'label']);
    expect(r.code, r.stderr).toBe(0);
    const e = JSON.parse(r.stdout);
    expect(Object.keys(e)).toEqual(
      expect.arrayContaining([
        'accuracy',
        'macroF1',
        'perLabel',
        'confusion',
        'n',
        'ece',
        'topConfusions',
        'thresholds',
      ]),
    );
    expect(e.unseenLabels).toEqual({});
    expect(e.n).toBe(210);
    expect(e.perLabel.hotel).toMatchObject({ support: 30 });
    const t = await redress([
      'router',
      'eval',
      FIXTURE,
      '--model',
      model,
      '--text',
      'text',
      '--label',
      'label',
      '--table',
    ]);
    expect(t.stdout).toMatch(/^accuracy \d\.\d{4}\s+macro-F1 \d\.\d{4}\s+ECE \d\.\d{4}/);
    expect(t.stdout).toMatch(/^ {2}0\.50 +\d+ +\d+\.\d% +\d\.\d{4}$/m);
    expect(t.stdout).toMatch(/transport\s+\d\.\d{4}/);
  });

  it('routes one text to JSON with department, category, severity, language, confidence and reasons', async () => {
    const r = await redress(['route', 'My train was cancelled and I missed my connection', '--model', model]);
    expect(r.code, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(Object.keys(d)).toEqual(['department', 'category', 'severity', 'language', 'confidence', 'reasons']);
    expect(d.language).toBe('en');
    // "transport" is not one of the routing configuration's categories: the ticket goes to triage and says why.
    expect(d.category).toBe('general');
    expect(d.reasons[0]).toMatch(/model label "transport" is not mapped/);
    const k = JSON.parse((await redress(['route', '热水器漏电，差点触电'])).stdout);
    expect(k).toMatchObject({ severity: 'urgent', language: 'zh-Hans', confidence: null });
  });

  it('benchmarks the model against majority and keyword baselines on a seeded split', async () => {
    const r = await redress(['router', 'benchmark', FIXTURE, '--text', 'text', '--label', 'label', '--seed', '1']);
    expect(r.code, r.stderr).toBe(0);
    const b = JSON.parse(r.stdout);
    expect(b).toMatchObject({ train: 147, test: 63, labels: 6, seed: 1 });
    expect(b.summary.model.macroF1).toBeGreaterThan(b.summary.majority.macroF1);
    const again = JSON.parse(
      (await redress(['router', 'benchmark', FIXTURE, '--text', 'text', '--label', 'label', '--seed', '1'])).stdout,
    );
    expect(again.summary).toEqual(b.summary);
  });
});

describe('bad training data gets a clear error', () => {
  const header = 'text,label\n';
  const good = (n: number) =>
    Array.from({ length: n }, (_, i) => `"complaint number ${i}",${i % 2 ? 'a' : 'b'}`).join('\n');
  const cases: Array<[string, string | Buffer, RegExp, string[]?]> = [
    ['wrong column names', `body,dept\nx,a\ny,b\n`, /no column "text" or "label"; its columns are "body", "dept"/],
    ['empty rows', `${header}${good(4)}\n,a\n"a text",\n`, /2 row\(s\) with an empty text or label \(lines 6, 7\)/],
    [
      'a non-UTF-8 file',
      Buffer.concat([
        Buffer.from(header),
        Buffer.from('a,b\n'),
        Buffer.from([0xcd, 0xb6, 0xcb, 0xdf]),
        Buffer.from(',a\n'),
      ]),
      /not UTF-8 \(first undecodable bytes on line 3\).*iconv/,
    ],
    ['a 1-row file', `${header}"only one complaint",a\n`, /1 usable row\(s\); at least 2 are needed/],
    ['a single label', `${header}x,a\ny,a\nz,a\n`, /at least two labels; found "a"/],
    ['broken CSV', `${header}"unterminated,a\n`, /not valid CSV/],
  ];
  it.each(cases)('%s', async (name, content, message) => {
    const p = file(`${name.replace(/\W+/g, '-')}.csv`, content);
    const r = await redress([
      'router',
      'train',
      p,
      '--text',
      'text',
      '--label',
      'label',
      '--out',
      join(dir, 'x.json'),
      '--folds',
      '0',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^TRAINING_DATA_INVALID: /);
    expect(r.stderr).toMatch(message);
  });

  it('empty rows are skipped, and counted, with --skip-invalid', async () => {
    const p = file('skip.csv', `${header}${good(6)}\n,a\n`);
    const r = await redress([
      'router',
      'train',
      p,
      '--text',
      'text',
      '--label',
      'label',
      '--out',
      join(dir, 's.json'),
      '--folds',
      '0',
      '--skip-invalid',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/skipped 1 row/);
  });

  it('a byte-order mark is not part of the first column name', async () => {
    const p = file('bom.csv', `\uFEFF${header}${good(6)}\n`);
    const r = await redress([
      'router',
      'train',
      p,
      '--text',
      'text',
      '--label',
      'label',
      '--out',
      join(dir, 'b.json'),
      '--folds',
      '0',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).rows).toBe(6);
  });

  it('eval never refuses real data: unseen labels are counted errors and a warning; --strict refuses', async () => {
    const m = join(dir, 'ab.json');
    await redress([
      'router',
      'train',
      file('ab.csv', `${header}${good(6)}\n`),
      '--text',
      'text',
      '--label',
      'label',
      '--out',
      m,
      '--folds',
      '0',
    ]);
    const data = file(
      'abc.csv',
      `${header}${good(4)}\n"new one",c\n"another new one",c\n"and a renamed one",old\n"no label",\n`,
    );
    const args = ['router', 'eval', data, '--model', m, '--text', 'text', '--label', 'label'];
    const r = await redress(args);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/skipped 1 row\(s\) with an empty text or label/);
    expect(r.stderr).toMatch(
      /warning: 3 row\(s\) carry labels the model was not trained on, counted as errors: "c" \(2\), "old" \(1\)/,
    );
    const e = JSON.parse(r.stdout);
    expect(e).toMatchObject({ n: 7, skipped: 1, unseenLabels: { c: 2, old: 1 } });
    expect(e.perLabel.c).toMatchObject({ recall: 0, support: 2 });
    expect(e.knownLabels.n).toBe(4);
    expect(e.accuracy).toBeLessThanOrEqual(4 / 7);
    // A renamed label merged with --map is no longer unseen.
    const mapped = JSON.parse((await redress([...args, '--map', 'old=a', '--map', 'c=b'])).stdout);
    expect(mapped.unseenLabels).toEqual({});
    expect(mapped.n).toBe(7);
    const strict = await redress([...args, '--strict', '--skip-invalid']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/labels the model was not trained on: "c", "old"; the model knows "a", "b"/);
    expect((await redress([...args, '--strict'])).stderr).toMatch(/1 row\(s\) with an empty text or label/);
  });

  it('a file that is not a model, and usage mistakes', async () => {
    const r = await redress(['route', 'hello there', '--model', file('not-model.json', '{"hello": 1}')]);
    expect(r.stderr).toMatch(/MODEL_INVALID: .* is not a Redress router model/);
    const u = await redress(['router', 'train', FIXTURE]);
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/--text and --label name the CSV columns/);
  });
});
