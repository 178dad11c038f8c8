/** Text clean-ups applied in one place: well-formed UTF-16 before storage, no bidi controls wherever text is shown. */

/**
 * `s` with every lone UTF-16 surrogate replaced by U+FFFD. JSON may carry "\ud800", which JavaScript keeps but
 * PostgreSQL's jsonb refuses (so the whole turn failed with a 500), and which no UTF-8 output can represent.
 */
export function wellFormed(s: string): string {
  const w = s as unknown as WellFormedString;
  return w.isWellFormed() ? s : w.toWellFormed();
}

// Node 20 has both methods (ES2024); the ES2022 library the project compiles against does not declare them.
interface WellFormedString {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

/** `value` with {@link wellFormed} applied to every string inside it, keys included (bytes, dates, numbers kept). */
export function wellFormedDeep<T>(value: T): T {
  if (typeof value === 'string') return wellFormed(value) as T;
  if (Array.isArray(value)) return value.map(wellFormedDeep) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [wellFormed(k), wellFormedDeep(v)])) as T;
  }
  return value;
}

/**
 * Unicode bidirectional controls: embeddings and overrides (U+202A–U+202E), isolates (U+2066–U+2069) and the marks
 * (U+200E, U+200F, U+061C). In a customer's words they can make what follows them on a line (a ticket reference, the
 * next CSV cell, a Slack card's fields) display reversed or reordered.
 */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** `s` without Unicode bidirectional controls; applied wherever customer text is rendered for staff or in a subject. */
export function withoutBidi(s: string): string {
  return s.replace(BIDI_CONTROLS, '');
}
