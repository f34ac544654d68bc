/**
 * What the active faults do to each cell during one measurement window: the knobs the feed
 * generators turn. Sparse (only touched cells have an entry) and weighted by how much of the window
 * each fault covers, so a fault that starts mid-period shows as a partial drop, as real counters do.
 */
import type { FeedContext } from './cell-load.js';
import { overlapFraction, type Fault } from './faults.js';
import { prbOfDemand } from './feeds/pm-feed.js';

export interface CellEffect {
  /** Share of the window the cell was out of service (0..1). */
  down: number;
  /** Share of the window the cell could not even report (site power, transport): no PM, no signaling. */
  dark: number;
  /** Multiplier on offered traffic (congestion: more demand than the cell can carry). */
  loadMult: number;
  /** Multiplier on the bearer drop probability (interference). */
  dropMult: number;
  rrcFailAdd: number;
  erabFailAdd: number;
  hoFailAdd: number;
  volteDropAdd: number;
  /** Multiplier on user throughput. */
  tpMult: number;
  /** Added PRB utilisation, percentage points (retransmissions under interference). */
  prbAdd: number;
  /**
   * External uplink interference power, as a multiple of the receiver's thermal noise, averaged over
   * the window: it lifts the cell's uplink noise floor (`ul_interference_dbm`) whatever its traffic.
   */
  ulIntf: number;
  /** Added failure probability of core-handled signaling procedures (attach, registration…). */
  coreFailAdd: number;
  /** Dial-test-only degradation knobs. */
  dialFailAdd: number;
  dialLatencyMult: number;
  dialTpMult: number;
  mosDrop: number;
}

/** A cell no fault touches. */
export function neutralEffect(): CellEffect {
  return {
    down: 0, dark: 0, loadMult: 1, dropMult: 1, rrcFailAdd: 0, erabFailAdd: 0, hoFailAdd: 0, volteDropAdd: 0,
    tpMult: 1, prbAdd: 0, ulIntf: 0, coreFailAdd: 0, dialFailAdd: 0, dialLatencyMult: 1, dialTpMult: 1, mosDrop: 0,
  };
}

/** Adds one fault's effect, covering share `f` of the window, to a cell's effect. */
export function applyFault(e: CellEffect, fault: Fault, f: number): void {
  const s = fault.severity;
  switch (fault.kind) {
    case 'cell_outage':
      e.down = Math.min(1, e.down + f);
      break;
    case 'site_outage':
    case 'transport_outage':
      e.down = Math.min(1, e.down + f);
      e.dark = Math.min(1, e.dark + f);
      break;
    case 'interference':
      // An external interferer: lifts an idle receiver's noise floor by 2 dB (faint) to 14 dB (full severity).
      e.ulIntf += f * (10 ** ((2 + 12 * s) / 10) - 1);
      e.dropMult *= 1 + f * (3 + 12 * s);
      e.rrcFailAdd += f * 0.025 * s;
      e.hoFailAdd += f * 0.1 * s;
      e.volteDropAdd += f * 0.03 * s;
      e.tpMult *= 1 - f * 0.4 * s;
      e.prbAdd += f * 8 * s;
      e.dialFailAdd += f * 0.05 * s;
      e.mosDrop += f * 0.8 * s;
      break;
    case 'congestion':
      e.loadMult *= 1 + f * (1 + 1.5 * s);
      break;
    case 'core_signaling_failure':
      e.coreFailAdd += f * (0.15 + 0.45 * s);
      e.erabFailAdd += f * 0.04 * s;
      e.dialFailAdd += f * 0.3 * s;
      break;
    case 'dialtest_degradation':
      e.dialFailAdd += f * (0.25 + 0.5 * s);
      e.dialLatencyMult *= 1 + f * 4 * s;
      e.dialTpMult *= 1 - f * 0.75 * s;
      e.mosDrop += f * 1.5 * s;
      break;
    case 'coverage_hole':
      // Seen only through complaints: the network's own counters cannot see where it has no cells.
      break;
  }
}

/** The effects of `faults` on every cell they touch during the window (a, b]. */
export function effectsFor(faults: Iterable<Fault>, a: number, b: number): Map<number, CellEffect> {
  const out = new Map<number, CellEffect>();
  for (const fault of faults) {
    if (fault.kind === 'coverage_hole') continue;
    const f = overlapFraction(fault, a, b);
    if (f <= 0) continue;
    for (const ci of fault.cells) {
      let e = out.get(ci);
      if (!e) out.set(ci, (e = neutralEffect()));
      applyFault(e, fault, f);
    }
  }
  return out;
}

/**
 * PRB utilisation (%) from which a cell counts as congested: the busy-hour mark operators plan
 * capacity by. Below it the cell carries its users well; above it admission control and per-user
 * throughput start to suffer.
 */
export const CONGESTED_PRB_MARK = 85;

/**
 * The PRB utilisation (%) cell `ci` would run at, at `t`, under a congestion fault covering share `f`
 * of the period: its usual load for that time of day times the fault's demand (noise aside).
 */
export function congestedPrb(fault: Fault, ci: number, t: number, ctx: FeedContext, f = 1): number {
  const e = neutralEffect();
  applyFault(e, fault, f);
  return prbOfDemand(ctx.prof.loadRatio[ci] * ctx.load.at(ci, t) * e.loadMult);
}

/**
 * When a congestion fault starts to congest: the start of the first `periodMs` measurement period in
 * which its extra demand fills one of its cells to `CONGESTED_PRB_MARK`. Tripled demand at 03:00
 * leaves a cell with room: the counters show a demand rise, customers notice nothing (the complaint
 * feed asks the same `congestedPrb`), and the fault is a congestion only from the busy hours on.
 * Null when it never fills a cell before it ends.
 */
export function congestionOnset(fault: Fault, ctx: FeedContext, periodMs: number): number | null {
  for (let a = Math.floor(fault.start / periodMs) * periodMs; a < fault.end; a += periodMs) {
    const f = overlapFraction(fault, a, a + periodMs);
    if (f <= 0) continue;
    for (const ci of fault.cells) {
      if (congestedPrb(fault, ci, a + periodMs / 2, ctx, f) >= CONGESTED_PRB_MARK) return Math.max(a, fault.start);
    }
  }
  return null;
}
