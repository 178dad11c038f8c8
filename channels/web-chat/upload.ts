/**
 * POST /v3/directline/conversations/:id/upload?userId= (Direct Line 3.0): Web Chat's upload button. The files and the
 * activity that carries them become one Inbound message with its attachments, handled as a typed message is (one
 * turn, idempotent on the activity's client id). A refused upload (413 too large, 415 not an accepted type) is also
 * told to the customer by a bot message in the chat, in the conversation's language.
 */
import type { Request, Response, Server } from 'restify';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { RedressError } from '../../src/core/errors.ts';
import type { SniffableType } from '../../src/core/config-web-chat-upload.ts';
import type { Inbound } from '../../src/core/ports.ts';
import type { HeavyReads } from '../../src/http/heavy-reads.ts';
import { fromAcceptLanguage } from '../../src/staff/dashboard-i18n.ts';
import { customerRefusal, readUpload } from './upload-read.ts';
import { refusalText, type UploadRefusal } from './upload-text.ts';
import { activityShape, timeZoneOf } from './activity-fields.ts';

/** What uploads accept (WEB_CHAT_UPLOAD_MAX_BYTES, WEB_CHAT_UPLOAD_TYPES), and a bound on uploads read at once. */
export interface UploadLimits {
  maxBytes: number;
  types: readonly SniffableType[];
  /** Uploads held in memory at once (503 SERVER_BUSY past it, before the body is read). */
  busy?: HeavyReads;
}

/** What the upload route needs from Direct Line (channels/web-chat/direct-line.ts hands its own parts in). */
export interface UploadRoute {
  base: string;
  channel: string;
  backend: {
    handle(inbound: Inbound): Promise<{ inboundId: number }>;
    /**
     * Records a bot message in the conversation outside a turn; `text` gets its language (undefined before a turn).
     * With `once`, only the first notice with that key is recorded (a retried refusal).
     */
    notice?(conversationId: string, text: (language: string | undefined) => string, once?: string): Promise<void>;
  };
  /** The conversation the request's token is bound to (throws unless it is `id`). */
  authorised(req: Request, id: string): Promise<string>;
  route(fn: (req: Request, res: Response) => Promise<void>): (req: Request, res: Response) => Promise<void>;
  hub?: { typing(id: string): Promise<void>; wake(id: string): void };
}

// The message activity Web Chat sends beside the files (its attachments' names and types are the files').
const uploadActivitySchema = z
  .object({
    type: z.string().max(64).default('message'),
    ...activityShape,
  })
  .loose();

/** The activity part, parsed (an empty activity when the upload has none); 400 when it is not an activity. */
function activityOf(raw: string | undefined) {
  let json: unknown = {};
  try {
    if (raw !== undefined) json = JSON.parse(raw);
  } catch (e) {
    throw new RedressError('BAD_REQUEST', `the activity part is not JSON: ${(e as Error).message}`, { cause: e });
  }
  const parsed = uploadActivitySchema.safeParse(json);
  if (!parsed.success)
    throw new RedressError(
      'BAD_REQUEST',
      `not a valid activity: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'activity'}: ${i.message}`).join('; ')}`,
    );
  if (parsed.data.type !== 'message') throw new RedressError('BAD_REQUEST', 'an upload carries a message activity');
  return parsed.data;
}

/** The client id of a refused upload's activity part, when it has one (anything malformed: none). */
function refusedClientId(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  try {
    const a = activityOf(raw);
    return a.channelData?.clientActivityID ?? a.id;
  } catch {
    return undefined;
  }
}

/** Mounts the upload route. */
export function mountUpload(server: Server, o: UploadRoute & { limits: UploadLimits }): void {
  const { backend, limits } = o;
  server.post(
    `${o.base}/conversations/:id/upload`,
    o.route(async (req, res) => {
      const id = await o.authorised(req, String(req.params.id));
      limits.busy?.holdFor(res);
      let upload: Awaited<ReturnType<typeof readUpload>>;
      let activity: string | undefined;
      try {
        upload = await readUpload(req, { ...limits, onActivity: (a) => (activity = a) });
      } catch (e) {
        const kind = customerRefusal(e);
        if (kind && backend.notice) {
          const refusal: UploadRefusal =
            kind === 'too_large' ? { kind, maxBytes: limits.maxBytes } : { kind, accepted: limits.types };
          // Before the first turn the conversation has no language yet: the browser's is used.
          const browser = fromAcceptLanguage(req.headers['accept-language']);
          // A client retrying the refused activity (the same client id, as a turn's retry) is not told again. Without
          // an activity read before the refusal (one refused by its declared length is not read at all) each refusal
          // is told: there is nothing to recognise it by.
          const clientId = refusedClientId(activity);
          const once = clientId === undefined ? undefined : `refused:${id}:${clientId}`;
          await backend.notice(id, (language) => refusalText(refusal, language ?? browser), once);
          o.hub?.wake(id);
        }
        throw e;
      }
      const a = activityOf(upload.activity);
      const clientId = a.channelData?.clientActivityID ?? a.id;
      const userId = (req.query as Record<string, unknown> | undefined)?.userId;
      await o.hub?.typing(id);
      const { inboundId } = await backend.handle({
        channel: o.channel,
        conversationKey: id,
        // Without a client id a retry cannot be recognised; each such post is its own message.
        messageKey: `${id}:${clientId ?? randomUUID()}`,
        text: a.text ?? '',
        ...timeZoneOf(a),
        sender: { id: a.from?.id ?? (typeof userId === 'string' ? userId.slice(0, 256) : 'user'), name: a.from?.name },
        // The type stored is the one the content proved, not the one declared.
        attachments: upload.files.map((f) => ({
          name: f.name,
          contentType: f.type,
          size: f.bytes.length,
          content: f.bytes,
        })),
        payload: {
          clientActivityID: clientId,
          locale: a.locale,
          from: a.from,
          declaredTypes: upload.files.map((f) => f.declaredType),
        },
      });
      o.hub?.wake(id);
      res.send(200, { id: String(inboundId) });
    }),
  );
}
