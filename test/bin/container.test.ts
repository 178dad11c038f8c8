import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
// @ts-expect-error plain JavaScript module without types: it runs before any TypeScript loader exists.
import { SOURCE_DIRS } from '../../bin/fresh-build.mjs';
import { configVariables } from '../../src/core/config-variables.ts';
import { fromRoot } from '../../src/core/paths.ts';

// The Dockerfile and compose.yaml cannot be built here (no container engine): what can be checked without one is.
const dockerfile = readFileSync(fromRoot('Dockerfile'), 'utf8');
// Instructions with their continuation lines joined, comments dropped.
const instructions = dockerfile
  .replace(/\\\n\s*/g, ' ')
  .split('\n')
  .filter((l) => l.trim() && !l.startsWith('#'));
const stages = dockerfile.split(/^FROM /m).slice(1);
const runtime = stages.at(-1)!;
const pkg = JSON.parse(readFileSync(fromRoot('package.json'), 'utf8')) as { scripts: Record<string, string> };

describe('Dockerfile', () => {
  it('runs the command of `npm run serve`, heap flags included, as a user that is not root', () => {
    const cmd = instructions.filter((l) => l.startsWith('CMD ')).at(-1)!;
    expect((JSON.parse(cmd.slice(4)) as string[]).join(' ')).toBe(pkg.scripts.serve);
    expect(runtime).toMatch(/^USER node$/m);
    expect(instructions.filter((l) => /^HEALTHCHECK .*\/livez/.test(l))).toHaveLength(1);
  });

  it('copies only files that exist, and into the runtime every source folder the build is checked against', () => {
    const copies = instructions.filter((l) => l.startsWith('COPY '));
    expect(copies.length).toBeGreaterThan(5);
    for (const line of copies) {
      const fromBuild = line.includes('--from=build');
      const parts = line
        .replace(/--from=\S+\s*/, '')
        .split(/\s+/)
        .slice(1, -1);
      for (const p of parts) {
        const path = fromBuild ? p.replace(/^\/app\//, '') : p;
        // dist/ and node_modules/ are made in the build stage; everything else comes from the repository.
        if (fromBuild && /^(dist|node_modules)$/.test(path)) continue;
        expect(existsSync(fromRoot(path)), `${line}: ${path}`).toBe(true);
      }
    }
    // bin/redress.mjs runs dist/ only while it matches the sources and compiler settings present beside it.
    for (const dir of [...SOURCE_DIRS, 'tsconfig.json', 'tsconfig.build.json', 'migrations', 'bin'])
      expect(runtime, dir).toMatch(new RegExp(`^COPY .*\\b${dir.replace('.', '\\.')}\\b`, 'm'));
  });
});

describe('compose.yaml', () => {
  const compose = parse(readFileSync(fromRoot('compose.yaml'), 'utf8')) as {
    services: Record<string, { environment?: Record<string, string>; build?: string; depends_on?: object }>;
  };

  it('runs Redress on its PostgreSQL, configured only with documented variables', () => {
    const redress = compose.services.redress;
    expect(redress.build).toBe('.');
    expect(Object.keys(redress.depends_on ?? {})).toEqual(['postgres']);
    const names = Object.keys(redress.environment ?? {});
    expect(names).toContain('DATABASE_URL');
    expect(names).toContain('ADMIN_TOKEN');
    for (const n of names) expect(Object.keys(configVariables), n).toContain(n);
    expect(redress.environment!.DATABASE_URL).toMatch(/@postgres:5432\//);
  });
});
