/** POST /api/transcripts: a call transcript in, a routed ticket out (201), the same ticket again for the same call (200). */
import type { Request, Response, Server } from 'restify';
import busboy from 'busboy';
import { RedressError } from '../../src/core/errors.ts';
import { bearer, checkDeclaredSize, readBody, sameSecret, sendError } from '../../src/http/http.ts';
import type { Inbound } from '../../src/core/ports.ts';
import type { Logger } from '../../src/core/log.ts';
import type { HeavyReads } from '../../src/http/heavy-reads.ts';
import { callToInbound, PHONE_CHANNEL } from './intake.ts';

export { PHONE_CHANNEL };

/** What the endpoint needs from the rest of Redress. */
export interface TranscriptBackend {
  handle(m: Inbound): Promise<{ duplicate: boolean; ticketReference?: string }>;
  ticket(reference: string): Promise<unknown>;
}

/** Mounts POST /api/transcripts, guarded by API_TOKEN (a systems token, not the staff one). */
export function mountTranscriptApi(
  server: Server,
  o: {
    apiToken?: string;
    maxBytes: number;
    /** TRANSCRIPT_MAX_LINES; 5000 when omitted. */
    maxLines?: number;
    /** Bound on uploads read and parsed at once (503 SERVER_BUSY past it, before the body is read). */
    heavyReads?: HeavyReads;
    backend: TranscriptBackend;
    clock: () => Date;
    log?: Logger;
  },
): void {
  server.post('/api/transcripts', async (req: Request, res: Response) => {
    try {
      if (!sameSecret(bearer(req), o.apiToken))
        throw new RedressError('UNAUTHORIZED', 'transcript uploads need Authorization: Bearer <API_TOKEN>');
      o.heavyReads?.holdFor(res);
      const upload = await readUpload(req, o.maxBytes);
      const { inbound, lines } = callToInbound(upload.bytes, upload.contentType, upload.fields, o.clock(), o.maxLines);
      const result = await o.backend.handle(inbound);
      if (!result.ticketReference) {
        res.send(200, { ticket: null, reason: 'no complaint was found in this call, so no ticket was opened', lines });
        return;
      }
      res.send(result.duplicate ? 200 : 201, await o.backend.ticket(result.ticketReference));
    } catch (e) {
      sendError(res, e, o.log);
    }
  });
}

/** The transcript and its fields: multipart/form-data (field `file`) or the raw body with query-string fields. */
async function readUpload(
  req: Request,
  max: number,
): Promise<{ bytes: Buffer; contentType: string; fields: Record<string, string> }> {
  checkDeclaredSize(req, max);
  const type = String(req.headers['content-type'] ?? '');
  if (/^multipart\/form-data/i.test(type)) {
    return new Promise((resolve, reject) => {
      const fields: Record<string, string> = {};
      let file: { bytes: Buffer; contentType: string } | undefined;
      let settled = false;
      let size = 0;
      const bb = busboy({ headers: req.headers, limits: { fileSize: max, files: 1, fields: 20, fieldSize: 10_000 } });
      // Refused at once, without reading on: busboy's own limits cut a part but parse (read) the rest of the body, and
      // a chunked body has no Content-Length to refuse it by. The error response closes the connection.
      const fail = (e: RedressError) => {
        if (settled) return;
        settled = true;
        req.unpipe(bb);
        req.removeListener('data', count);
        req.pause();
        reject(e);
      };
      const tooLarge = () => fail(new RedressError('PAYLOAD_TOO_LARGE', `the upload is over the ${max}-byte limit`));
      // The whole body counts, not only the file: parts busboy drops (a second file, an epilogue) are read too.
      const count = (c: Buffer) => {
        size += c.length;
        if (size > max) tooLarge();
      };
      bb.on('field', (name, value) => (fields[name] = value));
      bb.on('file', (name, stream, info) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('limit', tooLarge);
        stream.on('end', () => {
          if (name === 'file') file = { bytes: Buffer.concat(chunks), contentType: info.mimeType };
        });
      });
      bb.on('error', (e) =>
        fail(new RedressError('BAD_REQUEST', `malformed multipart body: ${(e as Error).message}`, { cause: e })),
      );
      bb.on('close', () => {
        if (settled) return;
        settled = true;
        if (!file) return reject(new RedressError('BAD_REQUEST', 'multipart upload has no field "file"'));
        resolve({ ...file, fields });
      });
      req.on('data', count);
      req.pipe(bb);
    });
  }
  const bytes = await readBody(req, max);
  const query = (req.query ?? {}) as Record<string, unknown>;
  const fields = Object.fromEntries(Object.entries(query).filter(([, v]) => typeof v === 'string')) as Record<
    string,
    string
  >;
  return { bytes, contentType: type, fields };
}
