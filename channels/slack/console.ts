/** The Slack staff console: the receiver, the sync, the staff actions and the customer channel of one workspace, composed. */
import type { App } from '@slack/bolt';
import type { Server } from 'restify';
import type { RoutingConfig } from '../../dialogs/routing-config.ts';
import type { Logger } from '../../src/core/log.ts';
import type { Inbound } from '../../src/core/ports.ts';
import type { SlackStore } from './port.ts';
import { listenStaff } from './actions.ts';
import { listenCustomers } from './customer.ts';
import { listenNewComplaint } from './new-complaint.ts';
import { SlackReceiver } from './receiver.ts';
import { SlackSync } from './sync.ts';

/** The staff console for one workspace. */
export class SlackConsole {
  /** The Bolt app: its Web API client is what the digests and the customer channel post with. */
  readonly app: App;
  private readonly receiver: SlackReceiver;
  private readonly syncer: SlackSync;

  constructor(o: {
    token: string;
    signingSecret: string;
    apiUrl?: string;
    /** An app-level token (xapp-…): Socket Mode, so Redress needs no public URL. */
    appToken?: string;
    store: SlackStore;
    routing: RoutingConfig;
    maxBodyBytes: number;
    log?: Logger;
    clock: () => Date;
    /** Runs a customer's turn (a DM or a mention of the bot) through the engine. */
    handle?: (m: Inbound) => Promise<unknown>;
  }) {
    this.receiver = new SlackReceiver(o);
    this.app = this.receiver.app;
    this.syncer = new SlackSync({
      client: this.app.client,
      store: o.store,
      routing: o.routing,
      log: o.log,
      clock: o.clock,
    });
    // A staff action syncs at once, so the card shows it without waiting for the timer.
    listenStaff(this.app, { store: o.store, routing: o.routing, log: o.log, after: () => this.syncer.kick() });
    listenNewComplaint(this.app, { store: o.store, routing: o.routing, log: o.log, after: () => this.syncer.kick() });
    listenCustomers(this.app, o.handle);
  }

  /** In Socket Mode, opens the connection to Slack (in the background: Slack being down must not stop Redress). */
  start(): void {
    this.receiver.start();
  }

  /** Mounts POST /slack/events (events, interactivity and slash commands on one URL). */
  mount(server: Server): void {
    this.receiver.mount(server);
  }

  /** Posts new tickets and brings threads and cards up to date (see SlackSync.sync). */
  sync(): Promise<void> {
    return this.syncer.sync();
  }

  /** Syncs every `seconds`. */
  startSync(seconds: number): void {
    this.syncer.start(seconds);
  }

  /** Stops syncing (and closes the Socket Mode connection). */
  async stop(): Promise<void> {
    this.syncer.stopTimer();
    await this.receiver.stop();
    await this.syncer.running;
  }
}
