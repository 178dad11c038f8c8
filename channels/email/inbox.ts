/** Reads new mail from an IMAP mailbox: IDLE while connected, a periodic check, reconnect with backoff. */
import { ImapFlow } from 'imapflow';
import { simpleParser } from 'mailparser';
import type { Logger } from '../../src/core/log.ts';

// Messages fetched per IMAP round trip; big enough to amortise latency, small enough to bound memory.
const FETCH_BATCH = 100;
// Messages of different senders handled at once; one sender's messages stay in order.
const PARALLEL = 16;

/** Where reading stopped in one mailbox. */
export interface MailboxPosition {
  uidValidity: string;
  uid: number;
}

/** What the inbox needs: where it stopped, and a handler that records each message with its new position. */
export interface InboxPort {
  position(stream: string): Promise<MailboxPosition | undefined>;
  /** Handles one message; stores `checkpoint`, when given, in the transaction that records it. */
  handle(
    mail: Awaited<ReturnType<typeof simpleParser>>,
    raw: Buffer,
    checkpoint: { stream: string; position: string } | undefined,
  ): Promise<void>;
  /** Records a checkpoint without a message (the message at that position is gone). */
  skip(checkpoint: { stream: string; position: string }): Promise<void>;
  /** Message-IDs of erased customers' mails to delete from the mailbox, and forgetting them once done. */
  erasures?: {
    pending(limit: number): Promise<Array<{ id: number; messageId: string }>>;
    done(ids: number[]): Promise<void>;
  };
  /** With several processes, the mailbox is read only by the holder of its lease. */
  lease?: {
    /** Takes or renews the lease for `seconds`; false while another process holds it. */
    take(stream: string, seconds: number): Promise<boolean>;
    release(stream: string): Promise<void>;
  };
}

/** Parses IMAP_URL: imap[s]://user:password@host[:port]/MAILBOX. */
export function parseImapUrl(url: string) {
  const u = new URL(url);
  const secure = u.protocol === 'imaps:' || u.port === '993';
  return {
    host: u.hostname,
    port: Number(u.port || (secure ? 993 : 143)),
    secure,
    auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) },
    mailbox: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'INBOX',
  };
}

/** A long-running reader of one mailbox. */
export class Inbox {
  private client?: ImapFlow;
  private stopped = false;
  private busy?: Promise<void>;
  private pending = false;
  private timer?: NodeJS.Timeout;
  private failures = 0;
  private leaseTimer?: NodeJS.Timeout;
  private held = false;
  private connecting = false;
  readonly stream: string;
  private readonly cfg: ReturnType<typeof parseImapUrl>;

  constructor(
    private readonly o: { url: string; port: InboxPort; pollSeconds: number; log?: Logger; leaseSeconds?: number },
  ) {
    this.cfg = parseImapUrl(o.url);
    this.stream = `imap:${this.cfg.auth.user}@${this.cfg.host}:${this.cfg.port}/${this.cfg.mailbox}`;
  }

  /** Connects and keeps reading until {@link stop}. */
  start(): void {
    this.stopped = false;
    // check() never rejects (it logs its own failures): nothing to await here.
    this.timer = setInterval(() => void this.check(), this.o.pollSeconds * 1000);
    this.timer.unref();
    if (!this.o.port.lease) return void this.connect();
    // Renewed three times per lease period, so one slow renewal does not hand the mailbox to another process.
    const seconds = this.o.leaseSeconds ?? 30;
    void this.renew(seconds);
    this.leaseTimer = setInterval(() => void this.renew(seconds), (seconds * 1000) / 3);
    this.leaseTimer.unref();
  }

  /** True while this process may read the mailbox (it holds the lease, or there is no lease to hold). */
  get reading(): boolean {
    return !this.o.port.lease || this.held;
  }

  private async renew(seconds: number): Promise<void> {
    if (this.stopped) return;
    let held = false;
    try {
      held = await this.o.port.lease!.take(this.stream, seconds);
    } catch (err) {
      // Cannot reach the database: the lease will run out, so stop reading as if it had.
      this.o.log?.warn({ err: (err as Error).message }, 'mailbox lease renewal failed');
    }
    if (this.stopped) return;
    if (held && !this.held) this.o.log?.info({ stream: this.stream }, 'mailbox lease taken; reading');
    if (!held && this.held)
      this.o.log?.warn({ stream: this.stream }, 'mailbox lease lost; another process reads it now');
    this.held = held;
    if (held && !this.client && !this.connecting) void this.connect();
    if (!held && this.client) {
      const client = this.client;
      this.client = undefined;
      await client.logout().catch(() => {});
    }
  }

  /** Reads whatever is new now (also what IDLE and the timer call). Resolves when that read is done. */
  check(): Promise<void> {
    if (this.busy) {
      this.pending = true;
      return this.busy;
    }
    this.busy = this.readNew()
      .catch((err) => this.o.log?.warn({ err: (err as Error).message }, 'mail check failed'))
      .finally(() => {
        this.busy = undefined;
        if (this.pending && !this.stopped) {
          this.pending = false;
          void this.check();
        }
      });
    return this.busy;
  }

  /** Stops reading and logs out. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.leaseTimer) clearInterval(this.leaseTimer);
    await this.busy;
    await this.client?.logout().catch(() => {});
    this.client = undefined;
    // Handing the lease back at once lets another process take the mailbox over without waiting for expiry.
    if (this.held) await this.o.port.lease!.release(this.stream).catch(() => {});
    this.held = false;
  }

  private async connect(): Promise<void> {
    if (this.stopped || !this.reading) return;
    this.connecting = true;
    // imapflow clients are single-use: every (re)connection is a new one.
    const client = new ImapFlow({
      host: this.cfg.host,
      port: this.cfg.port,
      secure: this.cfg.secure,
      auth: this.cfg.auth,
      logger: false,
      emitLogs: false,
    });
    client.on('error', (err) => this.o.log?.warn({ err: err.message }, 'IMAP error'));
    client.on('exists', () => void this.check());
    client.on('close', () => {
      if (this.client === client) this.client = undefined;
      if (!this.stopped && this.reading) this.reconnectLater();
    });
    try {
      await client.connect();
      await client.mailboxOpen(this.cfg.mailbox);
      if (this.stopped || !this.reading) return void (await client.logout().catch(() => {}));
      this.client = client;
      this.failures = 0;
      await this.check();
    } catch (err) {
      this.o.log?.warn({ err: (err as Error).message }, 'IMAP connection failed');
      client.close();
      if (!this.stopped && this.client !== client) this.reconnectLater();
    } finally {
      this.connecting = false;
    }
  }

  private reconnectLater(): void {
    if (this.stopped) return;
    const delay = Math.min(30_000, 500 * 2 ** this.failures++);
    setTimeout(() => void this.connect(), delay).unref();
  }

  /**
   * Handles a batch with several messages in flight, one sender's messages strictly in UID order. Only the batch's
   * last message carries the checkpoint, handled after all the others are recorded: a crash mid-batch reads the
   * batch again, and each message's own Message-ID record makes the second reading a no-op.
   */
  private async handleBatch(batch: number[], sources: Map<number, Buffer>, uidValidity: string): Promise<void> {
    const parsed = await Promise.all(
      batch.map(async (uid) => ({
        uid,
        source: sources.get(uid),
        mail: sources.has(uid) ? await simpleParser(sources.get(uid)!) : undefined,
      })),
    );
    const last = parsed[parsed.length - 1];
    const bySender = new Map<string, typeof parsed>();
    for (const p of parsed.slice(0, -1)) {
      if (!p.mail) continue; // expunged meanwhile
      const from = p.mail.from?.value[0]?.address?.toLowerCase() ?? '';
      bySender.set(from, [...(bySender.get(from) ?? []), p]);
    }
    const lanes = [...bySender.values()];
    const workers = Array.from({ length: Math.min(PARALLEL, lanes.length) }, async () => {
      for (let lane = lanes.shift(); lane; lane = lanes.shift()) {
        for (const p of lane) if (!this.stopped) await this.o.port.handle(p.mail!, p.source!, undefined);
      }
    });
    await Promise.all(workers);
    if (this.stopped) return;
    const checkpoint = { stream: this.stream, position: `${uidValidity}:${last.uid}` };
    if (last.mail) await this.o.port.handle(last.mail, last.source!, checkpoint);
    else await this.o.port.skip(checkpoint);
  }

  private async readNew(): Promise<void> {
    const client = this.client;
    if (!client?.usable || !this.reading) return;
    const mailbox = client.mailbox;
    if (!mailbox) return;
    const uidValidity = String(mailbox.uidValidity);
    const stored = await this.o.port.position(this.stream);
    // A new UIDVALIDITY means the old UIDs mean nothing: read everything again; Message-IDs stop double answers.
    const after = stored && stored.uidValidity === uidValidity ? stored.uid : 0;
    const uids = ((await client.search({ uid: `${after + 1}:*` }, { uid: true })) || [])
      .filter((u) => u > after)
      .sort((a, b) => a - b);
    // Fetch in batches (one round trip per batch), then handle one by one in UID order. The batch is collected
    // before handling because a command issued inside a fetch iterator deadlocks imapflow.
    for (let i = 0; i < uids.length; i += FETCH_BATCH) {
      const batch = uids.slice(i, i + FETCH_BATCH);
      const sources = new Map<number, Buffer>();
      for await (const msg of client.fetch(batch.join(','), { source: true, uid: true }, { uid: true })) {
        if (msg.source && batch.includes(msg.uid)) sources.set(msg.uid, msg.source);
      }
      await this.handleBatch(batch, sources, uidValidity);
      if (this.stopped) return;
    }
    await this.deleteErased(client);
  }

  /** Deletes erased customers' mails from the mailbox (flag \Deleted and expunge), then forgets their Message-IDs. */
  private async deleteErased(client: ImapFlow): Promise<void> {
    const todo = (await this.o.port.erasures?.pending(50)) ?? [];
    if (!todo.length) return;
    const uids: number[] = [];
    for (const e of todo) {
      // Searched without its angle brackets (a header written without them still matches), and SEARCH HEADER matches
      // substrings: keep only mails whose Message-ID is exactly this one.
      const bare = bareMessageId(e.messageId);
      const found = await client.search({ header: { 'message-id': bare } }, { uid: true });
      // imapflow answers a refused or failed command with false rather than throwing: nothing may be forgotten then.
      if (!Array.isArray(found)) throw new Error(`IMAP search for an erased Message-ID failed`);
      if (!found.length) continue;
      for await (const m of client.fetch(found.join(','), { envelope: true, uid: true }, { uid: true })) {
        if (bareMessageId(m.envelope?.messageId ?? '') === bare) uids.push(m.uid);
      }
    }
    if (uids.length && (await client.messageDelete(uids.join(','), { uid: true })) !== true)
      throw new Error('IMAP delete of erased mail failed');
    await this.o.port.erasures!.done(todo.map((e) => e.id));
    this.o.log?.info({ deleted: uids.length, queued: todo.length }, 'erased mail deleted from the mailbox');
    // More may be queued than one round took.
    if (todo.length === 50) this.pending = true;
  }
}

/** A Message-ID without angle brackets and surrounding space, as two spellings of one header compare. */
function bareMessageId(id: string): string {
  return id.trim().replace(/^<|>$/g, '').trim();
}
