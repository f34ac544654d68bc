/**
 * The simulation engine: advances event time in 5-minute ticks and, for each tick, produces every
 * feed's records — signaling every tick, PM every third, dial tests at their probes' minutes, alarms
 * and complaints when they happen (complaints held back until they arrive) — with the active faults
 * applied. Pure and synchronous: no clock, no I/O; callers decide how fast event time moves and where
 * records go (the demo's IngestPort, HTTP, a benchmark counter). Deterministic for a seed and start,
 * whatever step sizes the caller uses.
 */
import type { Feed } from '../model/index.js';
import { MINUTE } from '../model/index.js';
import { buildCellProfiles, type CellProfiles } from './cell-profiles.js';
import { CellLoad, type FeedContext } from './cell-load.js';
import { applyFault, congestionOnset, effectsFor, neutralEffect, type CellEffect } from './fault-effects.js';
import type { Fault } from './faults.js';
import { AlarmFeed, DEFAULT_ALARM_OPTIONS, type AlarmFeedOptions, type TimedAlarm } from './feeds/alarm-feed.js';
import { ComplaintFeed, DEFAULT_COMPLAINT_OPTIONS, type ComplaintFeedOptions, type PendingComplaint } from './feeds/complaint-feed.js';
import { DialTestFeed, placeProbes, type DialTestRecordOut, type Probe } from './feeds/dialtest-feed.js';
import { PmFeed } from './feeds/pm-feed.js';
import { DEFAULT_PROCEDURES, SignalingFeed } from './feeds/signaling-feed.js';
import { TruthRecorder, type GroundTruthJson } from './ground-truth.js';
import { networkLookup, type NetworkLookup, type SimNetwork } from './network.js';
import { hash32 } from './prng.js';
import { RandomFaultGenerator } from './random-faults.js';
import { LocalTimeFormat } from './time-format.js';
import { TimeQueue } from './time-queue.js';
import { TrafficModel } from './traffic-model.js';
import { HUNAN_UTC_OFFSET_MINUTES } from './place-names.js';

export const TICK_MS = 5 * MINUTE;
export const PM_PERIOD_MS = 15 * MINUTE;
/** Cells per generated chunk: bounds memory at 300,000 cells and fixes where random streams restart. */
export const CELL_CHUNK = 1024;

/** Receives each feed's records in event-time order per feed. Must not keep `records` past the call unless it copies. */
export type RecordSink = (feed: Feed, records: object[]) => void;

export interface NetworkSimulatorOptions {
  network: SimNetwork;
  seed: number;
  /** Event time the simulation starts at; rounded down to a 15-minute boundary. */
  start: number;
  /** End of warm-up: scenario offsets count from here, random faults start here. Default: `start`. */
  scoreFrom?: number;
  /** Faults from a scenario, already resolved against the network. */
  faults?: readonly Fault[];
  /** Random faults per simulated day from `scoreFrom` (0: none). */
  randomFaultsPerDay?: number;
  /** Start the random faults with a site outage shortly after warm-up (the demo). */
  kickoff?: boolean;
  utcOffsetMinutes?: number;
  /** Feeds to produce (all by default). */
  feeds?: Partial<Record<Feed, boolean>>;
  /** Send PM counters alongside the KPIs (default true). */
  pmCounters?: boolean;
  signalingProcedures?: typeof DEFAULT_PROCEDURES;
  complaints?: Partial<ComplaintFeedOptions>;
  alarms?: Partial<AlarmFeedOptions>;
}

/** A feed that reports every cell every period (PM, signaling). */
interface PerCellFeed {
  generate(periodEnd: number, time: string, effects: Map<number, CellEffect>, from: number, to: number, out: object[]): void;
}

type Pending = { feed: 'alarms'; alarm: TimedAlarm['alarm'] } | { feed: 'complaints'; c: PendingComplaint };

export class NetworkSimulator {
  readonly network: SimNetwork;
  readonly probes: readonly Probe[];
  readonly start: number;
  readonly scoreFrom: number;
  private readonly profiles: CellProfiles;
  private readonly feedContext: FeedContext;
  private readonly lookup: NetworkLookup;
  private readonly fmt: LocalTimeFormat;
  private readonly feedsOn: Record<Feed, boolean>;
  private readonly pm: PmFeed;
  private readonly signaling: SignalingFeed;
  private readonly dialtests: DialTestFeed;
  private readonly alarms: AlarmFeed;
  private readonly complaints: ComplaintFeed;
  private readonly random: RandomFaultGenerator | null;
  private readonly truthRec: TruthRecorder;
  private readonly queue = new TimeQueue<Pending>();
  /** All faults known so far (scenario + random), by start. */
  private readonly allFaults: Fault[] = [];
  private readonly activated = new Set<string>();
  private readonly cellSets = new WeakMap<Fault, Set<number>>();
  private tickEnd: number;
  private emitted = 0;

  constructor(opts: NetworkSimulatorOptions) {
    const net = opts.network;
    this.network = net;
    this.start = Math.floor(opts.start / PM_PERIOD_MS) * PM_PERIOD_MS;
    this.scoreFrom = opts.scoreFrom ?? this.start;
    this.tickEnd = this.start + TICK_MS;
    const idTag = hash32(opts.seed).toString(36).slice(0, 3);
    this.fmt = new LocalTimeFormat(opts.utcOffsetMinutes ?? HUNAN_UTC_OFFSET_MINUTES);
    this.profiles = buildCellProfiles(net, opts.seed);
    this.lookup = networkLookup(net);
    const traffic = new TrafficModel(opts.utcOffsetMinutes ?? HUNAN_UTC_OFFSET_MINUTES);
    const load = new CellLoad(traffic, this.profiles, opts.seed);
    const f = opts.feeds ?? {};
    this.feedsOn = {
      pm: f.pm ?? true, signaling: f.signaling ?? true, dialtest: f.dialtest ?? true,
      alarms: f.alarms ?? true, complaints: f.complaints ?? true,
    };
    const scenarioFaults = [...(opts.faults ?? [])];
    const mustProbe = scenarioFaults.filter((x) => x.kind === 'dialtest_degradation').flatMap((x) => x.cells);
    this.probes = placeProbes(net, opts.seed, mustProbe);
    const ctx = { net, prof: this.profiles, load, seed: opts.seed };
    this.feedContext = ctx;
    this.pm = new PmFeed(ctx, opts.pmCounters ?? true);
    this.signaling = new SignalingFeed(ctx, opts.signalingProcedures ?? DEFAULT_PROCEDURES);
    this.dialtests = new DialTestFeed(ctx, this.probes, idTag);
    this.alarms = new AlarmFeed(net, opts.seed, idTag, { ...DEFAULT_ALARM_OPTIONS, ...opts.alarms });
    this.complaints = new ComplaintFeed(ctx, idTag, { ...DEFAULT_COMPLAINT_OPTIONS, ...opts.complaints });
    this.truthRec = new TruthRecorder(net, { seed: opts.seed, from: this.start, scoreFrom: this.scoreFrom });
    const perDay = opts.randomFaultsPerDay ?? 0;
    this.random = perDay > 0 || opts.kickoff
      ? new RandomFaultGenerator({ perDay, seed: opts.seed, from: this.scoreFrom, kickoffAt: opts.kickoff ? this.scoreFrom + 10 * MINUTE : undefined })
      : null;
    for (const fault of scenarioFaults) this.addFault(fault);
  }

  /** Event time generated so far: every record with an earlier time has been emitted. */
  get time(): number {
    return this.tickEnd - TICK_MS;
  }

  /** Records emitted so far, all feeds. */
  get recordCount(): number {
    return this.emitted;
  }

  /** Faults known so far (scenario and random), by start time. */
  faults(): readonly Fault[] {
    return this.allFaults;
  }

  /** Adds a fault (e.g. one resolved from a scenario after construction). */
  addFault(fault: Fault): void {
    if (fault.kind === 'congestion' && fault.congestedFrom === undefined) fault.congestedFrom = congestionOnset(fault, this.feedContext, PM_PERIOD_MS);
    this.allFaults.push(fault);
    this.allFaults.sort((a, b) => a.start - b.start);
    this.truthRec.addFault(fault);
  }

  /** The ground truth up to the event time reached. */
  truth(): GroundTruthJson {
    return this.truthRec.toJson(this.time);
  }

  /** Generates every tick ending at or before `until`, handing records to `sink`. Returns records emitted. */
  runUntil(until: number, sink: RecordSink): number {
    const before = this.emitted;
    for (const [feed, records] of this.generate(until)) sink(feed, records);
    return this.emitted - before;
  }

  /**
   * The same, as a lazy sequence of (feed, records) chunks: a caller that delivers asynchronously can
   * pause between chunks, so a 300,000-cell tick is never all in memory at once.
   */
  *generate(until: number): Generator<[Feed, object[]]> {
    while (this.tickEnd <= until) {
      yield* this.tick(this.tickEnd - TICK_MS, this.tickEnd);
      this.tickEnd += TICK_MS;
    }
  }

  /** A per-cell feed's records for the period ending at `b`, chunk by chunk (chunks fix where random streams restart). */
  private *perCell(feed: Feed, b: number, effects: Map<number, CellEffect>, gen: PerCellFeed): Generator<[Feed, object[]]> {
    const n = this.network.cells.length;
    const time = this.fmt.format(b);
    for (let from = 0; from < n; from += CELL_CHUNK) {
      const out: object[] = [];
      gen.generate(b, time, effects, from, Math.min(n, from + CELL_CHUNK), out);
      yield* this.chunk(feed, out);
    }
  }

  private *chunk(feed: Feed, records: object[]): Generator<[Feed, object[]]> {
    if (records.length === 0) return;
    this.emitted += records.length;
    yield [feed, records];
  }

  private *tick(a: number, b: number): Generator<[Feed, object[]]> {
    const tickIndex = Math.floor(b / TICK_MS);
    this.alarms.beginTick(tickIndex);
    const tickOfDay = Math.floor(this.fmt.msOfDay(a) / TICK_MS);
    this.complaints.beginTick(tickIndex, this.fmt.compactDate(a), tickOfDay);
    if (this.random) {
      // An hour of look-ahead, so a fault is known before the tick it starts in.
      const ctx = { net: this.network, lookup: this.lookup, probeCells: this.probes.map((p) => p.cell) };
      for (const f of this.random.generate(b + 60 * MINUTE, ctx, this.allFaults)) this.addFault(f);
    }
    const active: Fault[] = [];
    for (const f of this.allFaults) {
      if (f.start >= b) break;
      if (!this.activated.has(f.id)) this.activate(f);
      if (f.end > a) active.push(f);
    }
    if (this.feedsOn.alarms) {
      const raised: TimedAlarm[] = [];
      this.alarms.background(a, b, raised, raised);
      for (const x of raised) this.queue.push(x.t, { feed: 'alarms', alarm: x.alarm });
    }
    if (this.feedsOn.complaints) {
      const pending: PendingComplaint[] = [];
      this.complaints.background(a, b, pending);
      for (const f of active) this.complaints.fromFault(f, a, b, pending);
      for (const c of pending) this.queue.push(c.t, { feed: 'complaints', c });
      for (const f of active) if (f.end <= a) this.complaints.release(f.id);
    }
    // What happened inside the tick goes out before the aggregates stamped at its end, as in a live
    // network: an alarm at 14:15:30 reaches the daemon before the 14:15–14:20 signaling counts.
    // Alarms first: they are what an OSS forwards within seconds.
    yield* this.flush(b);
    if (this.feedsOn.dialtest) {
      const out: DialTestRecordOut[] = [];
      this.dialtests.generate(a, b, (ci, t) => this.effectAt(active, ci, t), (t) => this.fmt.format(t), out);
      out.sort((x, y) => (x.time < y.time ? -1 : x.time > y.time ? 1 : 0));
      yield* this.chunk('dialtest', out);
    }
    if (this.feedsOn.pm && b % PM_PERIOD_MS === 0) {
      yield* this.perCell('pm', b, effectsFor(active, b - PM_PERIOD_MS, b), this.pm);
    }
    if (this.feedsOn.signaling) yield* this.perCell('signaling', b, effectsFor(active, a, b), this.signaling);
  }

  /** A fault's alarms are raised (and their clears scheduled) once, when its start comes up. */
  private activate(f: Fault): void {
    this.activated.add(f.id);
    if (!this.feedsOn.alarms) return;
    const list: TimedAlarm[] = [];
    this.alarms.faultAlarms(f, list, list);
    for (const x of list) this.queue.push(x.t, { feed: 'alarms', alarm: x.alarm });
  }

  /** What the faults active at `t` do to cell `ci` (dial tests happen at a moment, not over a period). */
  private effectAt(active: readonly Fault[], ci: number, t: number): CellEffect | undefined {
    let e: CellEffect | undefined;
    for (const f of active) {
      if (t < f.start || t >= f.end || f.kind === 'coverage_hole') continue;
      let set = this.cellSets.get(f);
      if (!set) this.cellSets.set(f, (set = new Set(f.cells)));
      if (!set.has(ci)) continue;
      e ??= neutralEffect();
      applyFault(e, f, 1);
    }
    return e;
  }

  /** Emits queued alarms and complaints whose time has come, in time order. */
  private *flush(until: number): Generator<[Feed, object[]]> {
    const due = this.queue.popUntil(until);
    if (due.length === 0) return;
    const alarms: object[] = [];
    const complaints: object[] = [];
    for (const { t, value } of due) {
      if (value.feed === 'alarms') alarms.push({ ...value.alarm, eventTime: this.fmt.format(t) });
      else {
        const c = value.c;
        complaints.push({ ...c.complaint, receivedAt: this.fmt.format(t) });
        this.truthRec.complaint(c.complaint.complaintId, t, c.faultId);
      }
    }
    yield* this.chunk('alarms', alarms);
    yield* this.chunk('complaints', complaints);
  }
}
