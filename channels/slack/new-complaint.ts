/**
 * `/complaints new` (issue #16 item 7): a modal for a complaint staff took in person, by letter, by a live call or
 * from a partner. Its submission goes through the port to the same creation as POST /api/tickets.
 */
import type { App } from '@slack/bolt';
import type { RoutingConfig } from '../../dialogs/routing-config.ts';
import { isRedressError } from '../../src/core/errors.ts';
import type { Logger } from '../../src/core/log.ts';
import { escapeSlack } from './blocks.ts';
import { Membership } from './membership.ts';
import type { ActionStore } from './port.ts';
import type { LoggedComplaint, NewComplaintForm } from '../../src/staff/slack-logged.ts';

/** Where a staff-logged complaint came from (staffSourceSchema's values), as the modal offers them. */
export const SOURCES: Array<[string, string]> = [
  ['in_person', 'In person'],
  ['letter', 'Letter'],
  ['phone_call', 'Live phone call'],
  ['partner', 'From a partner'],
];

const plain = (text: string) => ({ type: 'plain_text' as const, text, emoji: false });

/** An input block whose element's action_id is `value` (what readNewComplaint reads, as the Resolve modal does). */
function input(block_id: string, label: string, element: Record<string, unknown>, optional = false) {
  const withId = { action_id: 'value', ...element };
  return { type: 'input', block_id, optional, label: plain(label), element: withId };
}

/** The `/complaints new` modal. */
export function newComplaintModal() {
  return {
    type: 'modal',
    callback_id: 'new_complaint',
    title: plain('Log a complaint'),
    submit: plain('Open ticket'),
    close: plain('Cancel'),
    blocks: [
      input('source', 'How it came in', {
        type: 'static_select',
        options: SOURCES.map(([value, label]) => ({ text: plain(label), value })),
      }),
      input('text', "The complaint, in the customer's own words", {
        type: 'plain_text_input',
        multiline: true,
        max_length: 3000,
      }),
      input('name', "Customer's name", { type: 'plain_text_input', max_length: 200 }, true),
      input('email', "Customer's email", { type: 'email_text_input' }, true),
      input('phone', "Customer's phone", { type: 'plain_text_input', max_length: 40 }, true),
      {
        type: 'context',
        elements: [
          plain(
            'The restatement and the follow-ups go to the email address, when you give one; the ticket records you as the one who logged it.',
          ),
        ],
      },
    ],
  };
}

/** The modal's state as Slack sends it: inputs carry a value, the select a selected_option. */
type ViewValues = Record<string, Record<string, { value?: string | null; selected_option?: { value: string } | null }>>;

/** Reads the modal's fields (trimmed; blank optional ones left out). */
export function readNewComplaint(values: ViewValues): NewComplaintForm {
  const field = (block: string) => {
    const v = values[block]?.value;
    return (v?.selected_option?.value ?? v?.value ?? '').trim() || undefined;
  };
  return {
    text: field('text') ?? '',
    source: field('source') ?? '',
    ...Object.fromEntries((['name', 'email', 'phone'] as const).flatMap((k) => (field(k) ? [[k, field(k)]] : []))),
  };
}

/** The modal once the ticket is open: its reference and where it went. */
function loggedView(t: { reference: string; department: string; emailed: boolean }, routing: RoutingConfig) {
  const dept = routing.departments.find((d) => d.id === t.department)?.name.en ?? t.department;
  const told = t.emailed
    ? 'The restatement was sent to the customer by email.'
    : 'No email was given: nothing was sent to the customer.';
  return {
    type: 'modal',
    title: plain('Complaint logged'),
    close: plain('Done'),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${t.reference}* opened for ${escapeSlack(dept)}. ${told}` } },
    ],
  };
}

/** The ephemeral refusal for someone who is no department's staff (or could not be checked just now). */
export function newComplaintRefusal(incomplete: boolean) {
  return {
    response_type: 'ephemeral' as const,
    text: incomplete
      ? "Some departments' channels could not be checked just now; try again in a minute."
      : "Sorry, only members of a department's Slack channel (or its named staff) can log complaints.",
  };
}

/**
 * `/complaints new`: opens the modal for someone who is staff of a department (`staff`), or answers why not.
 * Acknowledged first: the trigger stays valid for the views.open that follows.
 */
export async function openNewComplaint(
  client: App['client'],
  triggerId: string,
  ack: (answer?: ReturnType<typeof newComplaintRefusal>) => Promise<void>,
  access: { staff: boolean; incomplete: boolean },
): Promise<void> {
  if (!access.staff) return ack(newComplaintRefusal(access.incomplete));
  await ack();
  await client.views.open({ trigger_id: triggerId, view: newComplaintModal() as never });
}

/** What the submission handler needs. */
export interface NewComplaintOptions {
  store: Pick<ActionStore, 'logComplaint'>;
  routing: RoutingConfig;
  log?: Logger;
  /** Brings the console up to date (posts the new ticket's card). */
  after: () => void;
}

/** Registers the modal's submission: checked, logged once per view and content, the card posted. */
export function listenNewComplaint(app: App, o: NewComplaintOptions): void {
  const membership = new Membership(app.client);
  app.view('new_complaint', async ({ ack, body, view }) => {
    const form = readNewComplaint(view.state.values);
    const errors = (e: Record<string, string>) => ack({ response_action: 'errors', errors: e });
    const { allowed } = await membership.departmentsFor(body.user.id, o.routing.departments);
    if (!allowed.length) return void (await errors({ text: newComplaintRefusal(false).text }));
    let logged: LoggedComplaint;
    try {
      logged = await o.store.logComplaint(form, body.user.id, view.id);
    } catch (e) {
      if (!isRedressError(e)) throw e;
      o.log?.warn({ user: body.user.id, err: e.message }, '/complaints new: not logged');
      return void (await errors({ text: e.message }));
    }
    if ('errors' in logged) return void (await errors(logged.errors));
    await ack({ response_action: 'update', view: loggedView(logged, o.routing) as never });
    o.after();
  });
}
