/**
 * Recovering unhappy customers on the console (issue #16): a low score's recovery task is a thread line mentioning its
 * owner with its deadline and a Record contact button; the modal records the personal contact and its outcome. The
 * reminder, the breach (mentioning the escalation target) and the recorded contact are thread lines too.
 */
import type { App } from '@slack/bolt';
import { isRedressError } from '../../src/core/errors.ts';
import {
  RECOVERY_NOTE_MAX,
  recoveryInputSchema,
  recoveryOutcomeSchema,
  type RecoveryInput,
  type RecoveryOutcome,
} from '../../src/staff/recovery-input.ts';
import { escapeSlack, mention } from './blocks.ts';
import type { CommandStore } from './commands.ts';

/** What the console needs to record a contact: done once per Slack delivery `key`, as `user`. */
export interface RecoveryActions {
  /** Records the personal contact of the ticket's latest recovery task and its outcome. */
  recordRecovery(reference: string, user: string, input: RecoveryInput, key?: string): Promise<void>;
}

/** How each outcome reads to staff. */
export const OUTCOME_LABELS: Record<RecoveryOutcome, string> = {
  recovered: 'Recovered: the customer is satisfied',
  not_recovered: 'Not recovered: still unhappy',
  unreachable: 'Unreachable: no contact made',
};

/** A Slack id (user, user group, channel) is mentioned; a name (an escalation without a Slack target) is shown. */
function target(id: unknown): string {
  if (typeof id !== 'string' || !id) return '';
  return /^[USWCG][A-Z0-9]+$/.test(id) ? mention(id) : escapeSlack(id);
}

/** A time shown in each reader's own time zone, with the ISO time where the client cannot. */
function when(iso: unknown): string {
  const ms = Date.parse(String(iso));
  if (Number.isNaN(ms)) return escapeSlack(String(iso ?? ''));
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${new Date(ms).toISOString()}>`;
}

/** The Record contact button under a line, for ticket `reference`. */
function recordButton(reference: string, text: string): unknown[] {
  return [
    { type: 'section', text: { type: 'mrkdwn', text: text.slice(0, 3000) } },
    {
      type: 'actions',
      block_id: `recovery:${reference}`,
      elements: [
        {
          type: 'button',
          action_id: 'recovery_record',
          style: 'primary',
          text: { type: 'plain_text', text: 'Record contact', emoji: false },
          value: reference,
        },
      ],
    },
  ];
}

/**
 * The thread post for a recovery event of ticket `reference` (text, and blocks with the Record contact button while
 * the contact is owed); undefined for any other event.
 */
export function recoveryPost(
  e: { kind: string; actor: string; data: Record<string, unknown> },
  reference: string,
): { text: string; blocks?: unknown[] } | undefined {
  const d = e.data;
  const owner = target(d.owner);
  const to = owner ? `${owner} ` : '';
  const round = `round ${Number(d.round)}`;
  switch (e.kind) {
    case 'recovery_opened': {
      const text = `${to}Recovery task (${round}): the customer scored ${Number(d.score)}/5. Contact them personally by ${when(d.dueAt)} and record the outcome.`;
      return { text, blocks: recordButton(reference, text) };
    }
    case 'recovery_escalated': {
      const text = `${to}Recovery escalated: ${round} is past the ${Number(d.maxRounds)} the department handles (the customer scored ${Number(d.score)}/5). Contact them personally by ${when(d.dueAt)} and record the outcome.`;
      return { text, blocks: recordButton(reference, text) };
    }
    case 'recovery_reminder': {
      const text = `${to}Recovery reminder (${round}): the personal contact is due by ${when(d.dueAt)}.`;
      return { text, blocks: recordButton(reference, text) };
    }
    case 'recovery_breached': {
      const esc = target(d.escalationSlack) || target(d.escalation);
      const text = `${esc ? `${esc} ` : ''}Recovery breached (${round}): no contact recorded by ${when(d.dueAt)}${owner ? ` (owner ${owner})` : ''}; escalated to ${escapeSlack(String(d.escalation ?? 'the department lead'))}.`;
      return { text, blocks: recordButton(reference, text) };
    }
    case 'recovery_recorded': {
      const who = e.actor.startsWith('slack:') ? `<@${e.actor.slice(6)}>` : escapeSlack(e.actor);
      const outcome = OUTCOME_LABELS[d.outcome as RecoveryOutcome] ?? escapeSlack(String(d.outcome));
      const note = d.note ? ` — ${escapeSlack(String(d.note))}` : '';
      return { text: `${who} recorded the recovery contact (${round}${d.late ? ', late' : ''}): ${outcome}${note}` };
    }
    case 'sla_renewed':
      return { text: `Reopened: a new SLA, due ${when(d.slaDueAt)}.` };
    default:
      return undefined;
  }
}

const plain = (text: string) => ({ type: 'plain_text' as const, text, emoji: false });

/** The Record contact modal for ticket `reference`; the reference travels in private_metadata. */
export function recoveryModal(reference: string, restatement: string) {
  return {
    type: 'modal',
    callback_id: 'recovery_record',
    private_metadata: reference,
    title: plain('Recovery contact'),
    submit: plain('Record'),
    close: plain('Cancel'),
    blocks: [
      { type: 'context', elements: [plain(`${reference}: ${restatement}`.slice(0, 1900) || ' ')] },
      {
        type: 'input',
        block_id: 'outcome',
        label: plain('How did the personal contact go?'),
        element: {
          type: 'static_select',
          action_id: 'value',
          options: recoveryOutcomeSchema.options.map((o) => ({ text: plain(OUTCOME_LABELS[o]), value: o })),
        },
      },
      {
        type: 'input',
        block_id: 'note',
        optional: true,
        label: plain('Note (internal: what was said or agreed)'),
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 3000 },
      },
    ],
  };
}

type ViewValues = Record<string, Record<string, { value?: string | null; selected_option?: { value: string } | null }>>;

/** Reads the Record contact modal, or the errors to show beside its fields (keyed by block id). */
export function readRecoveryForm(values: ViewValues): { input: RecoveryInput } | { errors: Record<string, string> } {
  const v = (block: string) => values[block]?.value;
  const parsed = recoveryInputSchema.safeParse({
    outcome: v('outcome')?.selected_option?.value,
    note: (v('note')?.value ?? '').slice(0, RECOVERY_NOTE_MAX) || undefined,
  });
  if (parsed.success) return { input: parsed.data };
  return { errors: { [String(parsed.error.issues[0].path[0] ?? 'outcome')]: 'Choose how the contact went.' } };
}

/** Registers the Record contact button and modal; `allowed` is the console's department check (actions.ts). */
export function listenRecovery(
  app: App,
  o: {
    store: RecoveryActions & Pick<CommandStore, 'ticket'>;
    allowed: (user: string, reference: string, where: string | undefined) => Promise<boolean>;
    after: () => void;
  },
): void {
  app.action('recovery_record', async ({ ack, body, action }) => {
    await ack();
    const reference = (action as { value?: string }).value ?? '';
    const where = (body as { channel?: { id: string } }).channel?.id;
    if (!(await o.allowed(body.user.id, reference, where))) return;
    const t = await o.store.ticket(reference);
    if (!t) return;
    await app.client.views.open({
      trigger_id: (body as { trigger_id: string }).trigger_id,
      view: recoveryModal(reference, t.restatement) as never,
    });
  });

  app.view('recovery_record', async ({ ack, body, view, context }) => {
    const reference = view.private_metadata;
    const form = readRecoveryForm(view.state.values);
    if ('errors' in form) return void (await ack({ response_action: 'errors', errors: form.errors }));
    if (!(await o.allowed(body.user.id, reference, undefined)))
      return void (await ack({
        response_action: 'errors',
        errors: { outcome: `Only members of the department's channel can record contacts on ${reference}.` },
      }));
    try {
      await o.store.recordRecovery(reference, body.user.id, form.input, context.slackKey as string | undefined);
    } catch (e) {
      if (!isRedressError(e)) throw e;
      // "already recorded", "no recovery task": shown in the modal, which stays open.
      return void (await ack({ response_action: 'errors', errors: { outcome: e.message } }));
    }
    await ack();
    o.after();
  });
}
