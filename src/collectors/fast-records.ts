/**
 * Hand-written fast paths for the two high-volume feeds (PM and signaling). zod validates ~25k PM
 * records/s where JSON.parse alone does ~130k/s on this machine, so the hot path checks the same
 * rules by hand. Anything unusual returns `undefined` and the caller falls back to the zod schema,
 * which then produces the exact error message: the fast path may only accept what zod accepts,
 * with the same result (tested property-wise in test/collectors/fast-records.test.ts).
 */
import { MAX_EVENT_TIME, MIN_EVENT_TIME, SIGNALING_PROCEDURES, parseTime, type SignalingProcedure } from '../model/index.js';

const PROCEDURES = new Set<string>(SIGNALING_PROCEDURES);
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** Consecutive records of a period carry the same time string: parse it once. */
let lastTimeText = '';
let lastTimeMs = NaN;

function time(v: unknown): number {
  if (typeof v === 'number') return Number.isFinite(v) && v >= MIN_EVENT_TIME && v <= MAX_EVENT_TIME ? Math.floor(v) : NaN;
  if (typeof v !== 'string') return NaN;
  if (v === lastTimeText) return lastTimeMs;
  const ms = parseTime(v);
  lastTimeText = v;
  lastTimeMs = ms;
  return ms;
}

function id(v: unknown): v is string {
  return typeof v === 'string' && v.length >= 1 && v.length <= 128;
}

function intIn(v: unknown, lo: number, hi: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi;
}

/** A number map as zod would output it (null values dropped), or undefined when anything is off. */
function numberMap(v: unknown): Record<string, number> | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const out: Record<string, number> = Object.create(null);
  let n = 0;
  for (const k in v) {
    if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
    if (++n > 2000 || k.length === 0 || k.length > 128 || FORBIDDEN.has(k)) return undefined;
    const x = (v as Record<string, unknown>)[k];
    if (x === null) continue;
    if (typeof x !== 'number' || !Number.isFinite(x)) return undefined;
    out[k] = x;
  }
  return out;
}

export interface FastPm {
  cellId: string;
  time: number;
  period: number;
  kpis?: Record<string, number>;
  counters?: Record<string, number>;
  attempts?: Record<string, number>;
  suspect?: boolean;
}

/** The PM record as `pmRecordSchema` would output it, or undefined to fall back to zod. */
export function fastPm(raw: unknown): FastPm | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const r = raw as Record<string, unknown>;
  if (!id(r.cellId)) return undefined;
  const t = time(r.time);
  if (Number.isNaN(t)) return undefined;
  const period = r.period === undefined ? 900 : r.period;
  if (!intIn(period, 1, 86_400)) return undefined;
  const out: FastPm = { cellId: r.cellId, time: t, period };
  if (r.kpis !== undefined && !(out.kpis = numberMap(r.kpis))) return undefined;
  if (r.counters !== undefined && !(out.counters = numberMap(r.counters))) return undefined;
  if (r.attempts !== undefined && !(out.attempts = numberMap(r.attempts))) return undefined;
  if (out.kpis === undefined && out.counters === undefined) return undefined;
  if (r.suspect !== undefined) {
    if (typeof r.suspect !== 'boolean') return undefined;
    out.suspect = r.suspect;
  }
  return out;
}

export interface FastSignaling {
  cellId: string;
  time: number;
  period: number;
  procedure: SignalingProcedure;
  attempts: number;
  failures: number;
  affectedSubscribers?: number;
  topCause?: string | null;
}

/** The signaling record as `signalingRecordSchema` would output it, or undefined to fall back to zod. */
export function fastSignaling(raw: unknown): FastSignaling | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const r = raw as Record<string, unknown>;
  if (!id(r.cellId)) return undefined;
  const t = time(r.time);
  if (Number.isNaN(t)) return undefined;
  const period = r.period === undefined ? 300 : r.period;
  if (!intIn(period, 1, 86_400)) return undefined;
  if (typeof r.procedure !== 'string' || !PROCEDURES.has(r.procedure)) return undefined;
  if (!intIn(r.attempts, 0, 1e12) || !intIn(r.failures, 0, 1e12) || r.failures > r.attempts) return undefined;
  const out: FastSignaling = { cellId: r.cellId, time: t, period, procedure: r.procedure as SignalingProcedure, attempts: r.attempts, failures: r.failures };
  if (r.affectedSubscribers !== undefined) {
    if (!intIn(r.affectedSubscribers, 0, 1e12)) return undefined;
    out.affectedSubscribers = r.affectedSubscribers;
  }
  if (r.topCause !== undefined) {
    if (r.topCause !== null && (typeof r.topCause !== 'string' || r.topCause.length > 256)) return undefined;
    out.topCause = r.topCause;
  }
  return out;
}
