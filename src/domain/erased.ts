/** What erased personal data is replaced with, and which words of an audit event survive an erasure. */

/** What replaces erased text. */
export const ERASED = '[erased]';

// Event data keys whose string values are enumerations, ids or times (statuses, departments, follow-up kinds,
// field names): kept so the audit trail still reads. Any other string may hold customer or staff words.
const KEEP = new Set([
  'kind',
  'status',
  'from',
  'to',
  'department',
  'category',
  'severity',
  'ticketStatus',
  'dueAt',
  'slaDueAt',
  'nextAttemptAt',
  'channel',
  'changed',
  // A resolution's ids (routing.yaml lists), kept like department and category: they are the company's words.
  'remedy',
  'cause',
  'fault',
  'currency',
  // What a message sent outside a turn was (a follow-up kind, resolution, staff_reply).
  'purpose',
]);

/** `data` with every string erased except under the keys in KEEP; numbers (scores, ids), booleans and structure stay. */
export function scrubEventData(data: unknown, key?: string): unknown {
  if (typeof data === 'string') return key && KEEP.has(key) ? data : ERASED;
  if (Array.isArray(data)) return data.map((x) => scrubEventData(x, key));
  if (data && typeof data === 'object')
    return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, scrubEventData(v, k)]));
  return data;
}
