/**
 * Test fixtures for the detectors: a small inventory and a seeded generator of realistic PM and
 * signaling (daily and weekly traffic curve, binomial noise that grows at night as traffic falls).
 */
import { Inventory } from '../../src/inventory/inventory.js';
import type { AnomalyTransition, AreaClass, Cell, PmEvent, SignalingEvent } from '../../src/model/index.js';

export const T0 = Date.UTC(2026, 0, 5); // a Monday, 00:00 UTC
export const MIN = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
export const PM_PERIOD_MS = 15 * MIN;

/** mulberry32: a small seeded PRNG, so every test run sees the same data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gaussian(r: () => number): number {
  let u = 0;
  while (u === 0) u = r();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}

/** `districts` × `sites` × 3 cells. Cell ids `C-d-s-k`, sites `S-d-s`, transports `T-d`. */
export function network(districts = 2, sites = 4, areaClass: AreaClass = 'residential'): Inventory {
  const cells: Cell[] = [];
  for (let d = 0; d < districts; d++) {
    for (let s = 0; s < sites; s++) {
      for (let k = 1; k <= 3; k++) {
        cells.push({
          cellId: `C-${d}-${s}-${k}`, siteId: `S-${d}-${s}`, transportId: `T-${d}`, region: 'R1', district: `D${d}`,
          lat: 28 + d * 0.1 + s * 0.01, lon: 112 + k * 0.001, technology: 'LTE', areaClass: s === 0 ? 'hospital' : areaClass, subscribers: 1500,
        });
      }
    }
  }
  return new Inventory(cells);
}

/** Relative traffic at time t: ~0.05 at 4 am, peaks late morning and evening; weekends a little lower. */
export function traffic(t: number): number {
  const h = ((t % DAY) + DAY) % DAY / HOUR;
  const day = 0.55 + 0.45 * Math.sin(((h - 9) / 24) * 2 * Math.PI);
  const evening = 0.25 * Math.exp(-((h - 20) ** 2) / 6);
  const dow = new Date(t).getUTCDay();
  const weekend = dow === 0 || dow === 6 ? 0.8 : 1;
  return Math.max(0.05, (day * day + evening) * weekend);
}

export interface Fault {
  cellId: string;
  from: number;
  to: number;
  /** Changes the true KPI values of the period ending at `t`. */
  apply: (k: TrueKpis, t: number) => void;
}

export interface TrueKpis {
  rrcFail: number;
  dropRate: number;
  hoFail: number;
  prb: number;
  thr: number;
  availability: number;
}

/**
 * One PM record per cell and period: rates drawn from the binomial with the period's attempts, PRB and
 * throughput with noise that grows as traffic falls.
 */
export function pmEvent(cellId: string, t: number, r: () => number, faults: readonly Fault[] = [], busy = 1): PmEvent {
  const tr = traffic(t) * busy;
  const k: TrueKpis = { rrcFail: 0.006, dropRate: 0.004, hoFail: 0.02, prb: 10 + 65 * tr, thr: 45 - 25 * tr, availability: 100 };
  for (const f of faults) if (f.cellId === cellId && t > f.from && t <= f.to) f.apply(k, t);
  const attempts = Math.max(3, Math.round(1500 * tr * (0.9 + 0.2 * r())));
  const sample = (p: number, n: number) => {
    const mean = n * p;
    return Math.min(n, Math.max(0, Math.round(mean + Math.sqrt(mean * (1 - p)) * gaussian(r))));
  };
  const rrcFails = sample(k.rrcFail, attempts);
  const sessions = Math.max(1, Math.round(attempts * 0.8));
  const drops = sample(k.dropRate, sessions);
  const ho = Math.max(1, Math.round(attempts * 0.3));
  const hoFails = sample(k.hoFail, ho);
  const noise = 1 / Math.sqrt(tr);
  return {
    kind: 'pm', t, cellId, period: 900,
    kpis: {
      rrc_setup_success_rate: 100 * (1 - rrcFails / attempts),
      erab_drop_rate: (100 * drops) / sessions,
      handover_success_rate: 100 * (1 - hoFails / ho),
      prb_dl_utilization: Math.min(100, Math.max(0, k.prb + 2 * noise * gaussian(r))),
      dl_user_throughput_mbps: Math.max(0.1, k.thr + 1.5 * noise * gaussian(r)),
      availability: k.availability,
    },
    attempts: { rrc_setup_success_rate: attempts, erab_drop_rate: sessions, handover_success_rate: ho },
  };
}

export function signalingEvent(cellId: string, t: number, r: () => number, failP = 0.01, procedure: SignalingEvent['procedure'] = 'attach'): SignalingEvent {
  const attempts = Math.max(1, Math.round(400 * traffic(t) * (0.9 + 0.2 * r())));
  const mean = attempts * failP;
  const failures = Math.min(attempts, Math.max(0, Math.round(mean + Math.sqrt(mean * (1 - failP)) * gaussian(r))));
  return { kind: 'signaling', t, cellId, period: 300, procedure, attempts, failures };
}

export interface FeedOptions {
  faults?: readonly Fault[];
  /** Traffic multiplier per cell (default 1). */
  busy?: (cellId: string) => number;
  /** Cells that do not report PM in (from, to]. */
  silent?: { cellId: string; from: number; to: number }[];
  signaling?: boolean;
  /** Failure probability of a cell's signaling at a time (default 1 %). */
  signalingFail?: (cellId: string, t: number) => number;
  /** Changes a PM record before it is observed. */
  edit?: (ev: PmEvent) => void;
}

/**
 * Feeds PM every 15 min (and signaling every 5 min when asked) for all `cells` over (from, to],
 * advancing the stage like the pipeline (watermark 10 min behind the newest event). Returns the
 * transitions it produced.
 */
export function feed(
  det: { observe(ev: PmEvent | SignalingEvent): void; advance(wm: number): void; takeTransitions(): AnomalyTransition[] },
  cells: readonly string[], from: number, to: number, r: () => number, opts: FeedOptions = {},
): AnomalyTransition[] {
  const out: AnomalyTransition[] = [];
  const step = opts.signaling ? 5 * MIN : PM_PERIOD_MS;
  for (let t = from + step; t <= to; t += step) {
    if (opts.signaling) for (const c of cells) det.observe(signalingEvent(c, t, r, opts.signalingFail?.(c, t) ?? 0.01));
    if ((t - T0) % PM_PERIOD_MS === 0) {
      for (const c of cells) {
        if (opts.silent?.some((s) => s.cellId === c && t > s.from && t <= s.to)) continue;
        const ev = pmEvent(c, t, r, opts.faults ?? [], opts.busy?.(c) ?? 1);
        opts.edit?.(ev);
        det.observe(ev);
      }
    }
    det.advance(t); // the pipeline's watermark: the newest event time
    out.push(...det.takeTransitions());
  }
  return out;
}

/** Transitions into `firing` (from pending, or again from resolving). */
export function firings(ts: readonly AnomalyTransition[]): AnomalyTransition[] {
  return ts.filter((t) => t.to === 'firing' && t.from === 'pending');
}
