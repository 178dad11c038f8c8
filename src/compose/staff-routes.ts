/** The staff side of a web process: the dashboard and the staff API (summaries and exports share their read slots). */
import type restify from 'restify';
import type { Core } from '../core/build-core.ts';
import type { HeavyReads } from '../http/heavy-reads.ts';
import { mountDashboard } from '../staff/dashboard.ts';
import { mountStaffApi } from '../staff/staff-api.ts';
import { staffAuthFromConfig } from '../staff/auth/from-config.ts';

/**
 * Mounts the dashboard (behind staff sign-in) and the staff API on `server`; `announce(url)`, once listening, prints
 * the one-time sign-in link when no sign-in is configured.
 */
export function mountStaffRoutes(
  server: restify.Server,
  core: Core,
  summaries: HeavyReads,
): { announce: (url: string) => Promise<void> } {
  const { config, db, routing, jobs, clock, log } = core;
  // Who makes each dashboard request is found before routing, so every dashboard route can check it.
  const auth = staffAuthFromConfig(config, { db, clock, log });
  server.pre(auth.guard());
  auth.mount(server);
  mountDashboard(server, {
    auth,
    db,
    routing,
    adminToken: config.ADMIN_TOKEN,
    defaultTz: config.DIGEST_TZ,
    clock,
    maxPeriodDays: config.SUMMARY_MAX_DAYS,
    heavyReads: summaries,
    log,
    trustProxy: config.TRUST_PROXY,
  });
  mountStaffApi(server, {
    db,
    routing,
    adminToken: config.ADMIN_TOKEN,
    clock,
    satisfactionDays: config.SATISFACTION_CHECK_DAYS,
    queue: jobs,
    maxBodyBytes: config.MAX_BODY_BYTES,
    maxPeriodDays: config.SUMMARY_MAX_DAYS,
    defaultTz: config.DIGEST_TZ,
    heavyReads: summaries,
    log,
    // A resolution's message to the customer is pushed at once on push channels (email, Slack, Bot Framework).
    deliver: core.deliver,
    onOutbound: () => core.outbox.kick(),
    // POST /api/tickets: a complaint staff log (in person, by letter, a live call, a partner) runs the same dialog.
    handle: (m) => core.engine.handle(m),
  });
  return { announce: (url) => auth.announce(url) };
}
