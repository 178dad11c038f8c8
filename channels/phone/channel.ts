/** The phone channel: call transcripts uploaded by the contact centre's system; the customer hears back by email. */
import { z } from 'zod';
import type { Channel } from '../../src/core/channel.ts';
import type { PushChannel } from '../../src/core/ports.ts';
import { mountTranscriptApi, PHONE_CHANNEL } from './api.ts';

/** How a caller is reached afterwards: the email address or number found in the call (either may be missing). */
export const phoneAddressSchema = z
  .object({ email: z.string().nullish(), phone: z.string().nullish(), subject: z.string().optional() })
  .loose();

/** The phone channel; with `email` (the email channel's sender) a caller who gave an address gets the replies. */
export function phoneChannel(o: Parameters<typeof mountTranscriptApi>[1] & { email?: PushChannel }): Channel {
  const { email, ...api } = o;
  return {
    name: PHONE_CHANNEL,
    addressSchema: phoneAddressSchema,
    mount: (server) => mountTranscriptApi(server, api),
    push: email && phonePush(email),
  };
}

/** The phone channel's push side: replies to a caller go by email, in a new thread (no message of theirs to answer). */
export function phonePush(email: PushChannel): PushChannel {
  return {
    newExternalId: email.newExternalId,
    // A caller who gave no email address cannot be written to: src/core/reach.ts makes a call-back task instead.
    reaches: (address) => !!phoneAddressSchema.safeParse(address).data?.email,
    send: (group) => email.send(group),
  };
}
