/** The layer rules CI runs (npm run lint: depcruise with .dependency-cruiser.mjs) fail on the imports they forbid. */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cruise, type ICruiseOptions, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { beforeAll, describe, expect, it } from 'vitest';

const FOLDERS = ['dialogs', 'src', 'channels', 'bin'];
let options: ICruiseOptions;
beforeAll(async () => {
  options = await extractDepcruiseOptions('./.dependency-cruiser.mjs');
});

/** "rule: from → to" for each violation of the real rules in a tree made of `files` (path → source). */
async function violations(files: Record<string, string>): Promise<string[]> {
  const root = mkdtempSync(join(tmpdir(), 'redress-layers-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  for (const folder of FOLDERS) mkdirSync(join(root, folder), { recursive: true });
  const { output } = await cruise(FOLDERS, { ...options, baseDir: root, tsConfig: undefined });
  return found(output as ICruiseResult);
}

/** The violations of a cruise, sorted. */
function found(result: ICruiseResult): string[] {
  return result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
}

describe('npm run lint: layer boundaries', () => {
  it('dialogs/ imports nothing from src/ or channels/, not even a type', async () => {
    expect(
      await violations({
        'dialogs/a.ts': "import { fail } from '../src/core/errors.ts';\nexport const a = fail;\n",
        'dialogs/b.ts': "import type { Page } from '../channels/page.ts';\nexport type B = Page;\n",
        'src/core/errors.ts': 'export const fail = 1;\n',
        'channels/page.ts': 'export type Page = string;\n',
      }),
    ).toEqual([
      'dialogs-not-engine: dialogs/a.ts → src/core/errors.ts',
      'dialogs-not-engine: dialogs/b.ts → channels/page.ts',
    ]);
  });

  it('dialogs/ reads no files, however fs is reached; the jieba dictionary reader is the one exception', async () => {
    const reads = "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n";
    expect(
      await violations({
        'dialogs/node-fs.ts': reads,
        'dialogs/fs.ts': "import * as fs from 'fs';\nexport const f = fs;\n",
        'dialogs/promises.ts': "export const p = () => import('node:fs/promises');\n",
        'dialogs/builtin.ts': "export const b = process.getBuiltinModule('fs');\n",
        'dialogs/understand/chinese-nlp.ts': reads,
        'src/reader.ts': reads,
      }),
    ).toEqual([
      'dialogs-no-file-system: dialogs/builtin.ts → fs',
      'dialogs-no-file-system: dialogs/fs.ts → fs',
      'dialogs-no-file-system: dialogs/node-fs.ts → fs',
      'dialogs-no-file-system: dialogs/promises.ts → fs/promises',
    ]);
  });

  it('channels/ never import src/store/; only src/main.ts, src/compose/ and src/cli/ import channels/', async () => {
    const usesChannel = "export const load = () => import('../channels/mail.ts');\n";
    expect(
      await violations({
        'channels/mail.ts': "import { db } from '../src/store/db.ts';\nexport const mail = db;\n",
        'src/store/db.ts': 'export const db = 1;\n',
        'src/core/engine.ts': "import { mail } from '../../channels/mail.ts';\nexport const e = mail;\n",
        'src/main.ts': usesChannel,
        'src/cli/index.ts': "export const load = () => import('../../channels/mail.ts');\n",
        'src/cli/serve.ts': "export const load = () => import('../../channels/mail.ts');\n",
        'src/compose/channels.ts': "export const load = () => import('../../channels/mail.ts');\n",
        'src/composer/x.ts': "export const load = () => import('../../channels/mail.ts');\n",
        'bin/tool.mjs': "export const load = () => import('../channels/mail.ts');\n",
      }),
    ).toEqual([
      'channels-not-store: channels/mail.ts → src/store/db.ts',
      'channels-only-from-entry-points: bin/tool.mjs → channels/mail.ts',
      'channels-only-from-entry-points: src/composer/x.ts → channels/mail.ts',
      'channels-only-from-entry-points: src/core/engine.ts → channels/mail.ts',
    ]);
  });

  it('no import cycle (each reported once), unless an `import type` closes it', async () => {
    expect(
      await violations({
        'src/a.ts': "import { b } from './b.ts';\nexport const a = () => b;\n",
        'src/b.ts': "import { a } from './a.ts';\nexport const b = () => a;\n",
        'src/c.ts': "import type { D } from './d.ts';\nexport interface C { d?: D }\nexport const c = 1;\n",
        'src/d.ts': "import { c } from './c.ts';\nexport interface D { n: typeof c }\n",
      }),
    ).toEqual(['no-run-time-cycles: src/a.ts → src/b.ts']);
  });

  it('npm run lint checks these folders with this configuration', () => {
    const { scripts } = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
    expect(scripts.lint).toContain(`depcruise --config .dependency-cruiser.mjs ${FOLDERS.join(' ')}`);
  });

  it('the real tree keeps every rule', async () => {
    const { output } = await cruise(FOLDERS, options, undefined, { tsConfig: extractTSConfig('tsconfig.json') });
    expect(found(output as ICruiseResult)).toEqual([]);
  });
});
