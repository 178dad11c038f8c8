/** Legal and regulator threats: the routing reasons that come from severity rules flagged `handoff` in routing.yaml. */
import type { RoutingConfig } from '../routing-config.ts';
import type { Turn } from './turn.ts';

/**
 * The reasons among `reasons` that a rule flagged `handoff` produced: the router writes them as
 * "<level>: <reason> (<keywords>)", so a renamed rule still matches its own reasons.
 */
export function threatReasons(reasons: string[], config: RoutingConfig): string[] {
  const heads = (['urgent', 'serious'] as const).flatMap((level) =>
    config.severity[level].filter((r) => r.handoff).map((r) => `${level}: ${r.reason}`),
  );
  return reasons.filter((x) => heads.some((h) => x === h || x.startsWith(`${h} (`)));
}

/**
 * A message after the ticket opened that threatens court, a regulator or the media is a hand-off staff must see: each
 * threat not raised before becomes a `handoff` event (the Slack console badges it and mentions whoever must act).
 */
export function raiseNewThreats(t: Turn, text: string): void {
  const found = threatReasons(t.ctx.router.route(text).reasons, t.ctx.router.config);
  for (const reason of found.map((x) => x.slice(0, 300))) {
    if (t.s.threats.includes(reason) || t.s.threats.length >= 20) continue;
    t.s.threats.push(reason);
    t.effects.push({ type: 'ticket_event', kind: 'handoff', data: { reason } });
  }
}
