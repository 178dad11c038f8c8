/**
 * A bound on requests in flight in one process. Past it a request is answered at once with 503 SERVER_BUSY and
 * Retry-After, before any body is read, so a traffic spike costs a refusal each instead of memory: every request
 * waiting for a database connection holds its parsed body and handler state, and `npm run serve` caps the V8 heap.
 */
import type { RequestHandler } from 'restify';

/** Options for {@link inFlightLimit}. */
export interface InFlightOptions {
  /** Requests one process works on at once; 0 means no bound. */
  max: number;
  /** Told about each refused request (metrics). */
  onShed?: () => void;
}

// The load balancer's health check and the metrics scrape must still reach a busy process: it is healthy, just full,
// and the scrape is how anyone sees that it is.
const EXEMPT = new Set(['/healthz', '/livez', '/readyz', '/metrics']);

/** A restify `pre` handler counting requests until their response is finished or the client goes away. */
export function inFlightLimit(o: InFlightOptions): RequestHandler & { readonly inFlight: number } {
  let inFlight = 0;
  const handler = function shed(req, res, next) {
    if (o.max <= 0 || EXEMPT.has(String(req.url ?? '').split('?')[0])) return next();
    if (inFlight >= o.max) {
      o.onShed?.();
      res.setHeader('Retry-After', '1');
      res.send(503, { error: { code: 'SERVER_BUSY', message: 'the server is busy; try again in a moment' } });
      return next(false);
    }
    inFlight++;
    let done = false;
    // 'close' also fires after 'finish' on Node 20; the flag makes each request count down once.
    const release = () => {
      if (!done) {
        done = true;
        inFlight--;
      }
    };
    res.once('finish', release);
    res.once('close', release);
    return next();
  } as RequestHandler & { readonly inFlight: number };
  Object.defineProperty(handler, 'inFlight', { get: () => inFlight });
  return handler;
}
