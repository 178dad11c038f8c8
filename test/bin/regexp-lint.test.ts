/** The regular-expression check CI runs (npm run lint) fails on patterns that backtrack super-linearly. */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ overrideConfigFile: 'eslint.config.js' });
// The regexp rules apply to every file; the code is linted as a file of test/, because the type-aware rules on
// dialogs/, src/ and channels/ need a file the TypeScript project knows, and a text linted in memory is none.
const rulesHit = async (code: string) =>
  (await eslint.lintText(code, { filePath: 'test/bin/regexp-scratch.ts' }))[0].messages.map((m) => m.ruleId);

describe('npm run lint', () => {
  it('fails on the kinds of pattern that froze the bot', async () => {
    // The order-number pattern of issue #13: "order" + 400 spaces took 8.7 s.
    expect(await rulesHit('export const ORDER = /order\\s*(?:number)?\\s*#?\\s*([A-Z0-9]+)/i;\n')).toContain(
      'regexp/no-super-linear-backtracking',
    );
    // Nested quantifiers: exponential.
    expect(await rulesHit('export const NESTED = /^(a+)+$/;\n')).toContain('regexp/no-super-linear-backtracking');
    // A trailing strip tried at every position: quadratic on a long run.
    expect(await rulesHit("export const strip = (t: string) => t.replace(/[.!?]+$/, '');\n")).toContain(
      'regexp/no-super-linear-move',
    );
  });

  it('passes the linear forms the code uses instead', async () => {
    expect(await rulesHit('export const ORDER = /order\\s?(?:number\\s?)?(?:#\\s?)?([A-Z0-9]+)/i;\n')).toEqual([]);
    expect(await rulesHit('export const EMAIL = /(?<!\\S)[^\\s@]+@\\S+/g;\n')).toEqual([]);
  });
});
