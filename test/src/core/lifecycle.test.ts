import { describe, expect, it } from 'vitest';
import { Lifecycle } from '../../../src/core/lifecycle.ts';

describe('Lifecycle', () => {
  it('starts parts in order and stops them in reverse, each awaited, a failing stop not stopping the rest', async () => {
    const seen: string[] = [];
    const logged: unknown[] = [];
    const parts = new Lifecycle({ error: (o: unknown) => logged.push(o) } as never);
    const part = (name: string, failStop = false) => ({
      name,
      start: async () => {
        await new Promise((r) => setTimeout(r, 5));
        seen.push(`start ${name}`);
      },
      stop: async () => {
        await new Promise((r) => setTimeout(r, 5));
        seen.push(`stop ${name}`);
        if (failStop) throw new Error(`${name} would not stop`);
      },
    });
    parts.add(part('database'));
    parts.add(part('outbox', true));
    await parts.startAll();
    parts.add(part('server'));
    parts.add({ name: 'stop only', stop: () => void seen.push('stop stop only') });
    await parts.startAll();
    await parts.stopAll();
    expect(seen).toEqual([
      'start database',
      'start outbox',
      'start server',
      'stop stop only',
      'stop server',
      'stop outbox',
      'stop database',
    ]);
    expect(logged).toEqual([expect.objectContaining({ part: 'outbox' })]);
    // Stopping twice stops nothing twice.
    await parts.stopAll();
    expect(seen).toHaveLength(7);
  });
});
