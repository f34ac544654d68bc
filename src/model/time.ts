/**
 * Event-time helpers. Inside nocwatch every time is epoch milliseconds (a number); on the wire times
 * are RFC 3339 strings with an offset, or epoch milliseconds, on input, and RFC 3339 UTC on output.
 */
import { z } from 'zod';

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:[Zz]|[+-](\d{2}):?(\d{2}))$/;

/**
 * True when the fields of an RFC 3339 match name a real instant. Date.parse rolls impossible ones
 * over (2026-02-30 → 2026-03-02, 24:00 → the next day), which would file a record under a day it
 * was never sent for. A leap second (:60) is refused too: nocwatch's clock has none.
 */
function isRealDateTime(m: RegExpExecArray): boolean {
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as
    [number, number, number, number, number, number];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const offsetOk = m[7] === undefined || (Number(m[7]) <= 23 && Number(m[8]) <= 59);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59 && offsetOk;
}

/** An RFC 3339-shaped string whose date or time does not exist (February 30th, 24:00…): for error messages. */
export function isImpossibleDateTime(value: string): boolean {
  const m = value.length <= 40 ? RFC3339.exec(value) : null;
  return m !== null && !isRealDateTime(m);
}

/** Smallest and largest accepted event time: 2000-01-01 and 2100-01-01. Anything else is a unit mistake. */
export const MIN_EVENT_TIME = Date.UTC(2000, 0, 1);
export const MAX_EVENT_TIME = Date.UTC(2100, 0, 1);

/**
 * Parses an RFC 3339 string (with offset) or epoch milliseconds. Returns NaN when the input is not
 * a time nocwatch accepts; callers turn that into a clear rejection.
 */
export function parseTime(value: unknown): number {
  let ms: number;
  if (typeof value === 'number') ms = value;
  else if (typeof value === 'string' && value.length <= 40) {
    const m = RFC3339.exec(value);
    if (m === null || !isRealDateTime(m)) return NaN;
    ms = Date.parse(value);
  } else return NaN;
  if (!Number.isFinite(ms) || ms < MIN_EVENT_TIME || ms > MAX_EVENT_TIME) return NaN;
  return Math.floor(ms);
}

/** Formats epoch milliseconds as an RFC 3339 UTC string, `null` stays `null`. */
export function isoTime(ms: number): string;
export function isoTime(ms: number | null | undefined): string | null;
export function isoTime(ms: number | null | undefined): string | null {
  return ms == null ? null : new Date(ms).toISOString();
}

/** zod type for an input time: RFC 3339 with offset, or epoch ms → epoch ms. */
export const zTime = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const ms = parseTime(v);
  if (Number.isNaN(ms)) {
    ctx.addIssue({
      code: 'custom',
      message: typeof v === 'string' && isImpossibleDateTime(v)
        ? `not a valid date/time, received ${JSON.stringify(v)}`
        : `expected an RFC 3339 time with offset or epoch milliseconds between 2000 and 2100, received ${JSON.stringify(v)}`,
    });
    return z.NEVER;
  }
  return ms;
});

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
