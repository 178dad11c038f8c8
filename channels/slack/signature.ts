/** Slack request signatures: Bolt's check, plus the bound on future timestamps that Bolt does not make. */
import { isValidSlackRequest } from '@slack/bolt';

/** How far a request's timestamp may be from now, either way (Slack's documented five minutes). */
export const SLACK_TIMESTAMP_TOLERANCE_SECONDS = 300;

/**
 * True when `body` is signed with `signingSecret` and stamped within five minutes of `nowMs`, before or after. Bolt
 * refuses only stale requests; a request stamped in the future could be replayed until that time plus five minutes.
 * Now is the real time, as in Bolt: the timestamp is Slack's clock, not the app's.
 */
export function validSlackRequest(o: {
  signingSecret: string;
  body: string;
  signature: string;
  timestamp: string;
  nowMs?: number;
}): boolean {
  if (!/^\d{1,12}$/.test(o.timestamp)) return false;
  const ts = Number(o.timestamp);
  const now = Math.floor((o.nowMs ?? Date.now()) / 1000);
  if (Math.abs(now - ts) > SLACK_TIMESTAMP_TOLERANCE_SECONDS) return false;
  return isValidSlackRequest({
    signingSecret: o.signingSecret,
    body: o.body,
    headers: { 'x-slack-signature': o.signature, 'x-slack-request-timestamp': ts },
    nowMilliseconds: o.nowMs,
  });
}
