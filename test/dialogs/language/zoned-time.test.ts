/** Promised times on the customer's wall clock: zonedTime and the packs' formatDue. */
import { describe, expect, it } from 'vitest';
import { en } from '../../../dialogs/language/en.ts';
import { zhHans } from '../../../dialogs/language/zh-hans.ts';
import { isTimeZone, zonedTime } from '../../../dialogs/language/zoned-time.ts';

const DUE = '2026-12-04T21:19:00Z'; // a Friday evening in UTC: Saturday morning in Shanghai

describe('zonedTime', () => {
  it('reads the wall clock of the zone, across midnight and a date line', () => {
    expect(zonedTime(DUE, 'Asia/Shanghai')).toEqual({
      month: 12,
      day: 5,
      weekday: 6,
      hour: 5,
      minute: 19,
      zone: 'GMT+8',
    });
    expect(zonedTime(DUE, 'America/Los_Angeles')).toMatchObject({ day: 4, weekday: 5, hour: 13, zone: 'PST' });
    // Half-hour zone, and summer time in the southern hemisphere.
    expect(zonedTime(DUE, 'Asia/Kolkata')).toMatchObject({ day: 5, hour: 2, minute: 49, zone: 'GMT+5:30' });
    expect(zonedTime(DUE, 'Australia/Sydney')).toMatchObject({ day: 5, hour: 8, zone: 'GMT+11' });
  });

  it('falls back to UTC without a zone, or with one this runtime does not know', () => {
    for (const z of [undefined, 'UTC', 'Mars/Olympus_Mons', '../../etc/passwd', 'x'.repeat(200)])
      expect(zonedTime(DUE, z)).toEqual({ month: 12, day: 4, weekday: 5, hour: 21, minute: 19, zone: 'UTC' });
    expect(isTimeZone('Europe/London')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('x'.repeat(200))).toBe(false);
  });
});

describe('formatDue', () => {
  it('names the zone in both languages', () => {
    expect(en.formatDue(DUE)).toBe('21:19 UTC on Friday 4 December');
    expect(en.formatDue(DUE, 'Asia/Shanghai')).toBe('05:19 GMT+8 on Saturday 5 December');
    expect(zhHans.formatDue(DUE, 'Asia/Shanghai')).toBe('12月5日（星期六）05:19（GMT+8）');
    expect(zhHans.formatDue(DUE)).toBe('12月4日（星期五）21:19（UTC）');
  });
});
