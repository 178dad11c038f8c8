/** A full disk, told apart from other failures: requests answer 503 DISK_FULL, and /healthz says so while it lasts. */
import { RedressError } from '../core/errors.ts';

/** How long /healthz reports a full disk after the last request that failed on one. */
export const DISK_FULL_HOLD_MS = 60_000;

// PostgreSQL reports ENOSPC as SQLSTATE 53100 disk_full, on a server and inside PGlite alike; Node's fs as ENOSPC.
// PostgreSQL may also wrap it in another code (58030 io_error) with the C library's words in the message.
const NO_SPACE = /No space left on device/i;

/** True when `e`, or an error it was caused by, says the disk (or the database's tablespace) is full. */
export function isDiskFull(e: unknown, depth = 0): boolean {
  if (!e || typeof e !== 'object' || depth > 4) return false;
  if (e instanceof RedressError && e.code === 'DISK_FULL') return true;
  const x = e as { code?: unknown; errno?: unknown; message?: unknown; cause?: unknown };
  if (x.code === '53100' || x.code === 'ENOSPC') return true;
  if (typeof x.message === 'string' && NO_SPACE.test(x.message)) return true;
  return x.cause !== undefined && isDiskFull(x.cause, depth + 1);
}

/**
 * Remembers when requests last failed on a full disk, for /healthz. A read-only probe succeeds on a full disk, and a
 * write probe of its own would find free room in a page while the turns' inserts cannot extend their tables: what
 * the requests meet is the honest signal. Requests keep failing while the disk is full, so the report stays on.
 */
export class DiskFullWatch {
  private last: number | undefined;
  constructor(private readonly clock: () => Date = () => new Date()) {}

  /** Records a request that failed on a full disk. */
  note(): void {
    this.last = this.clock().getTime();
  }

  /** When a request last failed on a full disk, if within {@link DISK_FULL_HOLD_MS}. */
  recent(): Date | undefined {
    return this.last !== undefined && this.clock().getTime() - this.last < DISK_FULL_HOLD_MS
      ? new Date(this.last)
      : undefined;
  }
}
