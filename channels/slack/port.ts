/** What the Slack console needs from storage and from the staff side, declared here so no SQL reaches the channel. */
import type { Severity } from '../../src/domain/severity.ts';
import type { ResolutionInput } from '../../src/staff/resolution-input.ts';
import type { TicketCard } from './blocks.ts';
import type { CommandStore } from './commands.ts';
import type { RecoveryActions } from './recovery.ts';
import type { LoggedComplaint, NewComplaintForm } from '../../src/staff/slack-logged.ts';

/** A post of a ticket outside its current card: a card it moved away from (`card`), or an SLA-breach notice. */
export interface SlackPost {
  channel: string;
  ts: string;
  card: boolean;
}

/** A ticket as the sync draws it, with where its card is. */
export interface ConsoleTicket extends TicketCard {
  id: number;
  /** Its card: null until posted (and again once the ticket moved to another department's channel). */
  slackChannel: string | null;
  slackTs: string | null;
  /** Its other posts: cards in channels it moved out of, SLA-breach notices in escalation channels. */
  elsewhere: SlackPost[];
  /** Its routing reasons: the hand-offs (a person, abuse, a legal or regulator threat) found at intake are there. */
  routingReasons?: string[];
  /** The reasons of its `handoff` events: hand-offs after the ticket opened (a person, abuse, a call-back). */
  handoffReasons?: string[];
}

/** One of a ticket's events, to show in its card's thread. */
export interface ConsoleEvent {
  id: number;
  kind: string;
  actor: string;
  data: Record<string, unknown>;
}

/** What the receiver needs: to tell a retried Slack delivery from a new one. */
export interface SeenStore {
  /** True when Slack delivery `key` was already handled (it is marked in the transaction of its effect). */
  seen(key: string): Promise<boolean>;
}

/**
 * What the sync needs: tickets to post and threads to bring up to date, each leased to the caller until it calls
 * `release`, `moved`, `retryAt` or `failed` (so two processes never post the same ticket twice).
 */
export interface SyncStore {
  /** Tickets whose card is not posted yet (and not waiting out a rate limit or a backoff). */
  unposted(now: Date, limit?: number): Promise<ConsoleTicket[]>;
  /** Posted tickets with events their thread does not show yet. */
  withNewEvents(now: Date, limit?: number): Promise<Array<{ card: ConsoleTicket; events: ConsoleEvent[] }>>;
  /** Records the posted card; false when another process posted it first (its card wins, ours is deleted). */
  posted(ticketId: number, channel: string, ts: string): Promise<boolean>;
  /** Records that the ticket's thread shows its events up to `eventId`. */
  advance(ticketId: number, eventId: number): Promise<void>;
  /** Remembers a post about the ticket outside its card's thread, for erasure to find. */
  postedElsewhere(ticketId: number, channel: string, ts: string): Promise<void>;
  /** Sets the card aside so the next sync posts a new one (the ticket moved to another department's channel). */
  moved(ticketId: number): Promise<void>;
  /** Ends the caller's lease (its work on the ticket is done). */
  release(ticketId: number): Promise<void>;
  /** Holds the ticket's Slack work until `at`. */
  retryAt(ticketId: number, at: Date): Promise<void>;
  /** Records a failed Web API call: retry after Slack's Retry-After, else after a backoff growing per failure. */
  failed(ticketId: number, now: Date, retryAfterSeconds?: number): Promise<void>;
}

/**
 * What the staff actions need: the ticket a message or action is about, and the actions themselves. Each action is
 * done once per Slack delivery `key` (a retry does nothing) and throws a RedressError staff should be told about.
 */
export interface ActionStore extends CommandStore, RecoveryActions {
  /** The department a ticket is in now (for membership checks). */
  departmentOf(reference: string): Promise<string | undefined>;
  /** The ticket whose card is (channel, ts). */
  byMessage(channel: string, ts: string): Promise<{ reference: string; department: string } | undefined>;
  claim(reference: string, user: string, key?: string): Promise<void>;
  /** Resolves with the Resolve modal's remedy, root cause and message; the message goes to the customer at once. */
  resolve(reference: string, user: string, resolution: ResolutionInput, key?: string): Promise<void>;
  reassign(reference: string, department: string, user: string, key?: string): Promise<void>;
  /** Changes the severity (and so the SLA). */
  severity(reference: string, severity: Severity, user: string, key?: string): Promise<void>;
  /** A reply typed in the card's thread, sent to the customer; false when there is no such ticket or it is a retry. */
  staffReply(channel: string, threadTs: string, user: string, text: string, key?: string): Promise<boolean>;
  /** A reply written in the Reply to customer modal, sent the same way. */
  staffReplyTo(reference: string, user: string, text: string, key?: string): Promise<boolean>;
  /** Sets the tier of the ticket's customer (a routing.yaml tier id), recorded as `user`'s change. */
  tier(reference: string, tier: string, user: string, key?: string): Promise<void>;
  /** Logs a complaint `user` took in person, by letter, by phone or from a partner: POST /api/tickets's path. */
  logComplaint(form: NewComplaintForm, user: string, viewId: string): Promise<LoggedComplaint>;
}

/** Everything the console of one workspace needs (src/staff/slack.ts implements it). */
export interface SlackStore extends SeenStore, SyncStore, ActionStore {}
