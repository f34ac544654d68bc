/**
 * A cell's offered load at a moment: its area class's daily and weekly curve, times a factor that
 * changes from day to day (no two Tuesdays are the same), times the fault's traffic multiplier.
 * Day factors for all cells are drawn once per local day, not per record.
 */
import type { CellProfiles } from './cell-profiles.js';
import type { SimNetwork } from './network.js';
import { Rng } from './prng.js';
import type { TrafficModel } from './traffic-model.js';

/** What every feed generator reads: the network, its cells' radio character, their load, the seed. */
export interface FeedContext {
  net: SimNetwork;
  prof: CellProfiles;
  load: CellLoad;
  seed: number;
}

/** What a loop over all cells for one measurement period needs, computed once per period. */
export interface PeriodLoad {
  traffic: TrafficModel;
  /** The 5-minute slot of the week at the period's middle. */
  slot: number;
  /** Per-cell day factors of that day. */
  dayF: Float32Array;
}

export class CellLoad {
  private day = Number.NaN;
  private readonly dayFactor: Float32Array;
  private readonly rng = new Rng(0);

  constructor(
    readonly traffic: TrafficModel,
    private readonly profiles: CellProfiles,
    private readonly seed: number,
  ) {
    this.dayFactor = new Float32Array(profiles.area.length);
  }

  /** Per-cell factors for the local day containing `t` (≈ 1 ± 7 %). */
  factors(t: number): Float32Array {
    const day = this.traffic.localDay(t);
    if (day !== this.day) {
      this.day = day;
      this.rng.reseed(this.seed, 0xda7, day);
      for (let i = 0; i < this.dayFactor.length; i++) this.dayFactor[i] = Math.exp(0.07 * this.rng.normal());
    }
    return this.dayFactor;
  }

  /** The load context of the measurement period of `periodS` seconds ending at `periodEnd`. */
  period(periodEnd: number, periodS: number): PeriodLoad {
    const mid = periodEnd - (periodS * 1000) / 2;
    return { traffic: this.traffic, slot: this.traffic.slotOfWeek(mid), dayF: this.factors(mid) };
  }

  /** Load of cell `ci` at `t` relative to its busy hour, without per-period jitter. */
  at(ci: number, t: number): number {
    return this.traffic.load(this.profiles.area[ci], t) * this.factors(t)[ci];
  }
}
