/**
 * How busy a cell is at a given event time, relative to its busy hour (≈ 1.0 at the weekday peak):
 * a daily curve per area class (offices peak mid-morning and mid-afternoon, homes in the evening,
 * transport hubs at the commutes, scenic spots at weekend middays) and a weekly one (weekends empty
 * the business district and fill the scenic spots). Curves are sums of smooth bumps over local
 * hours, tabulated every 5 minutes for every day of the week.
 */
import { AREA_CLASSES, type AreaClass } from '../model/index.js';
import { DAY, MINUTE } from '../model/index.js';

/** [centre hour, width in hours, amplitude] */
type Bump = readonly [number, number, number];

interface DayShape {
  floor: number;
  bumps: readonly Bump[];
}

interface AreaProfile {
  weekday: DayShape;
  saturday: DayShape;
  sunday: DayShape;
  /** Friday evenings are busier for leisure and travel. */
  fridayEvening?: number;
}

const PROFILES: Record<AreaClass, AreaProfile> = {
  residential: {
    weekday: { floor: 0.05, bumps: [[8, 1.2, 0.4], [12.5, 1.5, 0.45], [21, 2.2, 0.95]] },
    saturday: { floor: 0.06, bumps: [[10.5, 2, 0.6], [15, 2.5, 0.65], [21, 2.2, 1.0]] },
    sunday: { floor: 0.06, bumps: [[10.5, 2, 0.65], [15, 2.5, 0.7], [20.5, 2.2, 0.95]] },
    fridayEvening: 0.05,
  },
  core_business: {
    weekday: { floor: 0.04, bumps: [[10.2, 1.4, 0.95], [12.5, 0.8, 0.55], [15.2, 1.6, 0.98], [19, 1.2, 0.35]] },
    saturday: { floor: 0.04, bumps: [[14.5, 3, 0.5], [19.5, 1.5, 0.4]] },
    sunday: { floor: 0.04, bumps: [[14.5, 3, 0.45], [19, 1.5, 0.3]] },
  },
  transport_hub: {
    weekday: { floor: 0.08, bumps: [[8, 1, 1.0], [12.5, 3, 0.55], [18, 1.2, 0.95]] },
    saturday: { floor: 0.08, bumps: [[10, 2.5, 0.7], [17, 2.5, 0.75]] },
    sunday: { floor: 0.08, bumps: [[11, 2.5, 0.7], [18.5, 2, 0.95]] },
    fridayEvening: 0.3,
  },
  hospital: {
    weekday: { floor: 0.15, bumps: [[10, 2, 0.85], [15, 2.5, 0.8]] },
    saturday: { floor: 0.15, bumps: [[10.5, 2.5, 0.6], [15, 2.5, 0.55]] },
    sunday: { floor: 0.15, bumps: [[10.5, 2.5, 0.55], [15, 2.5, 0.5]] },
  },
  government: {
    weekday: { floor: 0.04, bumps: [[10, 1.5, 0.95], [15, 1.8, 0.95]] },
    saturday: { floor: 0.04, bumps: [[11, 2.5, 0.22]] },
    sunday: { floor: 0.04, bumps: [[11, 2.5, 0.18]] },
  },
  campus: {
    weekday: { floor: 0.06, bumps: [[10, 1.5, 0.6], [15, 2, 0.6], [21.5, 1.6, 1.0]] },
    saturday: { floor: 0.08, bumps: [[13, 3, 0.55], [21.5, 1.8, 0.85]] },
    sunday: { floor: 0.08, bumps: [[13, 3, 0.55], [21.5, 1.8, 0.9]] },
  },
  industrial: {
    weekday: { floor: 0.22, bumps: [[10, 2, 0.75], [15, 2, 0.75]] },
    saturday: { floor: 0.18, bumps: [[11, 2.5, 0.4], [15, 2.5, 0.35]] },
    sunday: { floor: 0.15, bumps: [[12, 3, 0.3]] },
  },
  rural: {
    weekday: { floor: 0.04, bumps: [[7.5, 1.2, 0.35], [12.5, 1.5, 0.4], [20, 1.8, 0.95]] },
    saturday: { floor: 0.04, bumps: [[10, 2, 0.45], [20, 1.8, 1.0]] },
    sunday: { floor: 0.04, bumps: [[10, 2, 0.45], [20, 1.8, 0.95]] },
  },
  highway: {
    weekday: { floor: 0.06, bumps: [[8, 1.2, 0.9], [13, 3, 0.55], [17.8, 1.3, 1.0]] },
    saturday: { floor: 0.06, bumps: [[10, 2.5, 0.95], [16, 2.5, 0.9]] },
    sunday: { floor: 0.06, bumps: [[11, 2.5, 0.8], [17, 2.5, 1.15]] },
    fridayEvening: 0.25,
  },
  scenic: {
    weekday: { floor: 0.03, bumps: [[11, 2, 0.45], [15, 2, 0.4]] },
    saturday: { floor: 0.03, bumps: [[11, 2.2, 1.0], [15, 2.2, 0.95]] },
    sunday: { floor: 0.03, bumps: [[11, 2.2, 0.95], [15, 2.2, 0.85]] },
  },
};

const SLOT_MS = 5 * MINUTE;
const SLOTS_PER_DAY = DAY / SLOT_MS;
const WEEK_SLOTS = 7 * SLOTS_PER_DAY;

/** Distance between two hours of the day, around the clock. */
function hourGap(a: number, b: number): number {
  const d = Math.abs(a - b) % 24;
  return d > 12 ? 24 - d : d;
}

function shapeAt(shape: DayShape, hour: number): number {
  let v = shape.floor;
  for (const [c, w, amp] of shape.bumps) {
    const z = hourGap(hour, c) / w;
    v += amp * Math.exp(-0.5 * z * z);
  }
  return v;
}

/** Relative load of an area class at a local weekday (0 = Sunday) and hour (fractional). */
export function profileLoad(area: AreaClass, dow: number, hour: number): number {
  const p = PROFILES[area];
  const shape = dow === 0 ? p.sunday : dow === 6 ? p.saturday : p.weekday;
  let v = shapeAt(shape, hour);
  if (dow === 5 && p.fridayEvening) v += p.fridayEvening * Math.exp(-0.5 * (hourGap(hour, 19) / 2) ** 2);
  return v;
}

export class TrafficModel {
  /** [area][slot of the week], slots of 5 minutes starting Sunday 00:00 local. */
  private readonly table: Float32Array;
  private readonly offsetMs: number;

  constructor(utcOffsetMinutes: number) {
    this.offsetMs = utcOffsetMinutes * MINUTE;
    this.table = new Float32Array(AREA_CLASSES.length * WEEK_SLOTS);
    AREA_CLASSES.forEach((area, a) => {
      for (let s = 0; s < WEEK_SLOTS; s++) {
        const dow = Math.floor(s / SLOTS_PER_DAY);
        const hour = ((s % SLOTS_PER_DAY) + 0.5) * (24 / SLOTS_PER_DAY);
        this.table[a * WEEK_SLOTS + s] = profileLoad(area, dow, hour);
      }
    });
  }

  /** Local day number (days since 1970-01-01 local): keys per-day variation. */
  localDay(t: number): number {
    return Math.floor((t + this.offsetMs) / DAY);
  }

  /** Local hour of day, fractional. */
  localHour(t: number): number {
    const ms = (((t + this.offsetMs) % DAY) + DAY) % DAY;
    return ms / 3_600_000;
  }

  /** Local day of the week, 0 = Sunday (1970-01-01 was a Thursday). */
  dayOfWeek(t: number): number {
    return (((this.localDay(t) + 4) % 7) + 7) % 7;
  }

  /** The slot-of-week index of the 5-minute slot containing `t`. */
  slotOfWeek(t: number): number {
    const local = t + this.offsetMs;
    const s = Math.floor(local / SLOT_MS) + 4 * SLOTS_PER_DAY; // epoch day 0 was a Thursday
    return ((s % WEEK_SLOTS) + WEEK_SLOTS) % WEEK_SLOTS;
  }

  /** Relative load of area class index `areaIdx` in the 5-minute slot containing `t`. */
  load(areaIdx: number, t: number): number {
    return this.table[areaIdx * WEEK_SLOTS + this.slotOfWeek(t)];
  }

  /** Same, with the slot already computed (the per-cell loop computes it once per period). */
  loadAtSlot(areaIdx: number, slot: number): number {
    return this.table[areaIdx * WEEK_SLOTS + slot];
  }
}
