/**
 * A customer's file, for staff only: GET /api/attachments/:id (Authorization: Bearer ADMIN_TOKEN) and
 * GET /dashboard/attachments/:id (the dashboard's sign-in; under /dashboard so its session cookie goes with the link).
 * Always a download (Content-Disposition: attachment, nosniff, a sandboxing CSP): a file a customer sent is never
 * rendered in the staff's browser as a page of ours.
 */
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import { RedressError } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import { sendError } from '../http/http.ts';
import { attachmentForDownload } from '../store/attachments.ts';
import type { Db } from '../store/db.ts';
import { maySee, viewerOf } from './auth/scope.ts';

/** The id in an attachment's path. */
export const attachmentIdSchema = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** `name` as a Content-Disposition filename: an ASCII fallback and the UTF-8 name (RFC 6266). */
function disposition(name: string): string {
  const ascii = [...name].map((c) => (c >= ' ' && c <= '~' && c !== '"' && c !== '\\' ? c : '_')).join('');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** Sends attachment `req.params.id` when `may(departments)` allows it; 404 for a missing, refused or hidden one. */
async function send(db: Db, req: Request, res: Response, may: (departments: string[]) => boolean): Promise<void> {
  const id = attachmentIdSchema.safeParse(req.params.id);
  if (!id.success) throw new RedressError('BAD_REQUEST', 'an attachment id is a positive integer');
  const a = await attachmentForDownload(db, id.data);
  // A refused file was never kept; a department manager does not learn of another department's files.
  if (!a || !a.content || !may(a.departments)) throw new RedressError('NOT_FOUND', 'no such attachment');
  res.setHeader('Content-Type', a.content_type);
  res.setHeader('Content-Disposition', disposition(a.name));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
  res.setHeader('Cache-Control', 'private, no-store');
  // PGlite gives a Uint8Array where pg gives a Buffer.
  res.sendRaw(200, Buffer.from(a.content.buffer, a.content.byteOffset, a.content.byteLength));
}

/** Mounts GET /api/attachments/:id behind the staff API's `guarded` (the ADMIN_TOKEN check). */
export function mountAttachmentApi(
  server: Server,
  guarded: (fn: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response) => Promise<void>,
  o: { db: Db },
): void {
  server.get(
    '/api/attachments/:id',
    guarded((req, res) => send(o.db, req, res, () => true)),
  );
}

/** Mounts GET /dashboard/attachments/:id for managers signed in to the dashboard (a department's: its tickets' files). */
export function mountDashboardAttachments(
  server: Server,
  o: { db: Db; authorised: (req: Request) => boolean; deny: (req: Request, res: Response) => void; log?: Logger },
): void {
  server.get('/dashboard/attachments/:id', async (req: Request, res: Response) => {
    try {
      if (!o.authorised(req)) return o.deny(req, res);
      // A file sent before any ticket opened is for managers of every department only.
      const all = viewerOf(req)?.departments === null;
      await send(o.db, req, res, (departments) => all || departments.some((d) => maySee(req, d)));
    } catch (e) {
      sendError(res, e, o.log);
    }
  });
}
