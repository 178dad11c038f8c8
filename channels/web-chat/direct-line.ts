/** A self-hosted Direct Line 3.0 endpoint that the official clients (Web Chat, botframework-directlinejs) use unchanged. */
import type { Request, Response, Server } from 'restify';
import { randomBytes, randomUUID } from 'node:crypto';
import { RedressError } from '../../src/core/errors.ts';
import { activityFields, activityShape } from './activity-fields.ts';
import { bearer, handled, readJson, sameSecret } from '../../src/http/http.ts';
import type { Inbound } from '../../src/core/ports.ts';
import type { Logger } from '../../src/core/log.ts';
import { TOKEN_TTL_SECONDS, TokenSigner } from './tokens.ts';
import { activityPage } from './activity-page.ts';
import { mountResume, type ResumeTokens } from './resume.ts';
import type { HeavyReads } from '../../src/http/heavy-reads.ts';
import { z } from 'zod';
import type { StreamBackend } from './stream-hub.ts';
import { mountStreaming, streamUrl, type DirectLineStreaming } from './stream.ts';
import { mountUpload, type UploadLimits } from './upload.ts';

/** The channel name web chat conversations are stored under. */
export const WEB_CHAT_CHANNEL = 'webchat';

/** One stored message as Direct Line shows it. */
export interface StoredActivity {
  id: number;
  direction: 'in' | 'out';
  text: string;
  payload: Record<string, unknown>;
  created_at: Date;
}

/** What the endpoint needs from the rest of Redress (no SQL here). */
export interface DirectLineBackend {
  openConversation(conversationId: string): Promise<void>;
  conversationExists(conversationId: string): Promise<boolean>;
  /** Runs one turn; returns the stored id of the user's activity. */
  handle(inbound: Inbound): Promise<{ inboundId: number }>;
  /**
   * Activities after the watermark, only as many as start within `maxBytes` of text (at least one), and whether more
   * wait; undefined when the conversation does not exist.
   */
  activitiesAfter(
    conversationId: string,
    watermark: number,
    maxBytes: number,
  ): Promise<{ rows: StoredActivity[]; more: boolean } | undefined>;
  /** Notifications between processes, for streaming (channels/web-chat/stream-hub.ts); streams are off without. */
  live?: Omit<StreamBackend, 'activitiesAfter'>;
  /**
   * Records a bot message outside a turn (a refused upload); `text` gets the conversation's language. With `once`,
   * only the first notice with that key is recorded (a client retrying a refused upload).
   */
  notice?(conversationId: string, text: (language: string | undefined) => string, once?: string): Promise<void>;
}

/**
 * A page that fits this many bytes is served without a heavy-read slot: what an ordinary poll sees (one turn's
 * messages). Only a backlog (a client reconnecting at watermark 0 to a long chat) is read in full pages.
 */
export const LIGHT_PAGE_BYTES = 32_768;

const activitySchema = z
  .object({
    type: z.string().max(64),
    ...activityShape,
    attachments: z
      .array(
        z
          .object({
            contentType: z.string().max(255).optional(),
            name: z.string().max(255).optional(),
            contentUrl: z.string().max(2048).optional(),
          })
          .loose(),
      )
      .max(50)
      .optional(),
  })
  .loose();

const BASE = '/v3/directline';

/** Mounts the Direct Line routes on `server`. */
export function mountDirectLine(
  server: Server,
  o: {
    backend: DirectLineBackend;
    signer: TokenSigner;
    secret: string;
    maxBodyBytes: number;
    /** Largest GET …/activities answer in bytes (DIRECT_LINE_PAGE_MAX_BYTES); 256 KB when omitted. */
    pageMaxBytes?: number;
    /** Bound on full pages read at once; a poll that finds it taken gets a light page instead (never a 503). */
    heavyReads?: HeavyReads;
    /** Long-lived resume tokens (tokens/generate hands one out; tokens/resume takes it back). */
    resumes?: ResumeTokens;
    /** Streaming over WebSockets, when the backend has `live` too; polling only otherwise. */
    stream?: DirectLineStreaming;
    /** Uploads (channels/web-chat/upload.ts): POST …/upload is mounted only with them. */
    upload?: UploadLimits;
    log?: Logger;
  },
): void {
  const { backend, signer } = o;
  const route = (fn: (req: Request, res: Response) => Promise<void>) => handled(fn, o.log);
  const newConversationId = () => randomBytes(12).toString('base64url');
  const stream =
    o.stream &&
    backend.live &&
    mountStreaming(server, o.stream, { ...backend.live, ...backend }, { ...o, pageBytes: LIGHT_PAGE_BYTES });
  const conversationResponse = (conversationId: string, req?: Request, watermark?: string) => ({
    conversationId,
    token: signer.issue(conversationId),
    expires_in: TOKEN_TTL_SECONDS,
    // As the service: every answer that starts or resumes a conversation says where its stream is.
    ...(stream && req ? { streamUrl: streamUrl(req, stream, conversationId, watermark) } : {}),
  });

  /** The conversation a request may touch: the one its token is bound to (404 for others, so ids do not leak). */
  const authorised = async (req: Request, id?: string): Promise<string> => {
    const token = bearer(req);
    const bound = signer.verify(token);
    if (id !== undefined && id !== bound)
      throw new RedressError('FORBIDDEN', 'token is not valid for this conversation');
    return bound;
  };

  // A public web page has no secret: it asks for a token bound to a fresh conversation. With the secret (server to
  // server, as with Azure's Direct Line) the same call works too.
  server.post(
    `${BASE}/tokens/generate`,
    route(async (req, res) => {
      const auth = bearer(req);
      if (auth && !sameSecret(auth, o.secret)) throw new RedressError('FORBIDDEN', 'invalid Direct Line secret');
      const id = newConversationId();
      await backend.openConversation(id);
      // A web page keeps the resume token to reopen this chat days later (channels/web-chat/resume.ts).
      const resumeToken = o.resumes && (await o.resumes.issue(id));
      res.send(200, { ...conversationResponse(id, req), ...(resumeToken ? { resumeToken } : {}) });
    }),
  );
  if (o.resumes) mountResume(server, { base: BASE, tokens: o.resumes, answer: conversationResponse, log: o.log });

  server.post(
    `${BASE}/tokens/refresh`,
    route(async (req, res) => {
      const id = await authorised(req);
      res.send(200, conversationResponse(id));
    }),
  );

  server.post(
    `${BASE}/conversations`,
    route(async (req, res) => {
      const auth = bearer(req);
      let id: string;
      if (auth && sameSecret(auth, o.secret)) {
        id = newConversationId();
      } else {
        id = await authorised(req);
      }
      await backend.openConversation(id);
      res.send(201, conversationResponse(id, req));
    }),
  );

  server.get(
    `${BASE}/conversations/:id`,
    route(async (req, res) => {
      const id = await authorised(req, req.params.id);
      if (!(await backend.conversationExists(id))) throw new RedressError('NOT_FOUND', 'no such conversation');
      // A reconnection: the new stream starts after the watermark the client has (the same rule as GET activities).
      const watermark = String((req.query as Record<string, unknown>)?.watermark ?? '');
      if (watermark !== '' && !/^\d{1,16}$/.test(watermark))
        throw new RedressError('BAD_REQUEST', 'watermark must be a non-negative integer');
      res.send(200, conversationResponse(id, req, watermark));
    }),
  );

  server.post(
    `${BASE}/conversations/:id/activities`,
    route(async (req, res) => {
      const id = await authorised(req, req.params.id);
      const body = await readJson(req, o.maxBodyBytes);
      const parsed = activitySchema.safeParse(body);
      if (!parsed.success)
        throw new RedressError(
          'BAD_REQUEST',
          `not a valid activity: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`,
        );
      // The token is signed for a conversation created when it was issued, so no lookup is needed before the turn.
      const a = parsed.data;
      if (a.type !== 'message') {
        // typing, event and conversationUpdate activities carry nothing for the dialog; acknowledge them.
        res.send(200, { id: `${id}|${a.type}` });
        return;
      }
      const clientId = a.channelData?.clientActivityID ?? a.id;
      // The bot is typing while the turn runs; the stream shows the replies as soon as it is recorded.
      await stream?.hub.typing(id);
      const { inboundId } = await backend.handle({
        channel: WEB_CHAT_CHANNEL,
        conversationKey: id,
        // Without a client id a retry cannot be recognised; each such post is its own message.
        messageKey: `${id}:${clientId ?? randomUUID()}`,
        ...activityFields(a),
        payload: { clientActivityID: clientId, locale: a.locale, from: a.from },
      });
      stream?.hub.wake(id);
      res.send(200, { id: String(inboundId) });
    }),
  );

  if (o.upload)
    mountUpload(server, {
      base: BASE,
      channel: WEB_CHAT_CHANNEL,
      backend,
      authorised,
      route,
      hub: stream ? stream.hub : undefined,
      limits: o.upload,
    });

  server.get(
    `${BASE}/conversations/:id/activities`,
    route(async (req, res) => {
      const id = await authorised(req, req.params.id);
      const raw = String((req.query as Record<string, unknown>)?.watermark ?? '');
      const watermark = raw === '' ? 0 : Number(raw);
      if (!Number.isSafeInteger(watermark) || watermark < 0)
        throw new RedressError('BAD_REQUEST', 'watermark must be a non-negative integer');
      const pageMax = o.pageMaxBytes ?? 262_144;
      const light = Math.min(LIGHT_PAGE_BYTES, pageMax);
      const page = await backend.activitiesAfter(id, watermark, light);
      if (!page) throw new RedressError('NOT_FOUND', 'no such conversation');
      let answer = activityPage(id, page.rows, watermark, light);
      const oversized = Buffer.byteLength(answer.body) > light; // one activity alone larger than a light page
      if (light < pageMax && (page.more || answer.count < page.rows.length || oversized)) {
        // A backlog is read in full pages, a few at a time; the slot is held until the answer has been written out, as
        // its body is in memory until then. With every slot taken the light page is served instead: the client catches
        // up a little more slowly but is not refused (the official client stops polling at a 503). Only an activity
        // too large for a light page has to wait for a slot.
        const release = o.heavyReads ? (oversized ? o.heavyReads.acquire() : o.heavyReads.tryAcquire()) : () => {};
        if (release) {
          res.once('finish', release);
          res.once('close', release);
          const full = await backend.activitiesAfter(id, watermark, pageMax);
          if (full) answer = activityPage(id, full.rows, watermark, pageMax);
        }
      }
      res.setHeader('Content-Type', 'application/json');
      res.sendRaw(200, answer.body);
    }),
  );
}
