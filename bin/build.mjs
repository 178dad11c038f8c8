#!/usr/bin/env node
// `npm run build`: compiles src/, channels/ and dialogs/ to dist/ and stamps the build, so bin/redress.mjs can run
// plain JavaScript (about half the memory of loading TypeScript through tsx) while the build matches the sources.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
rmSync(join(root, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
mkdirSync(join(root, 'dist'), { recursive: true });
writeFileSync(join(root, 'dist/.built'), `${new Date().toISOString()}\n`);
