/** Ticket status: every value the tickets.status column allows, the groups the code counts by, and which may follow which. */
import { z } from 'zod';

/** Every status a ticket can have (the CHECK constraint on tickets.status, migrations/0001_init.sql). */
export const ticketStatusSchema = z.enum(['open', 'in_progress', 'resolved', 'reopened', 'closed', 'withdrawn']);
/** A ticket status. */
export type TicketStatus = z.infer<typeof ticketStatusSchema>;

/** Statuses in which a ticket still waits for staff (counted as open). */
export const waitingStatusSchema = ticketStatusSchema.extract(['open', 'in_progress', 'reopened']);
/** Statuses after which nothing more is expected of a ticket (withdrawn is as final as closed). */
export const finishedStatusSchema = ticketStatusSchema.exclude(waitingStatusSchema.options);
/** Statuses staff may set (staff API, Slack console). */
export const staffStatusSchema = ticketStatusSchema.extract(['in_progress', 'resolved', 'closed', 'reopened']);

/** Which status may follow which: a withdrawn or closed ticket is final unless reopened by staff. */
export const STATUS_TRANSITIONS: Readonly<Record<TicketStatus, readonly TicketStatus[]>> = {
  open: ['in_progress', 'resolved', 'closed'],
  in_progress: ['resolved', 'closed'],
  reopened: ['in_progress', 'resolved', 'closed'],
  resolved: ['reopened', 'closed'],
  closed: ['reopened'],
  withdrawn: ['reopened'],
};

/** Whether a ticket in status `from` may be moved to `to` (false for a status the table does not know). */
export function canBecome(from: string, to: TicketStatus): boolean {
  return (STATUS_TRANSITIONS as Partial<Record<string, readonly TicketStatus[]>>)[from]?.includes(to) ?? false;
}

/** The kind of the ticket event that records a change to `status` (status_resolved, status_reopened …). */
export function statusEventKind<S extends TicketStatus>(status: S): `status_${S}` {
  return `status_${status}`;
}
