/** The Slack `/complaints new` modal's port: its fields checked as POST /api/tickets checks a body, and logged the same way. */
import { createHash } from 'node:crypto';
import type { Db } from '../store/db.ts';
import { logStaffComplaint, NO_COMPLAINT, staffLoggedSchema, type StaffHandle } from './staff-logged.ts';

/** The `/complaints new` modal's fields as typed (blank ones absent); channels/slack/new-complaint.ts reads them. */
export interface NewComplaintForm {
  text: string;
  source: string;
  name?: string;
  email?: string;
  phone?: string;
}

/** What logging gave: the ticket opened, or the errors to show beside the modal's fields (keyed by block id). */
export type LoggedComplaint =
  { reference: string; department: string; duplicate: boolean; emailed: boolean } | { errors: Record<string, string> };

// The modal's block for each field of the API's body (its customer's fields are blocks of their own).
const BLOCK: Record<string, string> = { source: 'source', text: 'text', name: 'name', email: 'email', phone: 'phone' };
// What a required field left blank is told (the schema's own words are for API clients).
const BLANK: Record<string, string> = { source: 'Choose how the complaint came in.', text: 'Write the complaint.' };

/**
 * Logs the modal's complaint as Slack user `user` (the ticket's `loggedBy` and the event's actor, `slack:<user>`). The
 * external id is the view and what was typed: a retried submission finds the same ticket, and one corrected after an
 * error (no complaint found) is a new complaint.
 */
export function slackLoggedComplaints(o: { db: Db; handle: StaffHandle; clock: () => Date }) {
  return async (form: NewComplaintForm, user: string, viewId: string): Promise<LoggedComplaint> => {
    const digest = createHash('sha256').update(JSON.stringify(form)).digest('hex').slice(0, 24);
    const body = staffLoggedSchema.safeParse({
      source: form.source || undefined,
      text: form.text,
      customer: { name: form.name, email: form.email, phone: form.phone },
      loggedBy: `slack:${user}`,
      externalId: `slack:${viewId}:${digest}`,
    });
    if (!body.success) {
      const errors: Record<string, string> = {};
      for (const i of body.error.issues) {
        const block = BLOCK[String(i.path.at(-1))] ?? 'text';
        errors[block] ??= !form[block as keyof NewComplaintForm] ? (BLANK[block] ?? i.message) : i.message;
      }
      return { errors };
    }
    const r = await logStaffComplaint(o, body.data, `slack:${user}`);
    if (!r.ticket) return { errors: { text: `${NO_COMPLAINT}: write what went wrong, in the customer's words` } };
    return {
      reference: r.ticket.reference,
      department: r.ticket.department,
      duplicate: r.duplicate,
      emailed: Boolean(body.data.customer.email),
    };
  };
}
