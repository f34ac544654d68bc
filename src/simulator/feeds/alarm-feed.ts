/**
 * Alarms as an OMC's northbound interface sends them: a background of flapping minor alarms (a few
 * cells with a marginal VSWR that raise and clear all day) and warnings that clear on their own,
 * plus the alarms faults raise at their start and clear at their end. Clears are sometimes lost, as
 * in real networks: a raised alarm without a clear does not prove a fault is still there.
 */
import type { AlarmObjectType, AlarmSeverity } from '../../model/index.js';
import { MINUTE } from '../../model/index.js';
import { FAULT_ALARMS, type Fault } from '../faults.js';
import type { SimNetwork } from '../network.js';
import { Rng } from '../prng.js';

export interface AlarmRecordOut {
  alarmId: string;
  objectType: AlarmObjectType;
  objectId: string;
  severity: AlarmSeverity;
  probableCause: string;
  specificProblem: string;
  alarmType: string;
  eventTime: string;
}

/** An alarm (raise or clear) with its event time, before its time is formatted. */
export interface TimedAlarm {
  t: number;
  alarm: Omit<AlarmRecordOut, 'eventTime'>;
}

interface BackgroundKind {
  on: 'cell' | 'site' | 'transport';
  severity: AlarmSeverity;
  probableCause: string;
  specificProblem: string;
  alarmType: string;
  weight: number;
}

const BACKGROUND: readonly BackgroundKind[] = [
  { on: 'site', severity: 'warning', probableCause: 'high_temperature', specificProblem: 'Board temperature above threshold', alarmType: 'environmental', weight: 35 },
  { on: 'site', severity: 'minor', probableCause: 'fan_failure', specificProblem: 'Fan speed abnormal', alarmType: 'equipment', weight: 15 },
  { on: 'cell', severity: 'warning', probableCause: 'license_capacity', specificProblem: 'Licensed capacity nearly exhausted', alarmType: 'quality_of_service', weight: 25 },
  { on: 'site', severity: 'warning', probableCause: 'clock_sync_degraded', specificProblem: 'GPS clock synchronisation degraded', alarmType: 'equipment', weight: 20 },
  { on: 'transport', severity: 'minor', probableCause: 'link_errors', specificProblem: 'Transmission bit error rate above threshold', alarmType: 'communications', weight: 5 },
];
const BACKGROUND_TOTAL = BACKGROUND.reduce((s, k) => s + k.weight, 0);
const FLAP = { probableCause: 'vswr_over_threshold', specificProblem: 'VSWR over threshold', alarmType: 'equipment' } as const;

export interface AlarmFeedOptions {
  /** Share of a fault's clears (and half that share of background clears) that never arrive. */
  missingClearProbability: number;
  /** Background warnings per site per day. */
  warningsPerSiteDay: number;
  /** Share of cells with a flapping minor alarm. */
  flappingShare: number;
}

export const DEFAULT_ALARM_OPTIONS: AlarmFeedOptions = {
  missingClearProbability: 0.1,
  warningsPerSiteDay: 0.15,
  flappingShare: 0.004,
};

export class AlarmFeed {
  private readonly rng = new Rng(0);
  private readonly flappers: number[];
  /** Next toggle time per flapper; NaN until the first tick. */
  private readonly nextToggle: Float64Array;
  /** Id of the flapper's raised alarm, or null when clear. */
  private readonly raised: (string | null)[];
  private tickId = '';
  private seq = 0;

  constructor(
    private readonly net: SimNetwork,
    private readonly seed: number,
    private readonly idTag: string,
    private readonly opts: AlarmFeedOptions = DEFAULT_ALARM_OPTIONS,
  ) {
    const rng = new Rng(seed, 0xf1a9);
    const n = net.cells.length;
    const count = Math.max(1, Math.round(n * opts.flappingShare));
    const set = new Set<number>();
    while (set.size < Math.min(count, n)) set.add(rng.int(n));
    this.flappers = [...set].sort((a, b) => a - b);
    this.nextToggle = new Float64Array(this.flappers.length).fill(Number.NaN);
    this.raised = this.flappers.map(() => null);
  }

  /** Starts a tick: alarm ids of this tick are `OMC<region>-<tag><tick>-<n>`. */
  beginTick(tickIndex: number): void {
    this.tickId = tickIndex.toString(36);
    this.seq = 0;
    this.rng.reseed(this.seed, 0xa1a, tickIndex);
  }

  private nextId(region: number): string {
    return `OMC${region + 1}-${this.idTag}${this.tickId}-${this.seq++}`;
  }

  /** Background alarms in (a, b]: raises and clears of flappers, new warnings (their clears in `later`). */
  background(a: number, b: number, now: TimedAlarm[], later: TimedAlarm[]): void {
    const { rng, net } = this;
    this.flappers.forEach((ci, k) => {
      if (Number.isNaN(this.nextToggle[k])) this.nextToggle[k] = a + rng.exponential(45 * MINUTE);
      while (this.nextToggle[k] <= b) {
        const t = Math.round(this.nextToggle[k]);
        const cell = net.cells[ci];
        const id = this.raised[k];
        if (id === null) {
          const alarmId = this.nextId(net.cellRegion[ci]);
          this.raised[k] = alarmId;
          now.push({ t, alarm: { alarmId, objectType: 'cell', objectId: cell.cellId, severity: 'minor', ...FLAP } });
          this.nextToggle[k] = t + rng.exponential(8 * MINUTE) + MINUTE;
        } else {
          this.raised[k] = null;
          if (!rng.chance(this.opts.missingClearProbability / 2)) {
            now.push({ t, alarm: { alarmId: id, objectType: 'cell', objectId: cell.cellId, severity: 'cleared', ...FLAP } });
          }
          this.nextToggle[k] = t + rng.exponential(45 * MINUTE) + MINUTE;
        }
      }
    });
    const count = rng.poisson((net.sites.length * this.opts.warningsPerSiteDay * (b - a)) / (1440 * MINUTE));
    for (let i = 0; i < count; i++) {
      let w = rng.next() * BACKGROUND_TOTAL;
      let kind = BACKGROUND[0];
      for (const k of BACKGROUND) if ((w -= k.weight) < 0) { kind = k; break; }
      const site = net.sites[rng.int(net.sites.length)];
      const ci = site.cells[rng.int(site.cells.length)];
      const objectId = kind.on === 'cell' ? net.cells[ci].cellId : kind.on === 'site' ? site.siteId : net.transports[site.transport].transportId;
      const t = Math.round(a + rng.next() * (b - a));
      const { on: _on, weight: _w, ...rest } = kind;
      const alarm = { ...rest, alarmId: this.nextId(net.cellRegion[ci]), objectType: kind.on, objectId };
      now.push({ t, alarm });
      if (!rng.chance(this.opts.missingClearProbability / 2)) {
        later.push({ t: t + Math.round(rng.logNormal(20 * MINUTE, 0.8)), alarm: { ...alarm, severity: 'cleared' } });
      }
    }
  }

  /**
   * The alarms a fault raises (a few seconds to a minute after it starts) and the clears that follow
   * its end; each clear is lost with `missingClearProbability`.
   */
  faultAlarms(fault: Fault, raises: TimedAlarm[], clears: TimedAlarm[]): void {
    const { rng, net } = this;
    const region = net.regions.findIndex((r) => r.name === fault.region);
    for (const spec of FAULT_ALARMS[fault.kind]) {
      const objects: { type: AlarmObjectType; id: string }[] = [];
      if (spec.on === 'root') objects.push({ type: fault.root.type as AlarmObjectType, id: fault.root.id });
      else if (spec.on === 'core') {
        const core = net.regions[region].coreElements;
        objects.push({ type: 'core', id: core.mme }, { type: 'core', id: core.amf });
      } else {
        const sites = new Set(fault.cells.map((ci) => net.cellSite[ci]));
        for (const si of sites) objects.push({ type: 'site', id: net.sites[si].siteId });
      }
      for (const o of objects) {
        const alarm = {
          alarmId: this.nextId(Math.max(0, region)), objectType: o.type, objectId: o.id, severity: spec.severity,
          probableCause: spec.probableCause, specificProblem: spec.specificProblem, alarmType: spec.alarmType,
        };
        raises.push({ t: fault.start + 2_000 + rng.int(60_000), alarm });
        if (!rng.chance(this.opts.missingClearProbability)) {
          clears.push({ t: fault.end + 2_000 + rng.int(90_000), alarm: { ...alarm, severity: 'cleared' } });
        }
      }
    }
  }
}
