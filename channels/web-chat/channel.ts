/** The web chat channel: the chat page and the Direct Line API its Web Chat client polls (a pull channel: no push). */
import { z } from 'zod';
import type { Channel } from '../../src/core/channel.ts';
import { mountDirectLine, WEB_CHAT_CHANNEL } from './direct-line.ts';
import { mountPage } from './page.ts';
import { TokenSigner } from './tokens.ts';

/** Web chat keeps nothing to reach a conversation: the page polls for what was sent meanwhile. */
export const webChatAddressSchema = z.object({}).loose();

/** The web chat channel over `backend`, the port Direct Line declares (conversations and their activities). */
export function webChatChannel(
  o: Omit<Parameters<typeof mountDirectLine>[1], 'signer'> & { /** Signs Direct Line tokens. */ secret: string },
): Channel {
  return {
    name: WEB_CHAT_CHANNEL,
    addressSchema: webChatAddressSchema,
    mount(server) {
      mountDirectLine(server, { ...o, signer: new TokenSigner(o.secret) });
      mountPage(server);
    },
  };
}
