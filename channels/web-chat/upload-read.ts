/**
 * Reads a Direct Line upload (multipart/form-data: `file` parts and an optional `activity` part) with busboy, counting
 * bytes as they arrive: an upload over the limit is refused as soon as it passes it, and a file whose first bytes are
 * not of an accepted type as soon as they are read, so neither is ever held whole.
 */
import type { Request } from 'restify';
import busboy from 'busboy';
import { RedressError } from '../../src/core/errors.ts';
import type { SniffableType } from '../../src/core/config-web-chat-upload.ts';
import { SNIFF_BYTES, sniffType } from './sniff.ts';

/** Room beyond the files' limit for the activity part and the parts' headers. */
export const UPLOAD_OVERHEAD_BYTES = 65_536;
/** Most files one upload may carry. */
export const UPLOAD_MAX_FILES = 10;

/** One accepted file: its name as sent, the type it declared, the type its content is, and its bytes. */
export interface UploadedFile {
  name: string;
  declaredType: string;
  type: SniffableType;
  bytes: Buffer;
}

/** An error that the customer should hear about in the chat (as opposed to a client's protocol mistake). */
export function customerRefusal(e: unknown): 'too_large' | 'wrong_type' | undefined {
  return e instanceof RedressError
    ? (e.details as { refusal?: 'too_large' | 'wrong_type' } | undefined)?.refusal
    : undefined;
}

/**
 * The upload's files and its activity part's text (unparsed), or a coded error (413, 415, 400). `onActivity` is given
 * the activity part as soon as it has been read, so a refusal found after it (Web Chat sends it first) knows it too.
 */
export function readUpload(
  req: Request,
  o: { maxBytes: number; types: readonly SniffableType[]; onActivity?: (activity: string) => void },
): Promise<{ files: UploadedFile[]; activity?: string }> {
  const max = o.maxBytes + UPLOAD_OVERHEAD_BYTES;
  const tooLarge = () =>
    new RedressError('PAYLOAD_TOO_LARGE', `the upload is over the ${o.maxBytes}-byte limit`, {
      details: { refusal: 'too_large' },
    });
  const type = String(req.headers['content-type'] ?? '');
  if (!/^multipart\/form-data/i.test(type))
    return Promise.reject(new RedressError('UNSUPPORTED_MEDIA_TYPE', 'an upload is multipart/form-data'));
  // A declared length over the limit is refused before anything is read.
  if (Number(req.headers['content-length'] ?? 0) > max) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const files: UploadedFile[] = [];
    let activity: string | undefined;
    // The activity part's bytes so far: its 'end' may come after a later part has already been refused.
    let activityChunks: Buffer[] | undefined;
    let settled = false;
    let body = 0;
    let fileBytes = 0;
    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        limits: {
          files: UPLOAD_MAX_FILES + 1,
          fields: 5,
          parts: UPLOAD_MAX_FILES + 6,
          fieldSize: UPLOAD_OVERHEAD_BYTES,
        },
      });
    } catch (e) {
      reject(new RedressError('BAD_REQUEST', `malformed multipart body: ${(e as Error).message}`, { cause: e }));
      return;
    }
    // Refused at once, without reading on: the error response closes the connection (src/http/http.ts closeIfUnread).
    const fail = (e: RedressError) => {
      if (settled) return;
      settled = true;
      if (activity === undefined && activityChunks) o.onActivity?.(Buffer.concat(activityChunks).toString('utf8'));
      req.unpipe(bb);
      req.removeListener('data', count);
      req.pause();
      reject(e);
    };
    // The whole body counts, not only the files: parts busboy drops are read too.
    const count = (c: Buffer) => {
      body += c.length;
      if (body > max) fail(tooLarge());
    };
    bb.on('field', (name, value, info) => {
      if (name !== 'activity') return;
      if (info.valueTruncated) return fail(new RedressError('BAD_REQUEST', 'the activity part is too large'));
      activity = value;
      o.onActivity?.(value);
    });
    bb.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      if (name === 'activity') activityChunks = chunks;
      let size = 0;
      let sniffed: SniffableType | undefined;
      const check = (head: Buffer) => {
        sniffed = sniffType(head);
        if (!sniffed || !o.types.includes(sniffed))
          fail(
            new RedressError(
              'UNSUPPORTED_MEDIA_TYPE',
              `"${info.filename ?? 'file'}" is not one of ${o.types.join(', ')}`,
              {
                details: { refusal: 'wrong_type' },
              },
            ),
          );
      };
      stream.on('data', (c: Buffer) => {
        if (settled) return;
        size += c.length;
        // Web Chat sends the activity as a file part (a Blob): it is JSON, kept apart and bounded like a field.
        if (name === 'activity') {
          if (size > UPLOAD_OVERHEAD_BYTES)
            return fail(new RedressError('BAD_REQUEST', 'the activity part is too large'));
          chunks.push(c);
          return;
        }
        fileBytes += c.length;
        if (fileBytes > o.maxBytes) return fail(tooLarge());
        chunks.push(c);
        if (!sniffed && size >= SNIFF_BYTES) check(Buffer.concat(chunks));
      });
      stream.on('end', () => {
        if (settled) return;
        if (name === 'activity') {
          activity = Buffer.concat(chunks).toString('utf8');
          o.onActivity?.(activity);
          return;
        }
        const bytes = Buffer.concat(chunks);
        if (!sniffed) check(bytes);
        if (settled || !sniffed) return;
        if (files.length >= UPLOAD_MAX_FILES)
          return fail(new RedressError('BAD_REQUEST', `an upload carries at most ${UPLOAD_MAX_FILES} files`));
        // A name is shown to staff and offered as the download's name: no folders, no control characters.
        const base = (info.filename ?? '').slice(0, 1024).split(/[\\/]/).pop() ?? '';
        const clean = [...base].filter((ch) => ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) !== 0x7f).join('');
        files.push({
          name: clean.slice(0, 255) || 'attachment',
          declaredType: info.mimeType.slice(0, 255),
          type: sniffed,
          bytes,
        });
      });
    });
    // Past busboy's own bounds a part would be dropped unseen: refused instead, so nothing is half-kept.
    const tooMany = () => fail(new RedressError('BAD_REQUEST', `an upload carries at most ${UPLOAD_MAX_FILES} files`));
    bb.on('filesLimit', tooMany);
    bb.on('partsLimit', tooMany);
    bb.on('fieldsLimit', tooMany);
    bb.on('error', (e) =>
      fail(new RedressError('BAD_REQUEST', `malformed multipart body: ${(e as Error).message}`, { cause: e })),
    );
    bb.on('close', () => {
      if (settled) return;
      settled = true;
      if (!files.length) return reject(new RedressError('BAD_REQUEST', 'the upload has no file part'));
      resolve({ files, activity });
    });
    req.on('data', count);
    req.pipe(bb);
  });
}
