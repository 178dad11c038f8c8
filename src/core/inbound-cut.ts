/** Cuts inbound text to what the dialog reads, once, at the channel-neutral entry, so nothing stores or scans more. */
import type { Inbound } from './ports.ts';

/**
 * How far past the cut masking still reads. A card number written with a separator after every digit is at most 37
 * characters, a resident ID 18: a number that straddles the cut is still seen whole, so masked, never stored as a
 * prefix of its digits.
 */
export const MASK_MARGIN = 64;

/** `text` cut to at most `max` UTF-16 code units, never between the two halves of a surrogate pair. */
export function cutChars(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = max > 0 && /[\uD800-\uDBFF]/.test(text[max - 1]) ? max - 1 : max;
  return text.slice(0, end);
}

/** What {@link cutInbound} did. */
export interface InboundCut {
  /** The message with its text cut to `maxChars` plus {@link MASK_MARGIN} (the engine cuts to `maxChars` after masking). */
  inbound: Inbound;
  /** Length of the text as received, in the units `maxChars` counts (UTF-16 code units, as JavaScript's length). */
  originalChars: number;
  /** True when words (not just trailing blanks) past `maxChars` were dropped: the customer is told. */
  cut: boolean;
}

/** Cuts `input.text` before validation, masking or any pattern reads it; the original length is kept as a number. */
export function cutInbound(input: Inbound, maxChars: number): InboundCut {
  const text = typeof input.text === 'string' ? input.text : '';
  if (text.length <= maxChars) return { inbound: input, originalChars: text.length, cut: false };
  // The scan for a non-blank character past the limit stops at the first one it finds.
  const cut = /\S/.test(text.slice(maxChars));
  return { inbound: { ...input, text: cutChars(text, maxChars + MASK_MARGIN) }, originalChars: text.length, cut };
}
