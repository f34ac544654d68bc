/**
 * Line protocol serializer: the exact inverse of parseLineProtocol for every point it accepts.
 * Points that line protocol cannot carry (an empty name, a name with a control character or
 * ending in a backslash, a measurement starting with `#`, no fields, a non-finite float, an
 * integer out of range) are refused with a LineProtocolEncodeError rather than written wrongly.
 */
import {
  INT64_MAX, INT64_MIN, NS_PER_UNIT, UINT64_MAX,
  type LpFieldValue, type LpPoint, type LpPrecision,
} from './line-protocol.js';

export class LineProtocolEncodeError extends Error {
  readonly code = 'NOCWATCH_ERR_LINE_PROTOCOL_ENCODE';
  constructor(message: string) {
    super(message);
    this.name = 'LineProtocolEncodeError';
  }
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const MEASUREMENT_SPECIAL = /[, ]/g;
const KEY_SPECIAL = /[,= ]/g;
const STRING_SPECIAL = /["\\]/g;

function checkName(s: string, what: string): void {
  if (s.length === 0) throw new LineProtocolEncodeError(`empty ${what}`);
  if (CONTROL.test(s)) throw new LineProtocolEncodeError(`${what} ${JSON.stringify(s)} contains a control character`);
  // A trailing backslash would escape the separator that follows it.
  if (s.charCodeAt(s.length - 1) === 92) throw new LineProtocolEncodeError(`${what} ${JSON.stringify(s)} ends with a backslash`);
}

/** Escapes a measurement name. */
export function escapeMeasurement(s: string): string {
  checkName(s, 'measurement');
  if (s.charCodeAt(0) === 35) throw new LineProtocolEncodeError(`measurement ${JSON.stringify(s)} starts with "#" (a comment)`);
  return s.replace(MEASUREMENT_SPECIAL, '\\$&');
}

/** Escapes a tag key, tag value or field key. */
export function escapeKey(s: string, what = 'key'): string {
  checkName(s, what);
  return s.replace(KEY_SPECIAL, '\\$&');
}

function formatField(v: LpFieldValue, key: string): string {
  switch (v.type) {
    case 'float':
      if (!Number.isFinite(v.value)) throw new LineProtocolEncodeError(`field "${key}" is ${v.value}; line protocol has no NaN or Infinity`);
      return Object.is(v.value, -0) ? '-0' : String(v.value);
    case 'integer':
      if (v.value < INT64_MIN || v.value > INT64_MAX) throw new LineProtocolEncodeError(`field "${key}" out of int64 range`);
      return `${v.value}i`;
    case 'unsigned':
      if (v.value < 0n || v.value > UINT64_MAX) throw new LineProtocolEncodeError(`field "${key}" out of uint64 range`);
      return `${v.value}u`;
    case 'string':
      return `"${v.value.replace(STRING_SPECIAL, '\\$&')}"`;
    case 'boolean':
      return v.value ? 'true' : 'false';
  }
}

/** One point as one line (no newline). Timestamps are divided down to `precision` (floor). */
export function serializePoint(p: LpPoint, precision: LpPrecision = 'ns'): string {
  let line = escapeMeasurement(p.measurement);
  for (const k of Object.keys(p.tags)) line += `,${escapeKey(k, 'tag key')}=${escapeKey(p.tags[k], `value of tag "${k}"`)}`;
  const keys = Object.keys(p.fields);
  if (keys.length === 0) throw new LineProtocolEncodeError(`point "${p.measurement}" has no fields`);
  let sep = ' ';
  for (const k of keys) {
    line += `${sep}${escapeKey(k, 'field key')}=${formatField(p.fields[k], k)}`;
    sep = ',';
  }
  if (p.timeNs !== undefined) {
    const unit = NS_PER_UNIT[precision];
    let t = p.timeNs / unit;
    if (p.timeNs < 0n && t * unit !== p.timeNs) t -= 1n;
    line += ` ${t}`;
  }
  return line;
}

/** Points as a write body, one line each. */
export function serializeLineProtocol(points: Iterable<LpPoint>, precision: LpPrecision = 'ns'): string {
  const lines: string[] = [];
  for (const p of points) lines.push(serializePoint(p, precision));
  return lines.join('\n');
}
