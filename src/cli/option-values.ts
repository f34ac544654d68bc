/** Parses command-line option values with errors that name the option (`--cells: expected …`). */
import { parseDuration } from '../simulator/duration.js';

/** A bad option value: the command prints the message and its usage, and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function intOption(name: string, v: string | undefined, def: number, min: number, max: number): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name}: expected an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
  return n;
}

export function numberOption(name: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < min || n > max) throw new UsageError(`--${name}: expected a number from ${min} to ${max}, got ${JSON.stringify(v)}`);
  return n;
}

/** A ratio given as 0.8 or 80%. */
export function ratioOption(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const pct = v.trim().endsWith('%');
  const n = Number(pct ? v.trim().slice(0, -1) : v);
  const r = pct ? n / 100 : n;
  if (v.trim() === '' || !Number.isFinite(r) || r < 0 || r > 1) throw new UsageError(`--${name}: expected a ratio like 0.8 or 80%, got ${JSON.stringify(v)}`);
  return r;
}

/** A duration like `90m` or `2h`. */
export function durationOption(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const ms = parseDuration(v);
  if (Number.isNaN(ms)) throw new UsageError(`--${name}: expected a duration like 90m, 2h or 1d, got ${JSON.stringify(v)}`);
  return ms;
}

/** A base URL (http or https). */
export function urlOption(name: string, v: string | undefined): string {
  if (v === undefined) throw new UsageError(`--${name} is required`);
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new UsageError(`--${name}: expected a URL like http://127.0.0.1:8080, got ${JSON.stringify(v)}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UsageError(`--${name}: expected an http or https URL, got ${JSON.stringify(v)}`);
  return v.replace(/\/+$/, '');
}
