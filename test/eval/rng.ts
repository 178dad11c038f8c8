/** A small seeded random source, so the cases and fact sheets are the same on every run. */

import { seeded, shuffled } from '../../dialogs/classifier/random.ts';

/** A seeded generator of numbers in [0, 1) (mulberry32, the one training and splits use). */
export type Rng = () => number;
export { seeded };

/** One element of `items`, chosen by `rng`. */
export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)];
}

/** A shuffled copy of `items` (Fisher–Yates). */
export function shuffle<T>(rng: Rng, items: readonly T[]): T[] {
  return shuffled([...items], rng);
}

/** An integer in [min, max]. */
export function between(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}
