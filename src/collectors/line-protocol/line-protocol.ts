/**
 * InfluxDB line protocol: the shapes shared by the parser and the serializer.
 *
 *   measurement[,tag=value…] field=value[,field=value…] [timestamp]
 *
 * Escaping (as InfluxDB and influxdata/line-protocol do it): in a measurement `\,` and `\ `; in tag
 * keys, tag values and field keys `\,`, `\=` and `\ `; in string field values `\"` and `\\`. A
 * backslash before any other character is kept as it is.
 */

export type LpFieldValue =
  | { type: 'float'; value: number }
  /** `i` suffix; int64, kept exact as a bigint. */
  | { type: 'integer'; value: bigint }
  /** `u` suffix; uint64. */
  | { type: 'unsigned'; value: bigint }
  | { type: 'string'; value: string }
  | { type: 'boolean'; value: boolean };

/** One parsed line. Tag and field maps have no prototype, so any key is safe. */
export interface LpPoint {
  measurement: string;
  tags: Record<string, string>;
  fields: Record<string, LpFieldValue>;
  /** Nanoseconds since the epoch, when the line carried a timestamp. */
  timeNs?: bigint;
}

/** Timestamp precision of a write (`precision` query parameter). */
export const LP_PRECISIONS = ['ns', 'us', 'ms', 's'] as const;
export type LpPrecision = (typeof LP_PRECISIONS)[number];

/** Nanoseconds per unit of each precision. */
export const NS_PER_UNIT: Readonly<Record<LpPrecision, bigint>> = {
  ns: 1n,
  us: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
};

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;
export const UINT64_MAX = 2n ** 64n - 1n;

/** Accepts InfluxDB's spellings of the precision parameter (v1 also says `n`, `u`, `h`…). */
export function parsePrecision(value: string | undefined): LpPrecision | undefined {
  switch (value) {
    case undefined:
    case '':
    case 'ns':
    case 'n':
      return 'ns';
    case 'us':
    case 'u':
    case 'µ':
      return 'us';
    case 'ms':
      return 'ms';
    case 's':
      return 's';
    default:
      return undefined;
  }
}

/** Epoch milliseconds of a point's timestamp (floor), or undefined without one. */
export function pointTimeMs(p: LpPoint): number | undefined {
  if (p.timeNs === undefined) return undefined;
  const ns = p.timeNs;
  const ms = ns / 1_000_000n;
  // bigint division truncates toward zero; floor for negative times.
  return Number(ns < 0n && ms * 1_000_000n !== ns ? ms - 1n : ms);
}
