/**
 * A moment as the wall clock of a time zone shows it, for the times the bot promises ("by 09:30 GMT+8 on Monday").
 * Without a zone, or with one this runtime does not know, the moment is shown in UTC: a promise is never wrong, only
 * less convenient.
 */

/** The wall-clock parts of a moment in a zone, and the zone's short name there ("UTC", "GMT+8", "PST"). */
export interface ZonedTime {
  month: number;
  day: number;
  /** 0 = Sunday. */
  weekday: number;
  hour: number;
  minute: number;
  zone: string;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
// One formatter per zone: building one costs far more than using it. Zones are IANA names, so the map stays small.
const formatters = new Map<string, Intl.DateTimeFormat | undefined>();

function formatterFor(timeZone: string): Intl.DateTimeFormat | undefined {
  if (!formatters.has(timeZone)) {
    let f: Intl.DateTimeFormat | undefined;
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        month: 'numeric',
        day: 'numeric',
        weekday: 'short',
        hour: '2-digit',
        minute: '2-digit',
        timeZoneName: 'short',
      });
    } catch {
      f = undefined; // RangeError: not a zone this runtime knows.
    }
    if (formatters.size < 1000) formatters.set(timeZone, f);
    else return f;
  }
  return formatters.get(timeZone);
}

/** Whether `timeZone` is an IANA zone this runtime knows ("Asia/Shanghai"); channels check what clients send with it. */
export function isTimeZone(timeZone: string): boolean {
  return timeZone.length <= 64 && formatterFor(timeZone) !== undefined;
}

/** `iso` on the wall clock of `timeZone` (UTC without one, or with an unknown one). */
export function zonedTime(iso: string, timeZone?: string): ZonedTime {
  const d = new Date(iso);
  const f = timeZone && timeZone !== 'UTC' ? formatterFor(timeZone) : undefined;
  if (!f)
    return {
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      weekday: d.getUTCDay(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      zone: 'UTC',
    };
  const parts = Object.fromEntries(f.formatToParts(d).map((p) => [p.type, p.value]));
  return {
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: WEEKDAYS.indexOf(parts.weekday),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    zone: parts.timeZoneName ?? timeZone!,
  };
}
