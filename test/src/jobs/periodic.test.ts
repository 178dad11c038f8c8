import { describe, expect, it } from 'vitest';
import { periodic } from '../../../src/jobs/periodic.ts';

describe('periodic', () => {
  it('runs the task on its timer, never two runs at once, and stop waits for the run under way', async () => {
    let runs = 0;
    let concurrent = 0;
    let most = 0;
    let release: () => void = () => {};
    const task = periodic('test task', 0.01, async () => {
      runs++;
      concurrent++;
      most = Math.max(most, concurrent);
      // The first run is held long enough for many ticks to pass: they must be skipped, not queued.
      if (runs === 1) await new Promise<void>((r) => (release = r));
      concurrent--;
    });
    task.start();
    await expect.poll(() => runs).toBe(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(runs).toBe(1);
    release();
    await expect.poll(() => runs).toBeGreaterThan(2);
    let finished = false;
    const held = periodic('held task', 0.01, async () => {
      await new Promise((r) => setTimeout(r, 150));
      finished = true;
    });
    held.start();
    await expect.poll(() => held.running !== undefined).toBe(true);
    await held.stop();
    expect(finished).toBe(true);
    await task.stop();
    const after = runs;
    await new Promise((r) => setTimeout(r, 60));
    expect(runs).toBe(after);
    expect(most).toBe(1);
  });

  it('logs a failed run under its name and runs again on the next tick', async () => {
    const logged: string[] = [];
    const log = { error: (_o: unknown, msg: string) => logged.push(msg) } as never;
    let runs = 0;
    const task = periodic(
      'flaky sweep',
      0.01,
      async () => {
        runs++;
        if (runs === 1) throw new Error('database gone');
      },
      log,
    );
    task.start();
    await expect.poll(() => runs).toBeGreaterThan(1);
    await task.stop();
    expect(logged[0]).toBe('flaky sweep failed');
  });
});
