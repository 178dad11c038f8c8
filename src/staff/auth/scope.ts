/**
 * Who made a dashboard request, as the sign-in check found them before routing, and the departments they may see: a
 * department manager's queries are narrowed to their departments, whatever the query asked for.
 */
import type { Request } from 'restify';
import type { SessionViewer } from './sessions.ts';

const viewers = new WeakMap<Request, SessionViewer>();

/** Records who made `req` (the sign-in check, before the route runs). */
export function rememberViewer(req: Request, v: SessionViewer | undefined): void {
  if (v) viewers.set(req, v);
  else viewers.delete(req);
}

/** Who made `req`, if signed in (with the staff token, a session or the one-time link). */
export function viewerOf(req: Request): SessionViewer | undefined {
  return viewers.get(req);
}

/** True when `req` comes from a manager (of every department or of some). */
export function isManager(req: Request): boolean {
  return viewerOf(req)?.role === 'manager';
}

/** `q` narrowed to the departments the person behind `req` may see (unchanged for a manager of every department). */
export function scopedQuery<Q extends object>(req: Request, q: Q): Q & { departments?: readonly string[] } {
  const departments = viewerOf(req)?.departments;
  return departments ? { ...q, departments } : q;
}

/** Whether the person behind `req` may see a ticket of `department`. */
export function maySee(req: Request, department: string): boolean {
  const v = viewerOf(req);
  return v?.role === 'manager' && (v.departments === null || v.departments.includes(department));
}
