/** Where the package's own files are, whether Redress runs as TypeScript from src/ or compiled from dist/. */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Walk up to the folder holding package.json: dist/src/core/paths.js and src/core/paths.ts sit at different depths.
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

/**
 * A file inside an installed package, found the way Node finds the package (so also when npm hoisted it above Redress's
 * own node_modules), then by walking up from its entry point: packages' export maps hide files like dist/ bundles.
 */
export function packageFile(pkg: string, file: string): string {
  const entry = createRequire(import.meta.url).resolve(pkg);
  for (let dir = dirname(entry); dirname(dir) !== dir; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === pkg)
      return join(dir, file);
  }
  throw new Error(`package ${pkg} has no package.json above ${entry}`);
}
