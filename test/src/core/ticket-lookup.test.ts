import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redress } from '../../../src/main.ts';
import { eraseCustomer } from '../../../src/privacy/erase.ts';
import { DATABASE_URL, startTestApp } from '../../helpers.ts';

// "CMP-000123, my email is …" from any channel (issue #16 item 1), through the engine on the database: the status only
// for the contact point on the ticket; a wrong one reveals nothing a made-up reference would not.
let app: Redress;
beforeAll(async () => {
  app = await startTestApp(DATABASE_URL ? 'pg' : 'pglite', { jobs: false });
});
afterAll(async () => {
  await app?.stop();
});

let n = 0;
const say = async (channel: string, conversationKey: string, text: string, sender = conversationKey) => {
  const r = await app.engine.handle({
    channel,
    conversationKey,
    messageKey: `${conversationKey}-${n++}`,
    text,
    sender: { id: sender },
    style: channel === 'email' ? 'letter' : 'chat',
    verified: channel === 'email' ? { email: sender } : {},
  });
  return { ...r, text: r.replies.map((m) => m.text).join('\n') };
};

describe('asking about a ticket by reference', () => {
  let ref: string;
  beforeAll(async () => {
    await say(
      'webchat',
      'lookup-owner',
      'The courier left my parcel for order 55102 in the rain yesterday and the books inside are ruined. I want them replaced. Ann Moss, ann.moss@example.com, +1 415 555 0182',
    );
    await say('webchat', 'lookup-owner', 'yes');
    ref = (await say('webchat', 'lookup-owner', 'three books')).ticketReference!;
    expect(ref).toMatch(/^CMP-\d{6}$/);
  });

  it('answers from a new web chat, with the email or the phone number on the ticket', async () => {
    const byEmail = await say('webchat', 'lookup-a', `${ref}, my email is ANN.MOSS@example.com`);
    expect(byEmail.text).toMatch(
      new RegExp(
        `^${ref} is open with our Delivery and Logistics team\\. We promised a reply by \\d\\d:\\d\\d UTC on \\w+ \\d+ \\w+\\.$`,
      ),
    );
    expect(byEmail.ticketReference).toBeUndefined();
    const byPhone = await say('webchat', 'lookup-b', `status of ${ref}? my number is (415) 555-0182`);
    expect(byPhone.text).toMatch(new RegExp(`^${ref} is open with our Delivery and Logistics team`));
  });

  it('answers "any news?" in the ticket\'s own conversation, and nowhere else without a contact point', async () => {
    const own = await say('webchat', 'lookup-owner', 'Any news?');
    expect(own.text).toMatch(new RegExp(`^${ref} is open with our Delivery and Logistics team`));
    const stranger = await say('webchat', 'lookup-f', `Any news on ${ref}?`);
    expect(stranger.text).toMatch(/email address or phone number given with the complaint/);
    expect(stranger.text).not.toMatch(/Logistics/);
  });

  it('answers an email from the address on the ticket', async () => {
    const mail = await say(
      'email',
      'lookup-mail',
      `Hello, what is the status of ${ref}? Thanks`,
      'ann.moss@example.com',
    );
    expect(mail.text).toContain(`${ref} is open with our Delivery and Logistics team`);
  });

  it('a wrong contact point gets exactly the answer of a reference that does not exist', async () => {
    const wrong = await say('webchat', 'lookup-c', `${ref}, my email is eve@example.com`);
    const none = await say('webchat', 'lookup-d', 'CMP-999999, my email is eve@example.com');
    expect(wrong.text.replace(ref, 'REF')).toBe(none.text.replace('CMP-999999', 'REF'));
    expect(wrong.text).not.toMatch(/Logistics|open|rain|books|Ann/i);
    // A wrong email from the mailbox itself is no better.
    const mail = await say('email', 'lookup-mail-2', `Status of ${ref} please`, 'eve@example.com');
    expect(mail.text).toMatch(/couldn't find a complaint/);
  });

  it("finds nothing once the customer's data is erased", async () => {
    await eraseCustomer(app.db, { email: 'ann.moss@example.com' }, { actor: 'dpo', now: new Date() });
    const after = await say('webchat', 'lookup-e', `${ref}, my email is ann.moss@example.com`);
    expect(after.text).toMatch(/couldn't find a complaint/);
  });
});
