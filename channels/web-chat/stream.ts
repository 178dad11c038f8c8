/**
 * Direct Line streaming: `GET /v3/directline/conversations/:id/stream?watermark=&t=` upgraded to a WebSocket on
 * restify's HTTP server. Upgrades bypass restify (no `pre` handler sees them), so this guards them itself: a rate
 * per client address, a cap on sockets per process, the stream token bound to the conversation in the path, and a
 * clear HTTP refusal (JSON body as every other route's) for anything else.
 */
import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Request, Server } from 'restify';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { WebSocketServer } from 'ws';
import { isRedressError } from '../../src/core/errors.ts';
import type { Logger } from '../../src/core/log.ts';
import { clientKey } from '../../src/http/rate-limit.ts';
import { isHttps } from '../../src/http/security-headers.ts';
import { StreamHub, type StreamBackend } from './stream-hub.ts';
import { StreamTokens } from './stream-token.ts';

/** Direct Line streaming settings (WebSockets). */
export interface DirectLineStreaming {
  /** WEB_CHAT_STREAMS_MAX. */
  maxSockets: number;
  /** WEB_CHAT_STREAM_OPENS_PER_MINUTE. */
  opensPerMinute: number;
  /** TRUST_PROXY: the client address, and wss in the streamUrl behind an https proxy. */
  trustProxy: number;
  /** Milliseconds between heartbeats (15 s). */
  heartbeatMs?: number;
  /** Told about each refused flood of stream opens (metrics). */
  onLimited?: () => void;
}

/** Milliseconds between a stream's heartbeats: an empty message, a ping, and a read of anything missed. */
export const STREAM_HEARTBEAT_MS = 15_000;

const PATH = /^\/v3\/directline\/conversations\/([\w-]{1,128})\/stream$/;

/** How the upgrade guard is set up. */
export interface StreamOptions {
  hub: StreamHub;
  tokens: StreamTokens;
  /** Sockets one client address may open per minute (WEB_CHAT_STREAM_OPENS_PER_MINUTE); 0: no limit. */
  opensPerMinute: number;
  /** Reverse proxies in front (TRUST_PROXY), for the client address and the scheme of the streamUrl. */
  trustProxy: number;
  /** Told about each refused flood (metrics). */
  onLimited?: () => void;
  log?: Logger;
}

/** The streamUrl of conversation `id` as a client that sent `req` reaches this server (wss behind https). */
export function streamUrl(
  req: Request,
  o: { tokens: StreamTokens; trustProxy: number },
  id: string,
  watermark = '',
): string {
  const scheme = isHttps(req, o.trustProxy) ? 'wss' : 'ws';
  const host = String(req.headers.host ?? 'localhost');
  const query = new URLSearchParams({ watermark, t: o.tokens.issue(id) });
  return `${scheme}://${host}/v3/directline/conversations/${encodeURIComponent(id)}/stream?${query}`;
}

/** Writes an HTTP refusal on a socket that asked to upgrade, and closes it. */
function refuse(socket: Duplex, status: number, code: string, message: string, headers: string[] = []): void {
  const body = JSON.stringify({ error: { code, message } });
  socket.end(
    [
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
      'Content-Type: application/json',
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Cache-Control: no-store',
      'X-Content-Type-Options: nosniff',
      'Connection: close',
      ...headers,
      '',
      body,
    ].join('\r\n'),
  );
}

/** Takes the HTTP server's upgrade requests: the stream path becomes a socket in `o.hub`; anything else is refused. */
export function mountStream(server: Server, o: StreamOptions): void {
  // The client never needs to send anything but its empty keep-alives: a frame of a few bytes is plenty.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 256, perMessageDeflate: false });
  const opens =
    o.opensPerMinute > 0
      ? new RateLimiterMemory({ keyPrefix: 'stream-open', points: o.opensPerMinute, duration: 60 })
      : undefined;

  server.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    void (async () => {
      const address = clientKey(req as Request, o.trustProxy);
      // Counted first, whatever the request: refused upgrades cost a flooder its budget too.
      if (opens) await opens.consume(address);
      const url = URL.canParse(req.url ?? '/', 'http://localhost') ? new URL(req.url ?? '/', 'http://localhost') : null;
      if (!url) return refuse(socket, 400, 'BAD_REQUEST', 'malformed request target');
      const path = PATH.exec(url.pathname);
      if (!path) return refuse(socket, 404, 'NOT_FOUND', 'no such resource: only a Direct Line stream upgrades');
      if (req.method !== 'GET') return refuse(socket, 405, 'METHOD_NOT_ALLOWED', 'a stream is opened with GET');
      if (String(req.headers.upgrade ?? '').toLowerCase() !== 'websocket')
        return refuse(socket, 400, 'BAD_REQUEST', 'a Direct Line stream upgrades to websocket only');
      const id = decodeURIComponent(path[1]);
      let bound: string;
      try {
        bound = o.tokens.verify(url.searchParams.get('t') ?? undefined);
      } catch (e) {
        if (!isRedressError(e)) throw e;
        return refuse(socket, e.status, e.code, e.message);
      }
      if (bound !== id) return refuse(socket, 403, 'FORBIDDEN', 'token is not valid for this conversation');
      const raw = url.searchParams.get('watermark') ?? '';
      const watermark = raw === '' ? 0 : Number(raw);
      if (!Number.isSafeInteger(watermark) || watermark < 0)
        return refuse(socket, 400, 'BAD_REQUEST', 'watermark must be a non-negative integer');
      if (o.hub.full())
        return refuse(socket, 503, 'SERVER_BUSY', 'too many open chats on this server; try again shortly', [
          'Retry-After: 5',
        ]);
      // ws answers a malformed handshake (no Sec-WebSocket-Key, a wrong version) with 400 itself.
      wss.handleUpgrade(req, socket, head, (ws) => o.hub.attach(id, ws, watermark));
    })().catch((e: unknown) => {
      if (e instanceof RateLimiterRes) {
        o.onLimited?.();
        const seconds = Math.max(1, Math.ceil(e.msBeforeNext / 1000));
        return refuse(socket, 429, 'RATE_LIMITED', `too many streams opened; retry after ${seconds} s`, [
          `Retry-After: ${seconds}`,
        ]);
      }
      o.log?.error({ err: (e as Error)?.stack ?? e }, 'stream upgrade failed');
      refuse(socket, 500, 'INTERNAL', 'internal error');
    });
  });
}

/** Builds the stream hub and its tokens and takes the server's upgrades; the sockets close before the server does. */
export function mountStreaming(
  server: Server,
  s: DirectLineStreaming,
  backend: StreamBackend,
  o: { secret: string; pageBytes: number; log?: Logger },
) {
  const hub = new StreamHub({
    backend,
    maxSockets: s.maxSockets,
    heartbeatMs: s.heartbeatMs ?? STREAM_HEARTBEAT_MS,
    pageBytes: o.pageBytes,
    log: o.log,
  });
  const tokens = new StreamTokens(o.secret);
  mountStream(server, {
    hub,
    tokens,
    opensPerMinute: s.opensPerMinute,
    trustProxy: s.trustProxy,
    onLimited: s.onLimited,
    log: o.log,
  });
  // http.Server.close waits for every connection, upgraded ones included: the sockets are closed first (the clients
  // reconnect, elsewhere), then the server, which restify's close and the process's stop wait for.
  const http = server.server;
  const close = http.close.bind(http);
  http.close = (cb?: (err?: Error) => void) => {
    void hub.close().finally(() => close(cb));
    return http;
  };
  return { hub, tokens, trustProxy: s.trustProxy };
}
