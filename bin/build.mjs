#!/usr/bin/env node
// `npm run build`: compiles src/, channels/ and dialogs/ to dist/ and stamps it with the hash of the sources it was
// compiled from, so bin/redress.mjs runs plain JavaScript (about half the memory of loading TypeScript through tsx)
// only while that build matches the sources.
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';
import { sourceFiles, sourceHash } from './fresh-build.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
// Hashed before compiling: a source saved while tsc runs then makes the build stale instead of passing for fresh.
const hash = sourceHash(root);
rmSync(join(root, 'dist'), { recursive: true, force: true });
execFileSync(
  process.execPath,
  [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')],
  { stdio: 'inherit' },
);
// Data the compiled code requires from beside itself (dialogs/complaint-model.json): tsc emits only what it compiles.
for (const file of sourceFiles(root).filter((f) => f.endsWith('.json')))
  cpSync(file, join(root, 'dist', relative(root, file)));
writeFileSync(join(root, 'dist/.built'), `${hash}\n`);
