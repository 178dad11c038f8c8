/** The ticket a turn opens, prepared before the dialog phrases it: its reference, the customer's history and tier. */
import type { NewTicket } from '../../dialogs/types.ts';
import type { Queryable } from '../store/db.ts';
import { nextReference } from '../store/tickets.ts';
import { earlierTickets, type VerifiedContacts } from '../store/verified-contacts.ts';
import { latestTier } from '../store/customer-tiers.ts';

/** How far back an earlier complaint by the same customer makes a new one a repeat complaint. */
export const REPEAT_WINDOW_DAYS = 180;

/**
 * Allocates the next reference and counts the customer's recent tickets: the same conversation's customer, or one
 * holding a contact point the channel verified (see VerifiedContacts). An email, phone number or name typed into the
 * complaint never counts: it is no proof the address is the customer's, and a raise (a shorter promised reply time)
 * would tell whoever typed it whether that address has complained.
 */
export async function prepareTicket(tx: Queryable, customerId: number, verified: VerifiedContacts): Promise<NewTicket> {
  return {
    reference: await nextReference(tx),
    earlierTickets: await earlierTickets(tx, customerId, verified, REPEAT_WINDOW_DAYS),
    windowDays: REPEAT_WINDOW_DAYS,
    // The tier staff set for this customer or a verified identity of theirs (never a typed one), if any.
    ...((tier) => (tier ? { tier } : {}))(await latestTier(tx, customerId, verified)),
  };
}
