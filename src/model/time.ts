/**
 * Event-time helpers. Inside nocwatch every time is epoch milliseconds (a number); on the wire times
 * are RFC 3339 strings with an offset, or epoch milliseconds, on input, and RFC 3339 UTC on output.
 */
import { z } from 'zod';

const RFC3339 =
  /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:[Zz]|[+-]\d{2}:?\d{2})$/;

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
  else if (typeof value === 'string' && value.length <= 40 && RFC3339.test(value)) ms = Date.parse(value);
  else return NaN;
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
      message: `expected an RFC 3339 time with offset or epoch milliseconds between 2000 and 2100, received ${JSON.stringify(v)}`,
    });
    return z.NEVER;
  }
  return ms;
});

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
