/** A plain-fetch Direct Line 3.0 client for fault tests: each post carries a client-chosen activity id, so a retry is a no-op. */

/** What one POST …/activities attempt came to. */
export interface Attempt {
  clientId: string;
  started: number;
  ended?: number;
  status?: number;
  body?: any;
  /** Network failure (connection refused or reset: the server was killed or is not up yet). */
  error?: string;
}

/** One customer conversation on a Redress at `base()` (a function, so a restarted server can be found again). */
export class DirectLineConversation {
  readonly attempts: Attempt[] = [];
  constructor(
    private readonly base: () => string,
    readonly conversationId: string,
    readonly token: string,
  ) {}

  /** POST /tokens/generate: a fresh conversation with its token. */
  static async open(base: () => string): Promise<DirectLineConversation> {
    const r = await fetch(`${base()}/v3/directline/tokens/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    if (r.status !== 200) throw new Error(`tokens/generate answered ${r.status}: ${await r.text()}`);
    const { conversationId, token } = (await r.json()) as { conversationId: string; token: string };
    return new DirectLineConversation(base, conversationId, token);
  }

  get auth(): Record<string, string> {
    return { authorization: `Bearer ${this.token}` };
  }

  /** The message key Redress stores this client id under (channel web chat). */
  messageKey(clientId: string): string {
    return `${this.conversationId}:${clientId}`;
  }

  /** One attempt to post `text` as activity `clientId`; never throws (a network failure is recorded). */
  async post(clientId: string, text: string): Promise<Attempt> {
    const a: Attempt = { clientId, started: Date.now() };
    this.attempts.push(a);
    try {
      const r = await fetch(`${this.base()}/v3/directline/conversations/${this.conversationId}/activities`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...this.auth },
        body: JSON.stringify({
          type: 'message',
          from: { id: `user-${this.conversationId}` },
          text,
          channelData: { clientActivityID: clientId },
        }),
      });
      a.status = r.status;
      const body = await r.text();
      a.body = body ? JSON.parse(body) : undefined;
      a.ended = Date.now();
    } catch (e) {
      a.error = String((e as Error & { cause?: Error }).cause?.message ?? (e as Error).message);
      a.ended = Date.now();
    }
    return a;
  }

  /** Posts until a 2xx, re-sending the same activity id after network failures and 503s, as a client retries. */
  async postUntilAccepted(
    clientId: string,
    text: string,
    timeoutMs = 90_000,
    pauseMs = 200,
    giveUp: () => boolean = () => false,
  ): Promise<Attempt> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const a = await this.post(clientId, text);
      if (a.status && a.status < 300) return a;
      if (a.status && a.status !== 503)
        throw new Error(`post ${clientId} answered ${a.status}: ${JSON.stringify(a.body)}`);
      if (Date.now() > deadline)
        throw new Error(`post ${clientId} not accepted in ${timeoutMs} ms (last: ${a.status ?? a.error})`);
      if (giveUp()) throw new Error(`post ${clientId} abandoned (the test is over)`);
      await new Promise((r) => setTimeout(r, pauseMs));
    }
  }

  /** GET …/activities from the start. */
  async activities(): Promise<{ status: number; body: any }> {
    const r = await fetch(`${this.base()}/v3/directline/conversations/${this.conversationId}/activities?watermark=`, {
      headers: this.auth,
    });
    return { status: r.status, body: await r.json() };
  }
}

/** A complete complaint in four turns (complaint, confirmation, name, contact): the fourth opens a ticket. */
export function complaintTurns(i: number): string[] {
  return [
    `My washing machine from order ${30000 + i} has been leaking since last Saturday and I want a repair.`,
    'yes',
    NAMES[i % NAMES.length],
    `customer${i}@example.com`,
  ];
}

const NAMES = ['Dana Cruz', 'Priya Shah', 'Tom Baker', 'Mei Lin', 'Omar Haddad', 'Ana Souza', 'Jon Berg', 'Kate Moss'];
