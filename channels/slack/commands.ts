/** `/complaints open` and `/complaints <reference>`: ephemeral answers for staff. */
import { escapeSlack } from './blocks.ts';

/** What the command needs from storage. */
export interface CommandStore {
  openTickets(department?: string): Promise<Array<{ reference: string; severity: string; category: string; status: string; claimedBy: string | null; slaDueAt: string }>>;
  ticket(reference: string): Promise<{ reference: string; severity: string; category: string; department: string; status: string; claimedBy: string | null; restatement: string; slaDueAt: string } | undefined>;
}

/** The ephemeral reply to `/complaints <text>` typed in `channelDepartment`'s channel. */
export async function complaintsCommand(text: string, store: CommandStore, channelDepartment?: string): Promise<{ response_type: 'ephemeral'; text: string }> {
  const arg = text.trim();
  const reply = (t: string) => ({ response_type: 'ephemeral' as const, text: t });
  if (/^open$/i.test(arg) || arg === '') {
    const open = await store.openTickets(channelDepartment);
    if (!open.length) return reply(channelDepartment ? `No open tickets for ${escapeSlack(channelDepartment)}.` : 'No open tickets.');
    return reply(
      open
        .slice(0, 30)
        .map((t) => `• ${t.reference} — ${t.severity} ${escapeSlack(t.category)} — ${t.status}${t.claimedBy ? ` (<@${t.claimedBy}>)` : ''} — due ${t.slaDueAt}`)
        .join('\n'),
    );
  }
  const ref = /^CMP-\d{6,}$/i.exec(arg)?.[0].toUpperCase();
  if (!ref) return reply('Usage: `/complaints open` or `/complaints CMP-000123`');
  const t = await store.ticket(ref);
  if (!t) return reply(`No ticket ${ref}.`);
  return reply(`${t.reference} — ${t.severity} ${escapeSlack(t.category)} — ${escapeSlack(t.department)} — ${t.status}${t.claimedBy ? ` (<@${t.claimedBy}>)` : ''} — due ${t.slaDueAt}\n${escapeSlack(t.restatement)}`);
}
