/** The file-size rule CI runs (npm run lint): no product source file over 300 lines; tests are not held to it. */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ overrideConfigFile: 'eslint.config.js' });
// Linted in memory under the name of a file the TypeScript project knows (the type-aware rules need one).
const rulesHit = async (lines: number, filePath: string) => {
  const code = Array.from({ length: lines }, (_, i) => `export const v${i} = ${i};`).join('\n') + '\n';
  return (await eslint.lintText(code, { filePath }))[0].messages.map((m) => m.ruleId);
};

describe('npm run lint: file size', () => {
  it('fails a product source file of 301 lines and passes one of 300', async () => {
    expect(await rulesHit(301, 'src/main.ts')).toContain('max-lines');
    expect(await rulesHit(301, 'channels/email/channel.ts')).toContain('max-lines');
    expect(await rulesHit(301, 'dialogs/dialog.ts')).toContain('max-lines');
    expect(await rulesHit(300, 'src/main.ts')).not.toContain('max-lines');
  });

  it('leaves tests alone (fixtures and tables may be long)', async () => {
    expect(await rulesHit(400, 'test/bin/file-size-scratch.ts')).not.toContain('max-lines');
  });
});
