import { describe, it, expect } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error plain JavaScript module without types: it runs before any TypeScript loader exists.
import { buildIsFresh, sourceHash } from '../../bin/fresh-build.mjs';
import { PACKAGE_ROOT, fromRoot, packageFile } from '../../src/core/paths.ts';

/** A package tree with a few sources and a build stamped from them. */
function built(): string {
  const root = mkdtempSync(join(tmpdir(), 'redress-build-'));
  for (const d of ['src/cli', 'src/store', 'channels', 'dialogs', 'dist'])
    mkdirSync(join(root, d), { recursive: true });
  writeFileSync(join(root, 'src/cli/index.ts'), 'export const a = 1;');
  writeFileSync(join(root, 'src/store/db.ts'), 'export const b = 2;');
  writeFileSync(join(root, 'channels/a.ts'), '');
  writeFileSync(join(root, 'dialogs/b.ts'), '');
  writeFileSync(join(root, 'tsconfig.json'), '{}');
  writeFileSync(join(root, 'dist/.built'), `${sourceHash(root)}\n`);
  return root;
}

describe('bin/redress.mjs runs the compiled build only when it was compiled from the sources present', () => {
  it('no build stamp: not fresh', () => {
    const root = built();
    writeFileSync(join(root, 'dist/.built'), '');
    expect(buildIsFresh(root)).toBe(false);
  });

  it('stamped from these sources: fresh', () => {
    expect(buildIsFresh(built())).toBe(true);
  });

  it('a source edited after the build, however deep, is stale; putting the old text back is fresh again', () => {
    const root = built();
    writeFileSync(join(root, 'src/store/db.ts'), 'export const b = 3;');
    expect(buildIsFresh(root)).toBe(false);
    writeFileSync(join(root, 'src/store/db.ts'), 'export const b = 2;');
    expect(buildIsFresh(root)).toBe(true);
  });

  it('a new source file or changed compiler settings are stale; other files do not count', () => {
    const root = built();
    writeFileSync(join(root, 'dialogs/routing.yaml'), 'departments: []');
    expect(buildIsFresh(root)).toBe(true);
    writeFileSync(join(root, 'dialogs/new.ts'), '');
    expect(buildIsFresh(root)).toBe(false);
    const other = built();
    writeFileSync(join(other, 'tsconfig.json'), '{"compilerOptions":{"target":"ES2020"}}');
    expect(buildIsFresh(other)).toBe(false);
  });

  it('a JSON file the code requires (copied into dist/ beside it) counts like a source', () => {
    const root = built();
    writeFileSync(join(root, 'dialogs/model.json'), '{}');
    expect(buildIsFresh(root)).toBe(false);
  });

  it('package files are found from the package root, as from dist/', () => {
    expect(fromRoot('package.json')).toBe(join(PACKAGE_ROOT, 'package.json'));
    expect(PACKAGE_ROOT).toBe(join(import.meta.dirname, '../..'));
  });

  it('files inside packages are found where Node resolves the package, past export maps that hide them', () => {
    for (const [pkg, file] of [
      ['chart.js', 'dist/chart.umd.min.js'],
      ['botframework-webchat', 'dist/webchat.js'],
    ]) {
      const path = packageFile(pkg, file);
      expect(path.endsWith(join(pkg, file))).toBe(true);
      expect(existsSync(path)).toBe(true);
    }
    expect(() => packageFile('no-such-package-redress', 'x.js')).toThrow();
  });
});
