/** The repeat-customer raise: a customer who complained recently is answered sooner. */
import type { NewTicket, RoutingDecision, Severity } from '../types.ts';

/**
 * Raises an ordinary complaint to serious when the same customer opened a ticket in the last `windowDays` days (the
 * engine counts them from contact points a channel verified, never from ones typed into the complaint), with the
 * shorter reply time that goes with it and the reason.
 */
export function withHistory(
  routing: RoutingDecision,
  history: Pick<NewTicket, 'earlierTickets' | 'windowDays'>,
  slaHours: Record<Severity, number>,
): RoutingDecision {
  const n = history.earlierTickets;
  if (!n) return routing;
  const severity = routing.severity === 'ordinary' ? 'serious' : routing.severity;
  return {
    ...routing,
    severity,
    slaHours: slaHours[severity],
    reasons: [
      ...routing.reasons,
      `serious: repeat complaint by the same customer (${n} earlier ticket${n > 1 ? 's' : ''} in ${history.windowDays} days)`,
    ],
  };
}
