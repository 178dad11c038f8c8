/** POST /api/tickets: a complaint staff took in person, by letter, by a live call or from a partner, run as one letter. */
import { randomUUID } from 'node:crypto';
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import { RedressError } from '../core/errors.ts';
import type { Inbound, PushChannel } from '../core/ports.ts';
import { readJson } from '../http/http.ts';
import type { Db } from '../store/db.ts';
import { addEvent, ticketByReference, ticketEvents } from '../store/tickets.ts';
import { ticketView } from './tickets.ts';

/** The channel staff-logged complaints are stored under. */
export const STAFF_CHANNEL = 'staff';

/** Where a staff-logged complaint came from. */
export const staffSourceSchema = z.enum(['in_person', 'letter', 'phone_call', 'partner']);

/** Body of POST /api/tickets. */
export const staffLoggedSchema = z.strictObject({
  source: staffSourceSchema,
  /** The complaint in the customer's own words. */
  text: z.string().trim().min(1).max(20_000),
  customer: z
    .strictObject({
      name: z.string().trim().min(1).max(200).optional(),
      email: z.email().max(320).optional(),
      phone: z.string().trim().min(3).max(40).optional(),
    })
    .default({}),
  /** The staff member who took the complaint (an id or a name): the ticket event's actor. */
  loggedBy: z.string().trim().min(1).max(200),
  /** The staff system's own id: a retry with the same one returns the same ticket. */
  externalId: z.string().trim().min(1).max(200).optional(),
});
/** A staff-logged complaint. */
export type StaffLogged = z.infer<typeof staffLoggedSchema>;

/** What the route needs from the rest of Redress: the engine's turn (core.engine.handle). */
export type StaffHandle = (m: Inbound) => Promise<{ duplicate: boolean; ticketReference?: string }>;

/**
 * The complaint as one complete letter. The contact points are signed under the text, as on a letter, because the
 * dialog reads the record (and so where the restatement goes) from the text; they are also the conversation's
 * address. Nothing here is verified by a channel, so it links no earlier tickets (as a phone call's typed email).
 */
export function staffInbound(b: StaffLogged, now: Date): Inbound {
  const key = `staff:${b.externalId ?? randomUUID()}`;
  const signature = [b.customer.name, b.customer.email, b.customer.phone].filter(Boolean).join('\n');
  return {
    channel: STAFF_CHANNEL,
    conversationKey: key,
    messageKey: key,
    text: signature ? `${b.text}\n\n${signature}` : b.text,
    style: 'letter',
    receivedAt: now.toISOString(),
    sender: { id: key, name: b.customer.name },
    verified: {},
    address: {
      email: b.customer.email ?? null,
      phone: b.customer.phone ?? null,
      name: b.customer.name ?? null,
      subject: 'Your complaint',
    },
    payload: { staff: { source: b.source, loggedBy: b.loggedBy, externalId: b.externalId ?? null } },
  };
}

/** Mounts POST /api/tickets; `guarded` checks the staff token and answers errors. */
export function mountStaffLogged(
  server: Server,
  guarded: (fn: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response) => Promise<void>,
  o: { db: Db; handle: StaffHandle; clock: () => Date; maxBodyBytes: number },
): void {
  server.post(
    '/api/tickets',
    guarded(async (req, res) => {
      const body = staffLoggedSchema.safeParse(await readJson(req, o.maxBodyBytes));
      if (!body.success)
        throw new RedressError(
          'BAD_REQUEST',
          body.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
          { cause: body.error },
        );
      const result = await logStaffComplaint(o, body.data);
      if (!result.ticket) {
        res.send(200, { ticket: null, reason: NO_COMPLAINT });
        return;
      }
      res.send(result.duplicate ? 200 : 201, await ticketView(o.db, result.ticket));
    }),
  );
}

/** Why a staff-logged text opened no ticket. */
export const NO_COMPLAINT = 'no complaint was found in the text, so no ticket was opened';

/**
 * Runs a staff-logged complaint through the engine as one letter and records who logged it: the one path of
 * POST /api/tickets and the Slack `/complaints new` modal. `actor` is the event's actor (default `staff:<loggedBy>`).
 */
export async function logStaffComplaint(
  o: { db: Db; handle: StaffHandle; clock: () => Date },
  b: StaffLogged,
  actor = `staff:${b.loggedBy}`,
): Promise<{ duplicate: boolean; ticket?: Awaited<ReturnType<typeof recordLoggedBy>> }> {
  const result = await o.handle(staffInbound(b, o.clock()));
  if (!result.ticketReference) return { duplicate: result.duplicate };
  return { duplicate: result.duplicate, ticket: await recordLoggedBy(o.db, result.ticketReference, b, actor) };
}

/**
 * Writes the `logged_by_staff` event once (a retry finds it and adds nothing), with the staff member as actor. A
 * transaction of its own right after the turn: the engine's is the same for every channel.
 */
async function recordLoggedBy(db: Db, reference: string, b: StaffLogged, actor: string) {
  return db.transaction(async (tx) => {
    const t = await ticketByReference(tx, reference, true);
    if (!t) throw new RedressError('INTERNAL', `the turn named ticket ${reference}, which does not exist`);
    if (!(await ticketEvents(tx, t.id)).some((e) => e.kind === 'logged_by_staff'))
      await addEvent(tx, t.id, 'logged_by_staff', actor, { source: b.source, loggedBy: b.loggedBy });
    return t;
  });
}

/** How a staff-logged complaint's customer is reached: the contact points staff gave (any may be missing). */
export const staffAddressSchema = z
  .object({ email: z.string().nullish(), phone: z.string().nullish(), name: z.string().nullish() })
  .loose();

/**
 * The staff channel's push side: the restatement and follow-ups go by email (a new thread) when staff gave an email
 * address. Without one the outbox gives up at once (a refused destination): the replies stay recorded on the ticket.
 */
export function staffPush(email: PushChannel): PushChannel {
  return {
    newExternalId: email.newExternalId,
    reaches: (address) => !!staffAddressSchema.safeParse(address).data?.email,
    send: async (group) => {
      if (!staffAddressSchema.safeParse(group[0]?.address).data?.email)
        throw new RedressError('SERVICE_URL_REFUSED', 'no email address was given for this staff-logged complaint');
      await email.send(group);
    },
  };
}
