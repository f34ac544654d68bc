/** Durations as people write them in scenario files and on the command line: `90m`, `2h`, `1d6h`, `30s`. */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION_RE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w))+$/;
const PART_RE = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g;

/** Milliseconds of a duration string, or NaN when it is not one. */
export function parseDuration(text: string): number {
  const s = text.trim();
  if (!DURATION_RE.test(s)) return Number.NaN;
  let ms = 0;
  for (const [, n, unit] of s.matchAll(PART_RE)) ms += Number(n) * UNIT_MS[unit];
  return Math.round(ms);
}

/** `5400000` → `1h30m`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const parts: string[] = [];
  let rest = Math.round(ms);
  for (const [unit, size] of [['d', UNIT_MS.d], ['h', UNIT_MS.h], ['m', UNIT_MS.m], ['s', UNIT_MS.s]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  if (rest > 0) parts.push(`${rest}ms`);
  return parts.join('');
}
