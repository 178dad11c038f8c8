/**
 * PostgreSQL stores no NUL character in text or jsonb, and jsonb refuses a lone UTF-16 surrogate ("\ud800"): strings
 * are cleaned of both before they are written.
 */
import { wellFormed } from '../text/sanitize.ts';

/** `value` with U+0000 removed and lone surrogates replaced by U+FFFD in every string inside it (bytes, dates and numbers are left as they are). */
export function withoutNul<T>(value: T): T {
  if (typeof value === 'string')
    return wellFormed(value.includes('\u0000') ? value.replace(/\u0000/g, '') : value) as T;
  if (Array.isArray(value)) return value.map(withoutNul) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [withoutNul(k), withoutNul(v)])) as T;
  }
  return value;
}
