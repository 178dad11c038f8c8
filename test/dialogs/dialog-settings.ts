/** The dialog settings the dialog tests and evaluations share (the defaults of the configuration, in English, US). */
import type { DialogContext } from '../../dialogs/dialog.ts';

/** Everything of a DialogContext but the time, the router and the per-turn inputs. */
export const DIALOG_SETTINGS = {
  defaultLanguage: 'en',
  phoneRegion: 'US',
  maxChars: 4000,
  ackDelayMinutes: 60,
  slaReminderFraction: 0.8,
  secondFollowupDays: 3,
} satisfies Omit<DialogContext, 'now' | 'router'>;
