/**
 * The ticket reference: CMP- and the ticket's number zero-padded to six digits (CMP-000123). The database makes it
 * (insertTicket); every pattern that reads one is here. The patterns accept more digits, as they always have.
 */
import { z } from 'zod';

/** What every ticket reference starts with. */
export const REFERENCE_PREFIX = 'CMP-';
/** How many digits the number is padded to. */
export const REFERENCE_DIGITS = 6;

/** A whole ticket reference, upper case (e.g. CMP-000123). */
export const ticketReferenceSchema = z.string().regex(/^CMP-\d{6,}$/, 'a ticket reference looks like CMP-000123');
/** A ticket reference. */
export type TicketReference = z.infer<typeof ticketReferenceSchema>;

/** A ticket reference within text (an email subject, a Slack command), any case. */
export const REFERENCE_IN_TEXT = /\bCMP-\d{6,}\b/i;
/** The `[CMP-000123]` tag an email subject carries, with a space either side (any number of digits). */
export const REFERENCE_TAG = /\s?\[CMP-\d+\]\s?/i;
