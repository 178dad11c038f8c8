/** Where the package's own files are, whether Redress runs as TypeScript from src/ or compiled from dist/. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Walk up to the folder holding package.json: dist/src/paths.js and src/paths.ts sit at different depths.
function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** The package's root folder (holds package.json, migrations/ and node_modules/). */
export const PACKAGE_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

/** A path under the package's root folder. */
export function fromRoot(...parts: string[]): string {
  return join(PACKAGE_ROOT, ...parts);
}
