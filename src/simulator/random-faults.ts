/**
 * A steady supply of faults for the demo and for long runs: a Poisson process in event time with a
 * realistic mix (outages common, region-wide core failures rare) and kind-typical durations. Drawn
 * hour by hour from the seed, so the same run gets the same faults. A fault is skipped when its cells
 * are already in trouble, which keeps the ground truth unambiguous for scoring.
 */
import { HOUR, MINUTE } from '../model/index.js';
import { buildFault, type TargetContext } from './fault-targets.js';
import { conflicts, type Fault, type FaultKind } from './faults.js';
import { Rng, WeightedChoice } from './prng.js';

const KIND_MIX = new WeightedChoice<FaultKind>({
  cell_outage: 20, site_outage: 15, transport_outage: 6, interference: 15, congestion: 10,
  core_signaling_failure: 3, dialtest_degradation: 8, coverage_hole: 4,
});

/** [median, min, max] duration per kind. */
const DURATION: Record<FaultKind, readonly [number, number, number]> = {
  cell_outage: [60 * MINUTE, 20 * MINUTE, 6 * HOUR],
  site_outage: [90 * MINUTE, 30 * MINUTE, 8 * HOUR],
  transport_outage: [60 * MINUTE, 20 * MINUTE, 4 * HOUR],
  interference: [6 * HOUR, 2 * HOUR, 24 * HOUR],
  congestion: [18 * HOUR, 8 * HOUR, 48 * HOUR],
  core_signaling_failure: [30 * MINUTE, 15 * MINUTE, 90 * MINUTE],
  dialtest_degradation: [3 * HOUR, 1 * HOUR, 12 * HOUR],
  coverage_hole: [5 * 24 * HOUR, 2 * 24 * HOUR, 10 * 24 * HOUR],
};

/** Faults on the same cells closer than this are not generated (they would blur the ground truth). */
export const SEPARATION = 2 * HOUR;

export interface RandomFaultOptions {
  perDay: number;
  seed: number;
  /** No random faults before this event time (warm-up lets detectors learn baselines). */
  from: number;
  /** A site outage at this event time, so the demo shows an incident soon after warm-up. */
  kickoffAt?: number;
}

export class RandomFaultGenerator {
  private nextHour: number;
  private kickoffDone = false;

  constructor(private readonly opts: RandomFaultOptions) {
    this.nextHour = Math.floor(opts.from / HOUR);
  }

  /**
   * Faults starting before `until` not generated yet. `existing` are the faults already known (to
   * keep new ones off their cells).
   */
  generate(until: number, ctx: Omit<TargetContext, 'rng'>, existing: readonly Fault[]): Fault[] {
    const out: Fault[] = [];
    const { kickoffAt } = this.opts;
    if (!this.kickoffDone && kickoffAt !== undefined && kickoffAt < until) {
      this.kickoffDone = true;
      const rng = new Rng(this.opts.seed, 0x1c0f);
      const spec = { id: `R-${Math.floor(kickoffAt / MINUTE).toString(36)}-0`, kind: 'site_outage' as const, start: kickoffAt, end: kickoffAt + 75 * MINUTE, severity: 1, source: 'random' as const };
      // A busy downtown site makes the first incident obvious, with complaints; any site will do.
      const hasCentre = ctx.net.cells.some((c) => c.areaClass === 'core_business');
      const f = buildFault(spec, hasCentre ? { areaClass: 'core_business' } : {}, { ...ctx, rng });
      if (this.fits(f, existing, out)) out.push(f);
    }
    if (this.opts.perDay <= 0) return out;
    while ((this.nextHour + 1) * HOUR <= until) {
      const hour = this.nextHour++;
      const rng = new Rng(this.opts.seed, 0xfa17, hour);
      const n = rng.poisson(this.opts.perDay / 24);
      for (let k = 0; k < n; k++) {
        const kind = KIND_MIX.sample(rng);
        const [median, lo, hi] = DURATION[kind];
        const duration = Math.round(Math.min(hi, Math.max(lo, rng.logNormal(median, 0.5))) / MINUTE) * MINUTE;
        const start = hour * HOUR + Math.round(rng.next() * 60) * MINUTE;
        if (start < this.opts.from) continue;
        const severity = kind.endsWith('outage') ? 1 : Math.round(rng.uniform(0.5, 1) * 100) / 100;
        const fault = buildFault(
          { id: `R-${Math.floor(start / MINUTE).toString(36)}-${k + 1}`, kind, start, end: start + duration, severity, source: 'random' },
          {}, { ...ctx, rng },
        );
        if (this.fits(fault, existing, out)) out.push(fault);
      }
    }
    return out;
  }

  private fits(f: Fault, existing: readonly Fault[], fresh: readonly Fault[]): boolean {
    return !conflicts(f, existing, SEPARATION) && !conflicts(f, fresh, SEPARATION);
  }
}
