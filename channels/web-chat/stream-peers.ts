/**
 * The sockets the other processes' stream hubs hold, as they announce them over NOTIFY, so that a hub tells typing
 * to the other processes only for a conversation one of them can show it in (channels/web-chat/stream-hub.ts).
 *
 * Why the list can be trusted: a socket shows typing only from the process holding it, and every hub announces each
 * socket it takes (`open <key> <hub> <at>`, the announcement that also finds collisions), each it loses
 * (`close <key> <hub> <at>`), all of them when it stops (`gone <hub>`), all of them again every few minutes
 * (`held <hub> <key>@<at>…`, which refreshes the others' entries; one not refreshed expires, for a process that died
 * without a word), and all of them at once to a hub that (re)starts listening, which says `hello <hub> <n>`. Until
 * that hub's own `hello` has come back and the others have had a moment to answer, it does not trust its list.
 *
 * What can go wrong, and what it costs: a stale entry costs the NOTIFY every turn used to cost; a missing one (a
 * socket opened on another process in the second or so its announcement takes, or while this process's LISTEN
 * connection is down and not yet found lost) loses one typing notice, which is a hint only: replies still come by
 * watermark.
 */

/** How often a hub announces again every socket it holds (`held`), so the other processes' lists stay current. */
const ANNOUNCE_MS = 5 * 60_000;
/** A socket of another process not announced again for this long is forgotten. */
const TTL_MS = 3 * ANNOUNCE_MS;
/** After a hub's own `hello` comes back, how long the other hubs have to answer it before its list is trusted. */
const SETTLE_MS = 1_000;
/** Longest `held` announcement (a NOTIFY payload must stay under 8000 bytes; keys are ASCII). */
const HELD_CHARS = 7_000;
const SWEEP_MS = 60_000;

/** One socket as announced. */
export interface Announced {
  key: string;
  openedAt: number;
}

/** The other hubs' sockets, as heard by the hub `hubId`, and this hub's own announcements (sent with `notify`). */
export class PeerSockets {
  /** Conversation → hub → when its socket was opened, and until when it is believed (ms). */
  private readonly remote = new Map<string, Map<string, { at: string; until: number }>>();
  private knows = false;
  private hellos = 0;
  private sweepAt = 0;
  private announcedAt = Date.now();

  constructor(
    private readonly hubId: string,
    private readonly notify: (text: string) => Promise<void>,
  ) {}

  /** The list is complete (see the file's comment); false while it is being learnt, when everything is told. */
  get trusted(): boolean {
    return this.knows;
  }

  /** The listener (re)connected: announcements may have been missed, so the others are asked for theirs again. */
  hello(): void {
    this.knows = false;
    this.send(`hello ${this.hubId} ${++this.hellos}`);
  }

  /** A socket this hub announced is closed. */
  closed(s: Announced): void {
    this.send(`close ${s.key} ${this.hubId} ${s.openedAt}`);
  }

  /** This hub stops: every socket it announced is gone (best effort: the others' entries expire anyway). */
  gone(): void {
    this.send(`gone ${this.hubId}`);
  }

  /** Announces `sockets` (all this hub holds) again when it has not for a while (called on the heartbeat). */
  refresh(sockets: () => Iterable<Announced>): void {
    if (Date.now() - this.announcedAt >= ANNOUNCE_MS) this.announce(sockets());
  }

  /** The listener is stopped: nothing more is heard. */
  stop(): void {
    this.knows = false;
    ++this.hellos;
  }

  /**
   * Takes an announcement heard on the channel; another hub's hello is answered with `sockets` (all this hub holds).
   * True when `text` was one of these announcements (a collision is the hub's own business).
   */
  learn(text: string, sockets: () => Iterable<Announced>): boolean {
    const words = text.split(' ');
    const [kind, first = '', second = ''] = words;
    if (kind === 'hello') {
      if (first !== this.hubId) this.announce(sockets());
      else if (second === String(this.hellos)) {
        const n = this.hellos;
        setTimeout(() => {
          if (this.hellos === n) this.knows = true;
        }, SETTLE_MS).unref();
      }
    } else if (kind === 'open') {
      // `open <key> <hub> <at>`: the hub also checks it for a collision.
      this.remember(first, second, words[3] ?? '');
      return false;
    } else if (kind === 'held') {
      for (const item of words.slice(2)) {
        const at = item.lastIndexOf('@');
        if (at > 0) this.remember(item.slice(0, at), first, item.slice(at + 1));
      }
    } else if (kind === 'close') {
      const hubs = this.remote.get(first);
      if (hubs?.get(second)?.at === words[3]) hubs.delete(second);
      if (hubs && !hubs.size) this.remote.delete(first);
    } else if (kind === 'gone') {
      for (const [key, hubs] of this.remote) if (hubs.delete(first) && !hubs.size) this.remote.delete(key);
    } else return false;
    return true;
  }

  /** Another process announced a socket for `key` that is still believed open. */
  holds(key: string): boolean {
    const now = Date.now();
    if (now >= this.sweepAt) {
      this.sweepAt = now + SWEEP_MS;
      for (const [k, hubs] of this.remote) {
        for (const [hub, e] of hubs) if (e.until <= now) hubs.delete(hub);
        if (!hubs.size) this.remote.delete(k);
      }
    }
    for (const e of this.remote.get(key)?.values() ?? []) if (e.until > now) return true;
    return false;
  }

  /** Announces `sockets` in as few `held` notifications as fit. */
  private announce(sockets: Iterable<Announced>): void {
    this.announcedAt = Date.now();
    const head = `held ${this.hubId}`;
    let line = head;
    for (const s of sockets) {
      const item = ` ${s.key}@${s.openedAt}`;
      if (line !== head && line.length + item.length > HELD_CHARS) {
        this.send(line);
        line = head;
      }
      line += item;
    }
    if (line !== head) this.send(line);
  }

  private send(text: string): void {
    void this.notify(text).catch(() => undefined);
  }

  private remember(key: string, hub: string, at: string): void {
    if (!key || !hub || hub === this.hubId) return;
    let hubs = this.remote.get(key);
    if (!hubs) this.remote.set(key, (hubs = new Map()));
    hubs.set(hub, { at, until: Date.now() + TTL_MS });
  }
}
