/** Runs a long pure computation in slices, handing the event loop back between them, so no request waits behind it. */

/** How long one slice may hold the event loop. */
export const SLICE_MS = 20;

/** Drains `steps` (a generator that yields often), pausing for pending I/O every {@link SLICE_MS}; returns its result. */
export async function inSlices<T>(steps: Generator<unknown, T>, sliceMs = SLICE_MS): Promise<T> {
  let until = performance.now() + sliceMs;
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (performance.now() > until) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      until = performance.now() + sliceMs;
    }
  }
}
