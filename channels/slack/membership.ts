/** Who may act on a department's tickets: members of its Slack channel, or the staff the routing config names. */
import type { App } from '@slack/bolt';

type WebClient = App['client'];

/** A department as the check needs it. */
export interface DepartmentAccess {
  slack_channel?: string;
  staff: string[];
}

/** Channel membership from conversations.members, cached for a minute so a busy channel costs one call a minute. */
export class Membership {
  private readonly cache = new Map<string, { at: number; members: Set<string> }>();

  constructor(
    private readonly client: WebClient,
    private readonly ttlMs = 60_000,
  ) {}

  /** True when `user` may act on tickets of department `d`. A failed lookup throws (the caller refuses, safely). */
  async mayAct(user: string, d: DepartmentAccess | undefined): Promise<boolean> {
    if (!d) return false;
    if (d.staff.includes(user)) return true;
    if (!d.slack_channel) return false;
    return (await this.members(d.slack_channel)).has(user);
  }

  /**
   * The departments (of `all`) whose tickets `user` may see: named staff, or a member of the channel. A department
   * whose channel cannot be checked now is left out (refused, safely) and named in `unchecked`.
   */
  async departmentsFor<D extends DepartmentAccess & { id: string }>(
    user: string,
    all: D[],
  ): Promise<{ allowed: D[]; unchecked: D[] }> {
    // In parallel: a slash command must be answered within Slack's 3 seconds.
    const checks = await Promise.allSettled(all.map((d) => this.mayAct(user, d)));
    return {
      allowed: all.filter((_, i) => checks[i].status === 'fulfilled' && checks[i].value),
      unchecked: all.filter((_, i) => checks[i].status === 'rejected'),
    };
  }

  /** Forgets cached members (a denied user who has just joined is let in on their next try). */
  forget(channel: string): void {
    this.cache.delete(channel);
  }

  private async members(channel: string): Promise<Set<string>> {
    const hit = this.cache.get(channel);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.members;
    const members = new Set<string>();
    let cursor: string | undefined;
    do {
      const r = await this.client.conversations.members({ channel, limit: 1000, ...(cursor ? { cursor } : {}) });
      for (const m of r.members ?? []) members.add(m);
      cursor = r.response_metadata?.next_cursor || undefined;
    } while (cursor);
    this.cache.set(channel, { at: Date.now(), members });
    return members;
  }
}
