import { describe, it, expect } from 'vitest';
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error plain JavaScript module without types: it runs before any TypeScript loader exists.
import { buildIsFresh } from '../../bin/fresh-build.mjs';
import { PACKAGE_ROOT, fromRoot } from '../../src/paths.ts';

function tree(): string {
  const root = mkdtempSync(join(tmpdir(), 'redress-build-'));
  for (const d of ['src/store', 'channels', 'dialogs', 'dist']) mkdirSync(join(root, d), { recursive: true });
  for (const f of ['src/cli.ts', 'src/store/db.ts', 'channels/a.ts', 'dialogs/b.ts']) writeFileSync(join(root, f), '');
  return root;
}

function age(path: string, secondsAgo: number): void {
  const t = new Date(Date.now() - secondsAgo * 1000);
  utimesSync(path, t, t);
}

describe('bin/redress.mjs chooses the compiled build only when it matches the sources', () => {
  it('no build stamp: not fresh', () => {
    expect(buildIsFresh(tree())).toBe(false);
  });

  it('a stamp newer than every source: fresh', () => {
    const root = tree();
    for (const f of ['src/cli.ts', 'src/store/db.ts', 'channels/a.ts', 'dialogs/b.ts']) age(join(root, f), 60);
    writeFileSync(join(root, 'dist/.built'), '');
    expect(buildIsFresh(root)).toBe(true);
  });

  it('one source edited after the build, however deep: not fresh', () => {
    const root = tree();
    for (const f of ['src/cli.ts', 'channels/a.ts', 'dialogs/b.ts']) age(join(root, f), 60);
    writeFileSync(join(root, 'dist/.built'), '');
    age(join(root, 'dist/.built'), 30);
    age(join(root, 'src/store/db.ts'), 10);
    expect(buildIsFresh(root)).toBe(false);
  });

  it('files other than TypeScript do not count', () => {
    const root = tree();
    for (const f of ['src/cli.ts', 'src/store/db.ts', 'channels/a.ts', 'dialogs/b.ts']) age(join(root, f), 60);
    writeFileSync(join(root, 'dist/.built'), '');
    age(join(root, 'dist/.built'), 30);
    writeFileSync(join(root, 'dialogs/routing.yaml'), 'departments: []');
    expect(buildIsFresh(root)).toBe(true);
  });

  it('package files are found from the package root, as from dist/', () => {
    expect(fromRoot('package.json')).toBe(join(PACKAGE_ROOT, 'package.json'));
    expect(PACKAGE_ROOT).toBe(join(import.meta.dirname, '../..'));
  });
});
