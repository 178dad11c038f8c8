/** Fires due follow-ups exactly once: acknowledgements, staff SLA reminders, satisfaction checks and second follow-ups. */
import { runFollowup } from '../../dialogs/dialog.ts';
import type { RoutingConfig } from '../../dialogs/routing-config.ts';
import type { DialogState, Language } from '../../dialogs/types.ts';
import type { Deliver, Outbound } from '../core/ports.ts';
import type { Db } from '../store/db.ts';
import { saveState } from '../store/conversations.ts';
import type { Queryable } from '../store/db.ts';
import {
  claimDueFollowups,
  dueFollowups,
  finishFollowups,
  lockFollowup,
  lockTargets,
  rescheduleFollowup,
  type FollowupRow,
  type LockedTargets,
} from '../store/followups.ts';
import { sendOutsideTurn } from '../core/reach.ts';
import { addEvent } from '../store/tickets.ts';
import type { Logger } from '../core/log.ts';
import { fireRecovery, holdForRecovery, isRecoveryKind } from './recovery.ts';

/** Transactions one sweep runs at the same time in one process. */
const FIRE_PARALLEL = 4;
/** Follow-ups fired per transaction: one commit, one claim and one finish for all of them. */
const BATCH = 25;

/** Tries, and the wait between them, of a follow-up whose ticket or conversation another transaction holds. */
const HELD_ATTEMPTS = 10;
const HELD_WAIT_MS = 100;

/** What firing one follow-up did ('busy': another process is firing it; 'held': its ticket or conversation is busy). */
export type FireOutcome = 'sent' | 'cancelled' | 'not_due' | 'already_done' | 'missing' | 'busy' | 'held';

/** Whether the ticket and (for a customer follow-up) the conversation of `f` were locked for this transaction. */
function isFree(f: FollowupRow, locked: LockedTargets): boolean {
  return locked.tickets.has(f.ticket_id) && (f.audience === 'staff' || locked.conversations.has(f.conversation_id));
}

/** Fires follow-ups; any process may run it, the row lock makes each follow-up fire once. */
export class FollowupScheduler {
  private stopped = false;
  constructor(
    private readonly deps: {
      db: Db;
      deliver?: Deliver;
      onOutbound?: () => void;
      routing: RoutingConfig;
      defaultLanguage: Language;
      clock?: () => Date;
      log?: Logger;
    },
  ) {}

  /**
   * Fires follow-up `id` if it is due at `now` and still scheduled (pg-boss's timed job, and a batch gone wrong). While
   * a turn or a staff action holds its ticket or conversation it tries again a few times, then leaves it ('held') to
   * the sweep.
   */
  async fire(id: number, now: Date = this.now()): Promise<FireOutcome> {
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.fireOnce(id, now);
      if (outcome !== 'held' || attempt >= HELD_ATTEMPTS || this.stopped) return outcome;
      await new Promise((r) => setTimeout(r, HELD_WAIT_MS));
    }
  }

  private async fireOnce(id: number, now: Date): Promise<FireOutcome> {
    const { outcome, replies } = await this.deps.db.transaction(async (tx) => {
      const f = await lockFollowup(tx, id);
      if (!f) return { outcome: 'missing' as const, replies: [] };
      if (f === 'busy') return { outcome: 'busy' as const, replies: [] };
      if (f.state !== 'scheduled') return { outcome: 'already_done' as const, replies: [] };
      if (new Date(f.due_at).getTime() > now.getTime()) return { outcome: 'not_due' as const, replies: [] };
      // Never waits for a row lock while holding the follow-up's: paths that lock a ticket or conversation and then
      // the follow-ups (a turn cancelling them, a ticket resolved, an erasure) would otherwise deadlock with it.
      const locked = await lockTargets(tx, [f]);
      if (!isFree(f, locked)) return { outcome: 'held' as const, replies: [] };
      const done = await this.fireLocked(tx, f, locked, now);
      if (done.outcome === 'sent' || done.outcome === 'cancelled') await finishFollowups(tx, [f.id], done.outcome, now);
      return done;
    });
    if (replies.length) this.deps.onOutbound?.();
    return outcome;
  }

  /**
   * Fires up to `limit` due follow-ups in one transaction: claimed with SKIP LOCKED (so sweepers in other processes
   * take other rows), their conversations and tickets locked by two statements in id order, skipping any a turn holds
   * (those wait for the next batch), finished by one statement.
   * Returns how many were claimed, skipped and sent; throws if any of them fails, and then none of them is fired.
   */
  async fireBatch(now: Date, limit: number): Promise<{ claimed: number; skipped: number; sent: number }> {
    const { claimed, skipped, sent, replies } = await this.deps.db.transaction(async (tx) => {
      const rows = await claimDueFollowups(tx, now, limit);
      const locked = await lockTargets(tx, rows);
      const finished: Record<'sent' | 'cancelled', number[]> = { sent: [], cancelled: [] };
      const replies: Outbound[] = [];
      let skipped = 0;
      for (const f of rows) {
        // Its ticket or conversation is in a turn right now: it stays scheduled for the next batch.
        if (!isFree(f, locked)) {
          skipped++;
          continue;
        }
        const done = await this.fireLocked(tx, f, locked, now);
        if (done.outcome === 'sent' || done.outcome === 'cancelled') finished[done.outcome].push(f.id);
        replies.push(...done.replies);
      }
      await finishFollowups(tx, finished.sent, 'sent', now);
      await finishFollowups(tx, finished.cancelled, 'cancelled', now);
      return { claimed: rows.length, skipped, sent: finished.sent.length, replies };
    });
    if (replies.length) this.deps.onOutbound?.();
    return { claimed, skipped, sent };
  }

  /** The work of firing a follow-up that is locked, scheduled and due, with its ticket and conversation locked. */
  private async fireLocked(
    tx: Queryable,
    f: FollowupRow,
    locked: LockedTargets,
    now: Date,
  ): Promise<{ outcome: FireOutcome; replies: Outbound[] }> {
    const ticket = locked.tickets.get(f.ticket_id)!;
    const closed = ticket.status === 'withdrawn' || ticket.status === 'closed';
    // A satisfaction check only makes sense while the ticket is resolved; a reminder, or "we have received it", only
    // while it is not.
    const whileOpen = f.kind === 'sla_reminder' || f.kind === 'sla_breach' || f.kind === 'acknowledgement';
    const stale =
      closed ||
      (f.kind === 'satisfaction_check' && ticket.status !== 'resolved') ||
      (whileOpen && ticket.status === 'resolved');
    if (stale) {
      await addEvent(tx, ticket.id, 'followup_cancelled', 'scheduler', {
        kind: f.kind,
        followupId: f.id,
        ticketStatus: ticket.status,
      });
      return { outcome: 'cancelled', replies: [] };
    }
    if (isRecoveryKind(f.kind)) return { outcome: await fireRecovery(tx, f, ticket, now, this.deps), replies: [] };
    // The customer's second follow-up waits for the personal contact a low score owes them, or its deadline.
    if (f.kind === 'second_followup' && (await holdForRecovery(tx, f, now))) return { outcome: 'not_due', replies: [] };
    if (f.kind === 'sla_breach') {
      // Staff may have changed the severity since: the breach is due at the ticket's SLA as it is now.
      if (new Date(ticket.sla_due_at).getTime() > now.getTime()) {
        await rescheduleFollowup(tx, f.id, ticket.sla_due_at);
        return { outcome: 'not_due', replies: [] };
      }
      const dept = this.deps.routing.departments.find((d) => d.id === ticket.department);
      await addEvent(tx, ticket.id, 'sla_breached', 'scheduler', {
        followupId: f.id,
        slaDueAt: new Date(ticket.sla_due_at).toISOString(),
        department: ticket.department,
        escalation: dept?.escalation ?? null,
      });
      this.deps.log?.warn(
        { ticket: ticket.reference, department: ticket.department, escalation: dept?.escalation },
        'SLA breached: escalated',
      );
      return { outcome: 'sent', replies: [] };
    }
    if (f.audience === 'staff') {
      await addEvent(tx, ticket.id, 'sla_reminder', 'scheduler', {
        followupId: f.id,
        slaDueAt: new Date(ticket.sla_due_at).toISOString(),
        department: ticket.department,
      });
      this.deps.log?.warn(
        { ticket: ticket.reference, department: ticket.department, slaDueAt: ticket.sla_due_at },
        'SLA reminder: ticket still open',
      );
      return { outcome: 'sent', replies: [] };
    }
    const conv = locked.conversations.get(f.conversation_id)!;
    const dept = this.deps.routing.departments.find((d) => d.id === ticket.department);
    const state = conv.state as DialogState;
    const lang = state?.language ?? this.deps.defaultLanguage;
    const out = runFollowup(
      conv.state,
      {
        kind: f.kind,
        reference: ticket.reference,
        department: dept ? dept.name[lang === 'en' ? 'en' : 'zh-Hans'] : ticket.department,
        dueAt: new Date(ticket.sla_due_at).toISOString(),
      },
      { defaultLanguage: this.deps.defaultLanguage, now, survey: this.deps.routing.survey },
    );
    await saveState(tx, conv, out.state, lang);
    // A second follow-up of the same conversation in this batch must start from the state just saved.
    locked.conversations.set(conv.id, { ...conv, state: out.state, language: lang, version: conv.version + 1 });
    const { replies } = await sendOutsideTurn(tx, { deliver: this.deps.deliver, now }, conv, ticket, out.replies, {
      followupId: f.id,
      purpose: f.kind,
    });
    await addEvent(tx, ticket.id, 'followup_sent', 'scheduler', {
      kind: f.kind,
      followupId: f.id,
      messages: replies.map((r) => r.id),
    });
    return { outcome: 'sent', replies };
  }

  /**
   * Fires everything due by `now`, or, without `now`, everything due by the time each batch starts (a long sweep then
   * also takes what fell due while it ran); returns how many were sent.
   */
  async fireDue(now?: Date, limit = 200): Promise<number> {
    let sent = 0;
    // Parallel workers can split one ticket's follow-ups (a reminder and a breach claimed by two workers): the one that
    // finds the ticket locked by its sibling skips it. A round that sent some and skipped some runs again, so those are
    // fired now; a round that sent none skipped only what turns hold, which waits for the next sweep.
    while (!this.stopped) {
      const round = await this.fireRound(now, limit);
      sent += round.sent;
      if (round.skipped === 0 || round.sent === 0) break;
    }
    return sent;
  }

  /** One round of `FIRE_PARALLEL` workers firing batches until none is full; returns how many were sent and skipped. */
  private async fireRound(now: Date | undefined, limit: number): Promise<{ sent: number; skipped: number }> {
    const at = () => now ?? this.now();
    let sent = 0;
    let skipped = 0;
    // A few batches at a time, each its own transaction: the lag is round trips shared, not summed. A full batch means
    // more are waiting, so a worker goes on at once rather than at the next sweep. A stopped scheduler finishes the
    // batch in hand, not the backlog: shutdown must not wait on a burst.
    const work = async () => {
      while (!this.stopped) {
        let batch: { claimed: number; skipped: number; sent: number };
        try {
          batch = await this.fireBatch(at(), BATCH);
        } catch (err) {
          // One bad follow-up must not hold up the others: fire the due ones one by one, each failing on its own.
          this.deps.log?.warn({ err }, 'follow-up batch failed; firing one at a time');
          // Not `sent += await ...`: that reads `sent` before the wait, losing what the other workers added meanwhile.
          const each = await this.fireEach(at(), limit);
          sent += each;
          return;
        }
        sent += batch.sent;
        skipped += batch.skipped;
        // A batch that could fire none of its rows (all in turns) would claim the same rows again at once: wait for
        // the next sweep instead of spinning.
        if (batch.claimed < BATCH || batch.skipped === batch.claimed) return;
      }
    };
    // Settled, not Promise.all: a worker that fails (the database gone) must not leave the others running unawaited.
    const results = await Promise.allSettled(Array.from({ length: FIRE_PARALLEL }, work));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return { sent, skipped };
  }

  /** Fires due follow-ups one transaction each, logging the ones that fail; returns how many were sent. */
  private async fireEach(now: Date, limit: number): Promise<number> {
    let sent = 0;
    for (const id of await dueFollowups(this.deps.db, now, limit)) {
      if (this.stopped) break;
      try {
        if ((await this.fire(id, now)) === 'sent') sent++;
      } catch (err) {
        this.deps.log?.error({ err, followupId: id }, 'follow-up failed');
      }
    }
    return sent;
  }

  /** Makes a sweep under way finish the batches in hand and take no more (shutdown). */
  stop(): void {
    this.stopped = true;
  }

  private now(): Date {
    return (this.deps.clock ?? (() => new Date()))();
  }
}
