#!/usr/bin/env node
// Entry for `npx redress`: runs the compiled build (npm run build) when it is newer than every source file, else
// registers the TypeScript loader and runs the sources, so a stale dist/ never runs an old version of edited code.
import { fileURLToPath } from 'node:url';
import { buildIsFresh } from './fresh-build.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
let main;
if (process.env.REDRESS_RUN_TS !== '1' && buildIsFresh(root)) {
  ({ main } = await import('../dist/src/cli/index.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/index.ts'));
}
await main(process.argv.slice(2));
