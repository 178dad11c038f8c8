/**
 * The web chat channel: the chat page and the Direct Line API its Web Chat client reads, streamed over a WebSocket
 * (Direct Line streaming, stream.ts) or polled (GET activities, for clients without streaming). A pull channel: no
 * push, the client fetches what was sent.
 */
import { z } from 'zod';
import type { Channel } from '../../src/core/channel.ts';
import { mountDirectLine, WEB_CHAT_CHANNEL, type DirectLineBackend } from './direct-line.ts';
import { mountPage } from './page.ts';
import { ResumeTokens, type ResumeBackend } from './resume.ts';
import { TokenSigner } from './tokens.ts';

/** Web chat keeps nothing to reach a conversation: the page reads what was sent meanwhile when it reconnects. */
export const webChatAddressSchema = z.object({}).loose();

/** The web chat channel over `backend`, the port Direct Line declares (conversations, activities, resume tokens). */
export function webChatChannel(
  o: Omit<Parameters<typeof mountDirectLine>[1], 'signer' | 'resumes' | 'backend'> & {
    backend: DirectLineBackend & ResumeBackend;
    /** Signs Direct Line tokens. */
    secret: string;
    /** Days a resume token lives unused (WEB_CHAT_RESUME_DAYS). */
    resumeDays: number;
    /** Sites that may frame the chat page, the /embed.js widget's (WEB_CHAT_EMBED_ORIGINS). */
    embedOrigins?: readonly string[];
    clock: () => Date;
  },
): Channel {
  return {
    name: WEB_CHAT_CHANNEL,
    addressSchema: webChatAddressSchema,
    mount(server) {
      const resumes = new ResumeTokens({ backend: o.backend, days: o.resumeDays, clock: o.clock });
      mountDirectLine(server, { ...o, signer: new TokenSigner(o.secret), resumes });
      mountPage(server, { embedOrigins: o.embedOrigins });
    },
  };
}
