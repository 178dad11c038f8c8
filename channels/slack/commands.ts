/** `/complaints open` and `/complaints <reference>`: ephemeral answers for staff, only about their own departments. */
import { ticketReferenceSchema } from '../../src/domain/reference.ts';
import { escapeSlack } from './blocks.ts';

/** What the command needs from storage. */
export interface CommandStore {
  openTickets(departments: string[]): Promise<
    Array<{
      reference: string;
      severity: string;
      category: string;
      status: string;
      claimedBy: string | null;
      slaDueAt: string;
    }>
  >;
  ticket(reference: string): Promise<
    | {
        reference: string;
        severity: string;
        category: string;
        department: string;
        status: string;
        claimedBy: string | null;
        restatement: string;
        slaDueAt: string;
      }
    | undefined
  >;
}

/** Whose tickets the person typing may see: departments they are a channel member or named staff of. */
export interface CommandAccess {
  departments: string[];
  /** True when some departments' channels could not be checked just now (those are left out). */
  incomplete: boolean;
}

const TRY_AGAIN = "Some departments' channels could not be checked just now; try again in a minute.";

/**
 * The ephemeral reply to `/complaints <text>` typed in `channelDepartment`'s channel. A ticket of a department the
 * person may not see gets the same answer as a reference that does not exist, so the command tells an outsider
 * nothing, not even that the ticket is there.
 */
export async function complaintsCommand(
  text: string,
  store: CommandStore,
  access: CommandAccess,
  channelDepartment?: string,
): Promise<{ response_type: 'ephemeral'; text: string }> {
  const arg = text.trim();
  const reply = (t: string) => ({ response_type: 'ephemeral' as const, text: t });
  const note = access.incomplete ? `\n_${TRY_AGAIN}_` : '';
  if (/^open$/i.test(arg) || arg === '') {
    if (!access.departments.length) {
      return reply(
        access.incomplete
          ? TRY_AGAIN
          : "Sorry, `/complaints` shows tickets only to members of a department's Slack channel (or its named staff), and you are not one.",
      );
    }
    // In a department's channel, that department; anywhere else, every department the person belongs to.
    const here = channelDepartment && access.departments.includes(channelDepartment);
    const open = await store.openTickets(here ? [channelDepartment] : access.departments);
    if (!open.length)
      return reply(
        (here ? `No open tickets for ${escapeSlack(channelDepartment)}.` : 'No open tickets in your departments.') +
          note,
      );
    return reply(
      open
        .slice(0, 30)
        .map(
          (t) =>
            `• ${t.reference} — ${t.severity} ${escapeSlack(t.category)} — ${t.status}${t.claimedBy ? ` (<@${t.claimedBy}>)` : ''} — due ${t.slaDueAt}`,
        )
        .join('\n') + note,
    );
  }
  const parsed = ticketReferenceSchema.safeParse(arg.toUpperCase());
  const ref = parsed.success ? parsed.data : undefined;
  if (!ref) return reply('Usage: `/complaints open`, `/complaints CMP-000123` or `/complaints new`');
  const t = await store.ticket(ref);
  if (!t || !access.departments.includes(t.department)) return reply(`No ticket ${ref}.${note}`);
  return reply(
    `${t.reference} — ${t.severity} ${escapeSlack(t.category)} — ${escapeSlack(t.department)} — ${t.status}${t.claimedBy ? ` (<@${t.claimedBy}>)` : ''} — due ${t.slaDueAt}\n${escapeSlack(t.restatement)}`,
  );
}
