/** The configuration variables of web chat streaming (Direct Line WebSockets, channels/web-chat/stream*.ts). */
import { z } from 'zod';

/** WEB_CHAT_STREAMS_MAX and WEB_CHAT_STREAM_OPENS_PER_MINUTE with their schemas and sentences. */
export const webChatStreamVariables = {
  WEB_CHAT_STREAMS_MAX: [
    z.coerce.number().int().min(1).max(100_000).default(2000),
    'Direct Line WebSockets (open web chats) one process holds at once; past it a new one is refused with 503 and Retry-After before the upgrade, and the client tries again a few seconds later.',
  ],
  WEB_CHAT_STREAM_OPENS_PER_MINUTE: [
    z.coerce.number().int().min(0).max(100_000).default(120),
    'Direct Line WebSockets one client address may open per minute (0: no limit); more get 429 with Retry-After before the upgrade. Web Chat opens one per page and one per reconnection (at least 3 s apart). Counted per process, by the address TRUST_PROXY designates.',
  ],
} as const;
