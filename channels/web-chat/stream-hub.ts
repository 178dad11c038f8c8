/**
 * The Direct Line streams this process holds: one WebSocket per conversation, fed from the messages table by
 * watermark. Whatever wakes a stream (a NOTIFY from any process, a turn handled here, the heartbeat) makes it read
 * what is new after the last activity it sent, so a missed wake-up delays an activity but never loses or repeats one.
 */
import { randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { Logger } from '../../src/core/log.ts';
import { activityPage } from './activity-page.ts';
import { PeerSockets } from './stream-peers.ts';
import type { DirectLineBackend } from './direct-line.ts';

/** What the streams need from storage (no SQL here): pages by watermark, and notifications between processes. */
export interface StreamBackend {
  activitiesAfter: DirectLineBackend['activitiesAfter'];
  /** The stored id of conversation `key` (NOTIFY payloads carry it), undefined when there is none. */
  conversationNumber(key: string): Promise<number | undefined>;
  /** Tells the other processes the bot is typing in conversation `key`. */
  notifyTyping(key: string): Promise<void>;
  /** Tells the other processes' hubs `text` (see {@link StreamHub} on collisions between processes). */
  notifyStreams(text: string): Promise<void>;
  /** Listens for conversations gaining messages, typing and hub messages, from every process; returns the stop. */
  listen(h: {
    messages(conversationNumber: number): void;
    typing(key: string): void;
    streams(text: string): void;
    ready(): void;
  }): Promise<() => Promise<void>>;
}

/** The close code and reason of a second socket for a conversation that has one (the service's reason: collision). */
export const COLLISION = { code: 1008, reason: 'collision' } as const;

/** One socket's state. */
interface Held {
  key: string;
  ws: WebSocket;
  /** The last activity sent (the watermark of the last set). */
  watermark: number;
  number?: number;
  reading: boolean;
  again: boolean;
  /** A pong came since the last ping. */
  alive: boolean;
  /** When it was taken (ms), which of two sockets on two processes is the older. */
  openedAt: number;
  /** Its `open` was told to the other processes (so its end is told too). */
  announced?: boolean;
}

// A client that reads nothing must not make the process hold its backlog: past this much unsent, it is dropped (it
// reconnects from its watermark and gets the rest then).
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** The sockets of this process, by conversation. */
export class StreamHub {
  private readonly held = new Map<string, Held>();
  private readonly byNumber = new Map<number, Held>();
  private heartbeat?: NodeJS.Timeout;
  private listening?: Promise<(() => Promise<void>) | undefined>;
  private readonly hubId = randomBytes(4).toString('hex');
  private typingCount = 0;
  private closing = false;
  /** The sockets other processes hold: typing is told across processes only for these (see {@link typing}). */
  readonly peers = new PeerSockets(this.hubId, (text) => this.o.backend.notifyStreams(text));
  /** The listener has been ready at least once: a write's COMMIT reaches this hub as a notification. */
  private heard = false;

  constructor(
    private readonly o: {
      backend: StreamBackend;
      /** Sockets held at once (WEB_CHAT_STREAMS_MAX). */
      maxSockets: number;
      /** Milliseconds between heartbeats: an empty message, a ping, and a read of anything a wake-up missed. */
      heartbeatMs: number;
      /** Bytes of activities per set pushed. */
      pageBytes: number;
      log?: Logger;
    },
  ) {}

  /** Sockets held now. */
  get size(): number {
    return this.held.size;
  }

  /** True when no socket more may be taken. */
  full(): boolean {
    return this.held.size >= this.o.maxSockets;
  }

  /**
   * Takes an upgraded socket for conversation `key` and sends it what came after `watermark`, then everything new.
   * A conversation has one socket: another one is closed at once as a collision, as Direct Line does.
   */
  attach(key: string, ws: WebSocket, watermark: number): void {
    ws.on('error', () => undefined);
    // Stopping: the HTTP server closes once the sockets have, so none may be taken now.
    if (this.closing) return ws.close(1001, 'server going away');
    if (this.held.has(key)) {
      ws.close(COLLISION.code, COLLISION.reason);
      return;
    }
    const h: Held = { key, ws, watermark, reading: false, again: false, alive: true, openedAt: Date.now() };
    this.held.set(key, h);
    this.startHeartbeat();
    // The client sends an empty message every 20 s to notice a dead connection (botframework-directlinejs); anything
    // else is no part of the protocol.
    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data.byteLength;
      if (size > 0) ws.close(1008, 'this stream takes no messages');
    });
    ws.on('pong', () => (h.alive = true));
    ws.on('close', () => this.drop(h));
    // Listening starts with the first socket; until it is ready (its `ready` re-reads every socket) nothing is lost.
    void this.listen();
    void (async () => {
      h.number = await this.o.backend.conversationNumber(key);
      if (this.held.get(key) !== h) return;
      if (h.number === undefined) return ws.close(1008, 'no such conversation');
      this.byNumber.set(h.number, h);
      this.pump(h);
      // A process holding an older socket for this conversation answers with a collision (see onStreams): the answer
      // is heard only once this process listens. The others also keep the open in their lists (typing).
      await this.listen();
      if (this.held.get(key) !== h) return;
      h.announced = true;
      await this.o.backend.notifyStreams(`open ${key} ${this.hubId} ${h.openedAt}`).catch(() => undefined);
    })().catch((e: unknown) => {
      this.o.log?.warn({ err: (e as Error)?.message }, 'a web chat stream could not start; the client will reconnect');
      ws.terminate();
    });
  }

  /**
   * This process has just written messages of `key` (a turn, a notice). Each such write notifies at COMMIT, which
   * this hub hears as any other's and reads on: reading here too read every turn twice. So this reads only when the
   * hub has never listened; a notification lost with a dropped connection is made up by the re-read on reconnecting
   * (`ready`) and by the heartbeat's, so nothing is lost, at worst a little later.
   */
  wake(key: string): void {
    if (this.heard) return;
    const h = this.held.get(key);
    if (h && h.number !== undefined) this.pump(h);
  }

  /**
   * Shows the bot typing in conversation `key`: over its socket when held here, else told to the other processes
   * only when one of them announced a socket for it (stream-peers.ts: why that list can be trusted; until it is
   * learnt, every typing is told). So a polling client's turns cost no NOTIFY. One sent stays awaited: committed after
   * the turn's messages, it would show the bot typing after its replies. Typing is never stored (as Direct Line).
   */
  async typing(key: string): Promise<void> {
    if (this.sendTyping(key) || (this.peers.trusted && !this.peers.holds(key))) return;
    if (!this.peers.trusted && !this.closing) void this.listen();
    await this.o.backend.notifyTyping(key).catch(() => undefined);
  }

  /** Closes every socket (the client reconnects elsewhere) and stops listening. */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    if (this.announced().length) this.peers.gone();
    for (const h of this.held.values()) h.ws.close(1001, 'server going away');
    this.held.clear();
    this.byNumber.clear();
    const stop = await this.listening;
    this.listening = undefined;
    this.heard = false;
    this.peers.stop();
    await stop?.().catch(() => undefined);
  }

  private listen(): Promise<unknown> {
    this.listening ??= this.o.backend
      .listen({
        messages: (n) => {
          const h = this.byNumber.get(n);
          if (h) this.pump(h);
        },
        typing: (key) => void this.sendTyping(key),
        streams: (text) => this.onStreams(text),
        // (Re)connected: what was written, and the sockets announced, while the listener was away are learnt now.
        ready: () => {
          this.heard = true;
          this.peers.hello();
          for (const h of this.held.values()) if (h.number !== undefined) this.pump(h);
        },
      })
      .catch((e: unknown) => {
        // Without notifications the heartbeat still brings everything, a little later.
        this.o.log?.warn({ err: (e as Error)?.message }, 'web chat streams hear no notifications');
        return undefined;
      });
    return this.listening;
  }

  /**
   * One socket per conversation across processes too: each socket taken is announced (`open <key> <hub> <at>`); a hub
   * holding an older one for that conversation (ties: the lower hub id keeps it) answers `collision <key> <hub> <at>`,
   * and the newer socket is closed as a collision, as a second one on the same process is.
   */
  private onStreams(text: string): void {
    const [kind, key = '', hub = '', at = ''] = text.split(' ');
    if (this.peers.learn(text, () => this.announced())) return;
    const h = this.held.get(key);
    if (!h) return;
    if (kind === 'open' && hub !== this.hubId) {
      const theirs = Number(at);
      if (h.openedAt < theirs || (h.openedAt === theirs && this.hubId < hub))
        void this.o.backend.notifyStreams(`collision ${key} ${hub} ${at}`).catch(() => undefined);
    } else if (kind === 'collision' && hub === this.hubId && String(h.openedAt) === at) {
      h.ws.close(COLLISION.code, COLLISION.reason);
    }
  }

  /** The sockets this hub holds that the other processes were told of. */
  private announced(): Held[] {
    return [...this.held.values()].filter((h) => h.announced);
  }

  private sendTyping(key: string): boolean {
    const h = this.held.get(key);
    if (!h || h.ws.readyState !== h.ws.OPEN) return false;
    const activity = {
      type: 'typing',
      // An id like every activity's, never a stored message's number: typing takes no place in the watermark.
      id: `${key}|typing-${this.hubId}-${++this.typingCount}`,
      timestamp: new Date().toISOString(),
      channelId: 'directline',
      conversation: { id: key },
      from: { id: 'redress', name: 'Redress', role: 'bot' },
    };
    h.ws.send(JSON.stringify({ activities: [activity], watermark: String(h.watermark) }));
    return true;
  }

  private pump(h: Held): void {
    if (h.reading) {
      h.again = true;
      return;
    }
    h.reading = true;
    void (async () => {
      do {
        h.again = false;
        for (;;) {
          const page = await this.o.backend.activitiesAfter(h.key, h.watermark, this.o.pageBytes);
          if (this.held.get(h.key) !== h) return;
          if (!page) return h.ws.close(1008, 'no such conversation');
          if (!page.rows.length) break;
          const set = activityPage(h.key, page.rows, h.watermark, this.o.pageBytes);
          if (h.ws.bufferedAmount > MAX_BUFFERED_BYTES) return h.ws.terminate();
          h.ws.send(set.body);
          h.watermark = Number(set.watermark);
          if (!page.more && set.count === page.rows.length) break;
        }
      } while (h.again);
    })()
      .catch((e: unknown) => {
        // The database is away: the next wake-up or heartbeat reads again from the same watermark.
        this.o.log?.warn({ err: (e as Error)?.message }, 'a web chat stream could not read');
      })
      .finally(() => (h.reading = false));
  }

  private drop(h: Held): void {
    if (this.held.get(h.key) === h) {
      this.held.delete(h.key);
      if (h.announced && !this.closing) this.peers.closed(h);
    }
    if (h.number !== undefined && this.byNumber.get(h.number) === h) this.byNumber.delete(h.number);
    if (!this.held.size) {
      clearInterval(this.heartbeat);
      this.heartbeat = undefined;
    }
  }

  private startHeartbeat(): void {
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => {
      for (const h of this.held.values()) {
        // No pong since the last ping: the peer is gone without a word. Dropping it frees its conversation, whose
        // client would otherwise collide with its own dead socket on reconnecting.
        if (!h.alive) {
          h.ws.terminate();
          continue;
        }
        h.alive = false;
        h.ws.ping();
        // The service's heartbeat: an empty message, which the client skips.
        h.ws.send('');
        if (h.number !== undefined) this.pump(h);
      }
      this.peers.refresh(() => this.announced());
    }, this.o.heartbeatMs);
    this.heartbeat.unref();
  }
}
