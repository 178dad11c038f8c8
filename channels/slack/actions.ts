/** The staff actions: the card's buttons and menus, the reply modal, /complaints, and replies typed in a ticket's thread. */
import type { App } from '@slack/bolt';
import type { RoutingConfig } from '../../dialogs/routing-config.ts';
import { severitySchema } from '../../src/domain/severity.ts';
import { isRedressError } from '../../src/core/errors.ts';
import type { Logger } from '../../src/core/log.ts';
import type { ActionStore } from './port.ts';
import { escapeSlack, mention, replyModal, resolveModal, unescapeSlack } from './blocks.ts';
import { resolutionInputSchema, type ResolutionInput } from '../../src/staff/resolution-input.ts';
import { complaintsCommand } from './commands.ts';
import { openNewComplaint } from './new-complaint.ts';
import { Membership } from './membership.ts';
import { listenRecovery } from './recovery.ts';

/** What the staff actions need: the store they act on, the departments, and a way to bring the console up to date. */
export interface ActionOptions {
  store: ActionStore;
  routing: RoutingConfig;
  log?: Logger;
  /** Called after an action changed a ticket, so its card and thread show it without waiting for the next sync. */
  after: () => void;
}

/** The value of a button (`value`) or a menu (`selected_option`). */
function value(action: unknown): string {
  const a = action as { value?: string; selected_option?: { value: string } };
  return a.value ?? a.selected_option?.value ?? '';
}

/** The Resolve modal's fields, by block id: its input value, or a select's chosen option. */
type ViewValues = Record<string, Record<string, { value?: string | null; selected_option?: { value: string } | null }>>;

/** Reads the Resolve modal into a resolution, or the errors to show beside its fields (keyed by block id). */
export function readResolveForm(
  values: ViewValues,
): { resolution: ResolutionInput } | { errors: Record<string, string> } {
  const field = (block: string) => {
    const v = values[block]?.value;
    return (v?.selected_option?.value ?? v?.value ?? '').trim() || undefined;
  };
  const number = (block: string) => (field(block) === undefined ? undefined : Number(field(block)));
  const parsed = resolutionInputSchema.safeParse({
    remedy: field('remedy'),
    amount: number('amount'),
    currency: field('currency'),
    cost: number('cost'),
    cause: field('cause'),
    message: field('message') ?? '',
  });
  if (parsed.success) return { resolution: parsed.data };
  const errors: Record<string, string> = {};
  for (const i of parsed.error.issues) errors[String(i.path[0] ?? 'message')] ??= i.message;
  return { errors };
}

/** Registers the staff listeners on `app`; every action first checks that the one acting belongs to the ticket's department. */
export function listenStaff(app: App, o: ActionOptions): void {
  const membership = new Membership(app.client);
  const { store, after } = o;

  /** Whether `user` may act on ticket `reference`; if not, tells them so (ephemerally) and returns false. */
  const allowed = async (user: string, reference: string, where: string | undefined): Promise<boolean> => {
    const departmentId = await store.departmentOf(reference);
    const dept = o.routing.departments.find((d) => d.id === departmentId);
    let ok = false;
    let why = `Only members of ${dept?.slack_channel ? mention(dept.slack_channel) : 'the department'} can act on ${reference}.`;
    try {
      ok = await membership.mayAct(user, dept);
    } catch (e) {
      why = `Could not check that you may act on ${reference} (${escapeSlack((e as Error).message)}); please try again.`;
    }
    if (!ok) {
      // The refusal may come from a stale cache (they were just added to the channel): the next try asks Slack again.
      if (dept?.slack_channel) membership.forget(dept.slack_channel);
      o.log?.warn({ user, ticket: reference }, 'Slack action refused: not a member of the department');
      if (where) await app.client.chat.postEphemeral({ channel: where, user, text: why }).catch(() => undefined);
    }
    return ok;
  };

  /** A ticket button or menu: acknowledged at once, checked, done once, then the console catches up. */
  const ticketAction = (
    id: string,
    run: (reference: string, arg: string, user: string, key: string | undefined) => Promise<unknown>,
  ) =>
    app.action(id, async ({ ack, body, action, context }) => {
      await ack();
      const [reference, arg = ''] = value(action).split('|');
      const where = (body as { channel?: { id: string } }).channel?.id;
      if (!(await allowed(body.user.id, reference, where))) return;
      try {
        await run(reference, arg, body.user.id, context.slackKey as string | undefined);
      } catch (e) {
        if (!isRedressError(e)) throw e;
        // "a resolved ticket cannot become resolved" and the like: tell the one who clicked, nobody else.
        if (where)
          await app.client.chat.postEphemeral({
            channel: where,
            user: body.user.id,
            text: `${reference}: ${escapeSlack(e.message)}`,
          });
      }
      after();
    });
  ticketAction('claim', (ref, _, user, key) => store.claim(ref, user, key));
  ticketAction('reassign', (ref, department, user, key) => store.reassign(ref, department, user, key));
  ticketAction('severity', async (ref, severity, user, key) => {
    const level = severitySchema.safeParse(severity);
    if (level.success) await store.severity(ref, level.data, user, key);
  });
  // The customer's tier (channels/slack/tier.ts draws the select); an unknown tier is refused to the one who chose.
  ticketAction('tier', (ref, tier, user, key) => store.tier(ref, tier, user, key));

  /** A button that opens a modal on its ticket, for those who may act on it. */
  const modalAction = (id: string, view: (reference: string, restatement: string) => unknown) =>
    app.action(id, async ({ ack, body, action }) => {
      await ack();
      const reference = value(action);
      const where = (body as { channel?: { id: string } }).channel?.id;
      if (!(await allowed(body.user.id, reference, where))) return;
      const t = await store.ticket(reference);
      if (!t) return;
      await app.client.views.open({
        trigger_id: (body as { trigger_id: string }).trigger_id,
        view: view(reference, t.restatement) as never,
      });
    });
  modalAction('reply', (reference, restatement) => replyModal(reference, restatement));
  // A recovery task's Record contact button and modal (channels/slack/recovery.ts), under the same check.
  listenRecovery(app, { store, allowed, after });
  // Resolve opens a modal: a resolution records what was done and why, and tells the customer.
  modalAction('resolve', (reference, restatement) =>
    resolveModal(reference, restatement, o.routing.remedies, o.routing.root_causes),
  );

  app.view('resolve_ticket', async ({ ack, body, view, context }) => {
    const reference = view.private_metadata;
    const form = readResolveForm(view.state.values);
    if ('errors' in form) return void (await ack({ response_action: 'errors', errors: form.errors }));
    if (!(await allowed(body.user.id, reference, undefined))) {
      return void (await ack({
        response_action: 'errors',
        errors: { message: `Only members of the department's channel can resolve ${reference}.` },
      }));
    }
    try {
      await store.resolve(reference, body.user.id, form.resolution, context.slackKey as string | undefined);
    } catch (e) {
      if (!isRedressError(e)) throw e;
      // "a resolved ticket cannot become resolved", an unknown remedy: shown in the modal, which stays open.
      const block = /remedy/.test(e.message) ? 'remedy' : /root cause/.test(e.message) ? 'cause' : 'message';
      return void (await ack({ response_action: 'errors', errors: { [block]: e.message } }));
    }
    await ack();
    after();
  });

  app.view('reply_to_customer', async ({ ack, body, view, context }) => {
    const reference = view.private_metadata;
    const text = (view.state.values.reply?.text?.value ?? '').trim();
    if (!text) return void (await ack({ response_action: 'errors', errors: { reply: 'Write the reply to send.' } }));
    if (!(await allowed(body.user.id, reference, undefined))) {
      return void (await ack({
        response_action: 'errors',
        errors: { reply: `Only members of the department's channel can reply on ${reference}.` },
      }));
    }
    try {
      await store.staffReplyTo(reference, body.user.id, text, context.slackKey as string | undefined);
    } catch (e) {
      if (!isRedressError(e)) throw e;
      return void (await ack({ response_action: 'errors', errors: { reply: e.message } }));
    }
    await ack();
    after();
  });

  app.command('/complaints', async ({ ack, command }) => {
    const department = o.routing.departments.find((d) => d.slack_channel === command.channel_id)?.id;
    // Who asks, not where: any workspace member can type the command in any channel, so it answers only about the
    // departments whose channel they are in (or whose named staff they are).
    const { allowed: may, unchecked } = await membership.departmentsFor(command.user_id, o.routing.departments);
    if (unchecked.length)
      o.log?.warn(
        { user: command.user_id, departments: unchecked.map((d) => d.id) },
        '/complaints: could not check channel membership',
      );
    // `/complaints new` opens the modal of channels/slack/new-complaint.ts, for a department's staff only.
    if (/^new$/i.test((command.text ?? '').trim()))
      return openNewComplaint(app.client, command.trigger_id, ack, {
        staff: may.length > 0,
        incomplete: unchecked.length > 0,
      });
    await ack(
      await complaintsCommand(
        command.text ?? '',
        store,
        { departments: may.map((d) => d.id), incomplete: unchecked.length > 0 },
        department,
      ),
    );
  });

  // A staff member's reply in a ticket's thread goes to the customer.
  app.message(async ({ message, context }) => {
    const m = message as {
      subtype?: string;
      bot_id?: string;
      thread_ts?: string;
      ts?: string;
      channel: string;
      channel_type?: string;
      user?: string;
      text?: string;
    };
    // A person's direct message is a customer's turn (customer.ts listens for those), never a staff reply.
    if (m.channel_type === 'im' && !m.subtype && !m.bot_id) return;
    if (m.subtype || m.bot_id || !m.thread_ts || m.thread_ts === m.ts || !m.user || !m.text?.trim()) return;
    const ticket = await store.byMessage(m.channel, m.thread_ts);
    if (!ticket || !(await allowed(m.user, ticket.reference, m.channel))) return;
    try {
      if (
        await store.staffReply(
          m.channel,
          m.thread_ts,
          m.user,
          unescapeSlack(m.text),
          context.slackKey as string | undefined,
        )
      )
        after();
    } catch (e) {
      if (!isRedressError(e)) throw e;
      await app.client.chat.postEphemeral({
        channel: m.channel,
        user: m.user,
        text: `Not sent to the customer: ${escapeSlack(e.message)}`,
      });
    }
  });
}
