// Whether dist/ (npm run build) was compiled from exactly the sources now present, so running it runs this code.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Folders compiled into dist/ (tsconfig.build.json). */
export const SOURCE_DIRS = ['src', 'channels', 'dialogs', 'types'];
/** Files besides the sources that change what the compiler emits. */
const COMPILER_FILES = ['tsconfig.json', 'tsconfig.build.json'];

function sources(dir, out) {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sources(path, out);
    else if (/\.(ts|json)$/.test(entry.name)) out.push(path);
  }
  return out;
}

/**
 * Every file of the source folders that dist/ is made from, sorted: TypeScript, compiled, and JSON, copied beside the
 * compiled code that requires it (dialogs/complaint-model.json).
 */
export function sourceFiles(root) {
  return SOURCE_DIRS.flatMap((d) => sources(join(root, d), [])).sort();
}

/**
 * A hash of every source's path and content and of the compiler settings. Contents, not times: a file saved while tsc
 * ran, or older sources copied back over a newer build, would fool a time stamp. About 150 small files: a few
 * milliseconds at start-up.
 */
export function sourceHash(root) {
  const hash = createHash('sha256');
  for (const file of [...sourceFiles(root), ...COMPILER_FILES.map((f) => join(root, f))]) {
    hash.update(relative(root, file)).update('\0');
    hash.update(existsSync(file) ? readFileSync(file) : 'missing').update('\0');
  }
  return hash.digest('hex');
}

/** True when `root/dist/.built` holds the hash of the sources as they are now. */
export function buildIsFresh(root) {
  const stamp = join(root, 'dist/.built');
  return existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === sourceHash(root);
}
