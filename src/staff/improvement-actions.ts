/**
 * Improvement actions (issue #17 item 4): opened against a root cause with an owner and a due date, linked to the
 * tickets behind them, moved through their states; every change is kept in the action's history. A department
 * manager reaches only the actions of their departments (`scope`), as with tickets.
 */
import { z } from 'zod';
import type { RoutingConfig } from '../../dialogs/routing-config.ts';
import { RedressError } from '../core/errors.ts';
import { ticketReferenceSchema } from '../domain/reference.ts';
import type { Db, Queryable } from '../store/db.ts';
import {
  actionById,
  actionHistory,
  actionStateSchema,
  addActionHistory,
  insertAction,
  linkTickets,
  linkedTickets,
  listActions,
  ticketsByReferences,
  unlinkTickets,
  updateAction,
  type ActionRow,
  type ActionState,
} from '../store/improvement-actions.ts';
import { actionEffect, actionEffectSchema } from './improvement-actions-effect.ts';

const text = (max: number) => z.string().trim().min(1).max(max);
const id = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/)
  .max(64);
const references = z.array(ticketReferenceSchema).max(100);
/** Who makes the change: the staff member (an id or a name), kept in the history. */
const by = text(200);

/** Body of POST /api/actions. */
export const actionCreateSchema = z.strictObject({
  title: text(200),
  /** Who carries it out: a name or a Slack user id. */
  owner: text(100),
  due: z.iso.date(),
  department: id.optional(),
  /** A root cause id of routing.yaml's root_causes. */
  cause: id.optional(),
  tickets: references.optional(),
  by,
});
/** A new action. */
export type ActionCreate = z.infer<typeof actionCreateSchema>;

/** Body of PATCH /api/actions/:id: at least one change. */
export const actionPatchSchema = z
  .strictObject({
    state: actionStateSchema.optional(),
    owner: text(100).optional(),
    due: z.iso.date().optional(),
    title: text(200).optional(),
    /** Tickets to link, by reference. */
    link: references.optional(),
    /** Tickets to unlink, by reference. */
    unlink: references.optional(),
    by,
  })
  .refine((p) => Object.keys(p).some((k) => k !== 'by'), { message: 'nothing to change' });
/** A change of an action. */
export type ActionPatch = z.infer<typeof actionPatchSchema>;

/** Query of GET /api/actions: open (open, in progress), done (done, cancelled) or all; a department; a cause. */
export const actionListQuerySchema = z.object({
  show: z.enum(['open', 'done', 'all']).default('all'),
  department: id.optional(),
  cause: id.optional(),
});

const when = z.iso.datetime({ offset: true });

/** An action in a list (the answer of GET /api/actions holds these). */
export const actionSummarySchema = z.object({
  id: z.number(),
  title: z.string(),
  owner: z.string(),
  due: z.iso.date(),
  department: z.string().nullable(),
  cause: z.string().nullable(),
  state: actionStateSchema,
  /** Open or in progress and past its due date (in DIGEST_TZ). */
  overdue: z.boolean(),
  tickets: z.array(z.string()),
  createdBy: z.string(),
  createdAt: when,
  updatedAt: when,
});
/** An action in a list. */
export type ActionSummary = z.infer<typeof actionSummarySchema>;

/** One action with its history and effect (GET, POST and PATCH answer this). */
export const actionViewSchema = actionSummarySchema.extend({
  history: z.array(z.object({ at: when, actor: z.string(), change: z.record(z.string(), z.unknown()) })),
  effect: actionEffectSchema.nullable(),
});
/** One action with its history and effect. */
export type ActionView = z.infer<typeof actionViewSchema>;

/** The departments a person may reach: null for all (a manager of every department, the staff token). */
export type ActionScope = readonly string[] | null;

const OPEN: readonly ActionState[] = ['open', 'in_progress'];
const FINISHED: readonly ActionState[] = ['done', 'cancelled'];

const inScope = (scope: ActionScope, department: string | null) =>
  scope === null || (department !== null && scope.includes(department));

/** What the actions need: the database, routing.yaml, the clock and today's date (in DIGEST_TZ). */
export interface ActionsContext {
  db: Db;
  routing: RoutingConfig;
  now: Date;
  /** Today's local date (YYYY-MM-DD) in DIGEST_TZ: an action due before it is overdue. */
  today: string;
}

function summaryOf(a: ActionRow, tickets: string[], today: string): ActionSummary {
  return {
    id: a.id,
    title: a.title,
    owner: a.owner,
    due: a.due,
    department: a.department,
    cause: a.cause,
    state: a.state,
    overdue: OPEN.includes(a.state) && a.due < today,
    tickets,
    createdBy: a.created_by,
    createdAt: a.created_at.toISOString(),
    updatedAt: a.updated_at.toISOString(),
  };
}

function checkIds(routing: RoutingConfig, a: { department?: string; cause?: string }, scope: ActionScope): void {
  const causes = routing.root_causes.map((c) => c.id);
  if (a.cause !== undefined && !causes.includes(a.cause))
    throw new RedressError('BAD_REQUEST', `cause: unknown root cause "${a.cause}" (known: ${causes.join(', ')})`);
  if (a.department !== undefined && !routing.departments.some((d) => d.id === a.department))
    throw new RedressError('BAD_REQUEST', `department: unknown department "${a.department}"`);
  if (scope !== null && (a.department === undefined || !scope.includes(a.department)))
    throw new RedressError('FORBIDDEN', `department: you may open actions for ${scope.join(', ') || 'no department'}`);
}

/** The tickets of `refs`, every one of them existing and within `scope`, else BAD_REQUEST naming those that are not. */
async function ticketsOf(tx: Queryable, refs: readonly string[], scope: ActionScope, field: string) {
  const found = (await ticketsByReferences(tx, [...new Set(refs)])).filter((t) => inScope(scope, t.department));
  const missing = [...new Set(refs)].filter((r) => !found.some((t) => t.reference === r));
  if (missing.length) throw new RedressError('BAD_REQUEST', `${field}: no such ticket ${missing.join(', ')}`);
  return found;
}

/** Opens an action for `actor`; returns its id. Unknown causes, departments and tickets are refused. */
export async function createAction(
  c: ActionsContext,
  input: Omit<ActionCreate, 'by'>,
  actor: string,
  scope: ActionScope,
): Promise<number> {
  checkIds(c.routing, input, scope);
  return c.db.transaction(async (tx) => {
    const tickets = await ticketsOf(tx, input.tickets ?? [], scope, 'tickets');
    const fields = {
      title: input.title,
      owner: input.owner,
      due: input.due,
      department: input.department ?? null,
      cause: input.cause ?? null,
    };
    const a = await insertAction(tx, fields, actor, c.now);
    await linkTickets(
      tx,
      a.id,
      tickets.map((t) => t.id),
      c.now,
    );
    const linked = tickets.map((t) => t.reference).sort();
    await addActionHistory(tx, a.id, { at: c.now, actor, change: { created: { ...fields, tickets: linked } } });
    return a.id;
  });
}

/** Applies `patch` to action `id` for `actor`, recording what changed; NOT_FOUND outside `scope`. */
export async function changeAction(
  c: ActionsContext,
  id: number,
  patch: Omit<ActionPatch, 'by'>,
  actor: string,
  scope: ActionScope,
): Promise<void> {
  await c.db.transaction(async (tx) => {
    const a = await actionById(tx, id, true);
    if (!a || !inScope(scope, a.department)) throw new RedressError('NOT_FOUND', 'no such action');
    const change: Record<string, unknown> = {};
    const fields: Partial<{ title: string; owner: string; due: string; state: ActionState }> = {};
    for (const k of ['title', 'owner', 'due', 'state'] as const) {
      const v = patch[k];
      if (v !== undefined && v !== a[k]) {
        change[k] = { from: a[k], to: v };
        Object.assign(fields, { [k]: v });
      }
    }
    const link = await ticketsOf(tx, patch.link ?? [], scope, 'link');
    const unlink = await ticketsOf(tx, patch.unlink ?? [], scope, 'unlink');
    const had = new Set((await linkedTickets(tx, [id])).get(id)!.map((t) => t.reference));
    const linked = link.filter((t) => !had.has(t.reference));
    const unlinked = unlink.filter((t) => had.has(t.reference));
    if (linked.length) change.linked = linked.map((t) => t.reference).sort();
    if (unlinked.length) change.unlinked = unlinked.map((t) => t.reference).sort();
    // A change that changes nothing leaves no trace.
    if (!Object.keys(change).length) return;
    await updateAction(tx, id, fields, c.now);
    await linkTickets(
      tx,
      id,
      linked.map((t) => t.id),
      c.now,
    );
    await unlinkTickets(
      tx,
      id,
      unlinked.map((t) => t.id),
    );
    await addActionHistory(tx, id, { at: c.now, actor, change });
  });
}

/** The actions `scope` may see, filtered by `q`; `orNoDepartment` adds the company's (no department) to a scope. */
export async function actionList(
  c: Pick<ActionsContext, 'db' | 'today'>,
  q: z.infer<typeof actionListQuerySchema>,
  scope: ActionScope,
  orNoDepartment = false,
): Promise<ActionSummary[]> {
  const states = q.show === 'open' ? OPEN : q.show === 'done' ? FINISHED : [...OPEN, ...FINISHED];
  const asked = q.department;
  const departments = scope === null ? (asked ? [asked] : null) : scope.filter((d) => !asked || d === asked);
  const rows = await listActions(c.db, { states, departments, cause: q.cause, orNoDepartment });
  const tickets = await linkedTickets(
    c.db,
    rows.map((a) => a.id),
  );
  return rows.map((a) =>
    summaryOf(
      a,
      tickets.get(a.id)!.map((t) => t.reference),
      c.today,
    ),
  );
}

/** Action `id` with its history and effect over `days` (30 by default); undefined when missing or outside `scope`. */
export async function actionView(
  c: ActionsContext,
  id: number,
  scope: ActionScope,
  days = 30,
): Promise<ActionView | undefined> {
  const a = await actionById(c.db, id);
  if (!a || !inScope(scope, a.department)) return undefined;
  const tickets = (await linkedTickets(c.db, [id])).get(id)!;
  const history = (await actionHistory(c.db, id)).map((h) => ({ ...h, at: h.at.toISOString() }));
  const effect = a.cause ? await actionEffect(c.db, { ...a, cause: a.cause }, c.now, days) : null;
  return {
    ...summaryOf(
      a,
      tickets.map((t) => t.reference),
      c.today,
    ),
    history,
    effect,
  };
}
