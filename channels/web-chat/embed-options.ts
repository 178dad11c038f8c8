/**
 * The embeddable widget's options (issue #18 item 4): title, colour, language and position, read from the script tag's
 * data- attributes by /embed.js and from the query of the chat page it frames. One definition for both, so the page
 * refuses what the widget would refuse; anything invalid is dropped for the default, never echoed.
 */
import { z } from 'zod';
import { dashboardLanguageSchema } from '../../src/staff/dashboard-i18n.ts';

/** Longest title the widget shows (its button and the chat's header). */
export const TITLE_MAX_CHARS = 60;
/** A #rgb or #rrggbb colour: the only colours taken, so the text on them can be picked for contrast. */
export const COLOUR = /^#(?:[\da-f]{3}){1,2}$/i;
/** Where the button sits. */
export const positionSchema = z.enum(['right', 'left']);

/** The widget's options, each undefined when absent or invalid. */
export const embedOptionsSchema = z.object({
  title: z
    .string()
    // Cut to the cap as the widget cuts it (whole characters), then trimmed.
    .transform((s) =>
      Array.from(s.slice(0, TITLE_MAX_CHARS * 2))
        .slice(0, TITLE_MAX_CHARS)
        .join('')
        .trim(),
    )
    .pipe(z.string().min(1))
    .optional()
    .catch(undefined),
  color: z.string().regex(COLOUR).optional().catch(undefined),
  lang: dashboardLanguageSchema.optional().catch(undefined),
  position: positionSchema.optional().catch(undefined),
});
/** Options of the widget, as validated. */
export type EmbedOptions = z.infer<typeof embedOptionsSchema>;

/** The options in a query (strings only; a repeated parameter counts as absent). */
export function embedOptionsOf(query: Record<string, unknown> | undefined): EmbedOptions {
  const q = query ?? {};
  const one = (k: string) => (typeof q[k] === 'string' ? q[k] : undefined);
  return embedOptionsSchema.parse({
    title: one('title'),
    color: one('color'),
    lang: one('lang'),
    position: one('position'),
  });
}

// WCAG relative luminance of a #rgb / #rrggbb colour.
function luminance(hex: string): number {
  const h = hex.length === 4 ? hex.replace(/[\da-f]/gi, (c) => c + c) : hex;
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(h.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** White or near-black, whichever reads better on `background` (WCAG contrast ratio). */
export function textColourOn(background: string): '#ffffff' | '#111111' {
  const l = luminance(background);
  const dark = luminance('#111111');
  return 1.05 / (l + 0.05) >= (l + 0.05) / (dark + 0.05) ? '#ffffff' : '#111111';
}
