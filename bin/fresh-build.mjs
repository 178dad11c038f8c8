// Whether dist/ (npm run build) is at least as new as every TypeScript source, so running it runs the current code.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Folders compiled into dist/ (tsconfig.build.json). */
export const SOURCE_DIRS = ['src', 'channels', 'dialogs'];

function newestSource(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** True when `root/dist/.built` exists and no `.ts` file under the source folders is newer. */
export function buildIsFresh(root) {
  const stamp = join(root, 'dist/.built');
  if (!existsSync(stamp)) return false;
  const built = statSync(stamp).mtimeMs;
  return SOURCE_DIRS.every((d) => newestSource(join(root, d)) <= built);
}
