import { describe, expect, it } from 'vitest';
import { parseTime, zTime } from '../../src/model/time.js';

describe('parseTime', () => {
  it.each([
    ['2026-11-23T10:15:00+08:00', Date.UTC(2026, 10, 23, 2, 15)],
    ['2026-11-23T02:15:00.250Z', Date.UTC(2026, 10, 23, 2, 15, 0, 250)],
    ['2028-02-29T00:00:00Z', Date.UTC(2028, 1, 29)],
    ['2026-12-31T23:59:59-05:30', Date.UTC(2027, 0, 1, 5, 29, 59)],
    ['2026-04-30T00:00:00+0800', Date.UTC(2026, 3, 29, 16)],
    [1763864100000, 1763864100000],
  ])('reads %s', (input, expected) => {
    expect(parseTime(input)).toBe(expected);
  });

  it.each([
    '2026-02-30T10:00:00Z', // no such day: Date.parse made it 2026-03-02
    '2026-02-29T10:00:00Z', // 2026 is not a leap year
    '2026-04-31T10:00:00Z',
    '2026-11-23T24:00:00Z', // Date.parse made it the next day
    '2026-11-23T10:60:00Z',
    '2026-11-23T10:15:60Z',
    '2026-13-01T10:00:00Z',
    '2026-00-10T10:00:00Z',
    '2026-11-00T10:00:00Z',
    '2026-11-23T10:15:00+24:00',
    '2026-11-23T10:15:00+08:60',
  ])('refuses the impossible date/time %s instead of rolling it over', (input) => {
    expect(parseTime(input)).toBeNaN();
  });

  it('says which field holds an impossible date/time', () => {
    const r = zTime.safeParse('2026-02-30T10:00:00Z');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe('not a valid date/time, received "2026-02-30T10:00:00Z"');
    expect(zTime.safeParse('yesterday').error?.issues[0]?.message).toMatch(/^expected an RFC 3339 time/);
  });
});
