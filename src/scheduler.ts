/** Fires due follow-ups exactly once: acknowledgements, staff SLA reminders, satisfaction checks and second follow-ups. */
import { runFollowup } from '../dialogs/dialog.ts';
import type { RoutingConfig } from '../dialogs/routing-config.ts';
import type { DialogState, Language } from '../dialogs/types.ts';
import type { Deliver, Outbound } from './ports.ts';
import type { Db } from './store/db.ts';
import { saveState, type ConversationRow } from './store/conversations.ts';
import { dueFollowups, finishFollowup, lockFollowup } from './store/followups.ts';
import { recordOutbound } from './store/messages.ts';
import { addEvent } from './store/tickets.ts';
import type { Logger } from './log.ts';

/** Follow-ups of one sweep fired at the same time by one process (each in its own transaction). */
const FIRE_PARALLEL = 4;

/** What firing one follow-up did. */
export type FireOutcome = 'sent' | 'cancelled' | 'not_due' | 'already_done' | 'missing' | 'busy';

/** Fires follow-ups; any process may run it, the row lock makes each follow-up fire once. */
export class FollowupScheduler {
  private timer?: NodeJS.Timeout;
  private sweeping = false;
  constructor(
    private readonly deps: { db: Db; deliver?: Deliver; onOutbound?: () => void; routing: RoutingConfig; defaultLanguage: Language; clock?: () => Date; log?: Logger },
  ) {}

  /** Fires follow-up `id` if it is due at `now` and still scheduled. */
  async fire(id: number, now: Date = this.now()): Promise<FireOutcome> {
    const { outcome, replies } = await this.deps.db.transaction(async (tx) => {
      const f = await lockFollowup(tx, id);
      if (!f) return { outcome: 'missing' as const, replies: [] };
      if (f === 'busy') return { outcome: 'busy' as const, replies: [] };
      if (f.state !== 'scheduled') return { outcome: 'already_done' as const, replies: [] };
      if (new Date(f.due_at).getTime() > now.getTime()) return { outcome: 'not_due' as const, replies: [] };
      const ticket = (await tx.query<{ id: number; reference: string; status: string; department: string; sla_due_at: Date }>('SELECT id, reference, status, department, sla_due_at FROM tickets WHERE id = $1 FOR UPDATE', [f.ticket_id])).rows[0];
      const closed = ['withdrawn', 'closed'].includes(ticket.status);
      // A satisfaction check only makes sense while the ticket is resolved; a reminder only while it is not.
      const stale =
        closed ||
        (f.kind === 'satisfaction_check' && ticket.status !== 'resolved') ||
        ((f.kind === 'sla_reminder' || f.kind === 'sla_breach') && ticket.status === 'resolved');
      if (stale) {
        await finishFollowup(tx, f.id, 'cancelled', now);
        await addEvent(tx, ticket.id, 'followup_cancelled', 'scheduler', { kind: f.kind, followupId: f.id, ticketStatus: ticket.status });
        return { outcome: 'cancelled' as const, replies: [] };
      }
      let replies: Outbound[] = [];
      if (f.kind === 'sla_breach') {
        // Staff may have changed the severity since: the breach is due at the ticket's SLA as it is now.
        if (new Date(ticket.sla_due_at).getTime() > now.getTime()) {
          await tx.query('UPDATE followups SET due_at = $2 WHERE id = $1', [f.id, ticket.sla_due_at]);
          return { outcome: 'not_due' as const, replies: [] };
        }
        const dept = this.deps.routing.departments.find((d) => d.id === ticket.department);
        await addEvent(tx, ticket.id, 'sla_breached', 'scheduler', { followupId: f.id, slaDueAt: new Date(ticket.sla_due_at).toISOString(), department: ticket.department, escalation: dept?.escalation ?? null });
        this.deps.log?.warn({ ticket: ticket.reference, department: ticket.department, escalation: dept?.escalation }, 'SLA breached: escalated');
      } else if (f.audience === 'staff') {
        await addEvent(tx, ticket.id, 'sla_reminder', 'scheduler', { followupId: f.id, slaDueAt: new Date(ticket.sla_due_at).toISOString(), department: ticket.department });
        this.deps.log?.warn({ ticket: ticket.reference, department: ticket.department, slaDueAt: ticket.sla_due_at }, 'SLA reminder: ticket still open');
      } else {
        const conv = (await tx.query<ConversationRow>('SELECT * FROM conversations WHERE id = $1 FOR UPDATE', [f.conversation_id])).rows[0];
        const dept = this.deps.routing.departments.find((d) => d.id === ticket.department);
        const state = conv.state as DialogState;
        const lang = (state?.language ?? this.deps.defaultLanguage) as Language;
        const out = runFollowup(
          conv.state,
          { kind: f.kind, reference: ticket.reference, department: dept ? dept.name[lang === 'en' ? 'en' : 'zh-Hans'] : ticket.department, dueAt: new Date(ticket.sla_due_at).toISOString() },
          { defaultLanguage: this.deps.defaultLanguage, now },
        );
        await saveState(tx, conv, out.state, lang);
        replies = await recordOutbound(tx, conv, out.replies, { followupId: f.id }, this.deps.deliver?.pushes(conv.channel));
        await addEvent(tx, ticket.id, 'followup_sent', 'scheduler', { kind: f.kind, followupId: f.id, messages: replies.map((r) => r.id) });
      }
      await finishFollowup(tx, f.id, 'sent', now);
      return { outcome: 'sent' as const, replies };
    });
    if (replies.length) this.deps.onOutbound?.();
    return outcome;
  }

  /** Fires everything due by `now`; returns how many were sent. */
  async fireDue(now: Date = this.now(), limit = 200): Promise<number> {
    let sent = 0;
    // A full batch means more are waiting: go on at once rather than at the next sweep. Each batch is fired by a few
    // transactions at a time, so the lag is round trips shared, not summed.
    for (;;) {
      const batch = await dueFollowups(this.deps.db, now, limit);
      const queue = [...batch];
      let busy = 0;
      const next = () => queue.shift();
      await Promise.all(
        Array.from({ length: Math.min(FIRE_PARALLEL, batch.length) }, async () => {
          for (let id = next(); id !== undefined; id = next()) {
            const outcome = await this.fire(id, now);
            if (outcome === 'sent') sent++;
            if (outcome === 'busy') busy++;
          }
        }),
      );
      // Stop when the batch was not full, or when all of it was another process's work in flight.
      if (batch.length < limit || busy === batch.length) return sent;
    }
  }

  /** Sweeps for due follow-ups every `seconds` (a safety net beside pg-boss's timed jobs). */
  startSweep(seconds: number): void {
    this.timer = setInterval(() => {
      if (this.sweeping) return;
      this.sweeping = true;
      this.fireDue()
        .catch((err) => this.deps.log?.error({ err }, 'follow-up sweep failed'))
        .finally(() => (this.sweeping = false));
    }, seconds * 1000);
    this.timer.unref();
  }

  /** Stops the sweep. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private now(): Date {
    return (this.deps.clock ?? (() => new Date()))();
  }
}
