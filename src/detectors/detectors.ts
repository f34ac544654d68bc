/**
 * The detector stage: every normalised event goes to the detector for its feed, all of them report
 * into one anomaly state machine, and the pipeline takes the transitions after each `advance`.
 *
 *   PM KPIs, signaling ratios → KpiDetector (baseline per series, static thresholds, 24 h history)
 *   PM failure counts         → RadioFailureDetector (a cell's radio failures together, exact count test)
 *   PM / signaling arrivals   → MissingDataDetector (silent cells while neighbours report)
 *   alarms                    → AlarmDetector (X.733 active set, flapping, storms)
 *   dial tests                → DialTestDetector (consecutive failures, failure rate)
 *   unlinked complaints       → ComplaintDetector (spikes per cell and district)
 *
 * Pure and single-threaded: event time comes in with the events and the watermark; no clock, no I/O.
 */
import type { Anomaly, AnomalyTransition, NetworkEvent } from '../model/index.js';
import { cellsUnder, type Topology } from '../inventory/topology.js';
import type { CellDetail, CellStatus, DetectorStage } from '../pipeline/stages.js';
import { AlarmDetector } from './alarm-detector.js';
import { AnomalyTracker } from './anomaly-tracker.js';
import { decodeCheckpoint, encodeCheckpoint, encodeCheckpointParts, type CheckpointParts } from './checkpoint-codec.js';
import { ComplaintDetector } from './complaint-detector.js';
import type { DetectorsConfig } from './config.js';
import { DialTestDetector } from './dialtest-detector.js';
import { Interner } from './interner.js';
import { KpiDetector } from './kpi-detector.js';
import { MissingDataDetector } from './missing-data.js';
import { RadioFailureDetector } from './radio-failures.js';

/** What a checkpoint must agree on to be restored into this configuration. */
function layoutOf(cfg: DetectorsConfig): string {
  const b = cfg.baseline;
  // 'counts': the slow scales keep a block's expected bad count (a checkpoint without it is refused).
  // 'sunday': a Sunday level profile and 16-bit noise scales (a checkpoint from before is migrated).
  return JSON.stringify(['counts', 'sunday', b.knotsPerDay, b.weekendProfile, b.sundayProfile, b.scaleBucketsPerDay, b.scales, cfg.history.slots, cfg.history.slotMinutes]);
}

/** The layout of checkpoints written before the Sunday profile: restored with a migration. */
function legacyLayoutOf(cfg: DetectorsConfig): string {
  const b = cfg.baseline;
  return JSON.stringify(['counts', b.knotsPerDay, b.weekendProfile, b.scaleBucketsPerDay, b.scales, cfg.history.slots, cfg.history.slotMinutes]);
}

export class Detectors implements DetectorStage {
  private readonly cfg: DetectorsConfig;
  private cells = new Interner();
  private tracker!: AnomalyTracker;
  private kpi!: KpiDetector;
  private missing!: MissingDataDetector;
  private radio!: RadioFailureDetector;
  private alarms!: AlarmDetector;
  private dialTests!: DialTestDetector;
  private complaints!: ComplaintDetector;
  private slowComplaints!: ComplaintDetector | null;
  /** Complaints from beyond every site's reach: holes between sites. */
  private gapComplaints!: ComplaintDetector | null;
  private watermark = -Infinity;

  /**
   * `cfg` is the parsed configuration (the root config's `detectors`, or `detectorsConfig(input)`).
   * It is not parsed again: a parsed duration is milliseconds, and read again as written it would be
   * taken for seconds — every hold, window and history requirement a thousand times too long.
   */
  constructor(cfg: DetectorsConfig, private readonly topology: Topology) {
    this.cfg = cfg;
    this.build();
  }

  private build(): void {
    const cfg = this.cfg;
    this.tracker = new AnomalyTracker(cfg.stateMachine);
    this.alarms = new AlarmDetector(cfg.alarms, this.topology, this.tracker);
    this.kpi = new KpiDetector(cfg, this.cells, this.topology, this.tracker, (cellId) => this.alarms.cellAlarmed(cellId));
    this.radio = new RadioFailureDetector(cfg.radioFailures, cfg, this.cells, this.tracker, (cellId) => this.alarms.cellAlarmed(cellId));
    this.missing = new MissingDataDetector(cfg.missingData, this.cells, this.topology, this.tracker);
    this.dialTests = new DialTestDetector(cfg.dialTests, this.tracker);
    const tzMs = cfg.timezoneOffsetMinutes * 60_000;
    this.complaints = new ComplaintDetector(cfg.complaints, this.topology, this.tracker, undefined, tzMs);
    this.slowComplaints = cfg.complaints.slowWindow > 0
      ? new ComplaintDetector(cfg.complaints, this.topology, this.tracker, {
        window: cfg.complaints.slowWindow, minCount: cfg.complaints.slowMinCount, keyPrefix: 'cmps', signal: 'complaint_trickle',
        objects: ['cell', 'site', 'district'],
      }, tzMs)
      : null;
    const gap = cfg.complaints.gap;
    this.gapComplaints = cfg.complaints.slowWindow > 0 && gap.minCount > 0
      ? new ComplaintDetector(cfg.complaints, this.topology, this.tracker, {
        window: cfg.complaints.slowWindow, minCount: gap.minCount, keyPrefix: 'cmpg', signal: 'complaint_coverage_gap',
        beyondReach: gap, priorPerCellHour: gap.priorPerCellHour,
      }, tzMs)
      : null;
  }

  observe(ev: NetworkEvent): void {
    switch (ev.kind) {
      case 'pm': {
        const c = this.cells.id(ev.cellId);
        this.missing.seen('pm', c, ev.t, ev.period);
        if (!ev.suspect) this.alarms.pmReport(ev.cellId, ev.t, ev.kpis.availability);
        this.kpi.observePm(ev, c);
        this.radio.observePm(ev, c);
        return;
      }
      case 'signaling': {
        const c = this.cells.id(ev.cellId);
        this.missing.seen('signaling', c, ev.t, ev.period);
        this.kpi.observeSignaling(ev, c);
        return;
      }
      case 'alarm':
        this.alarms.observe(ev);
        return;
      case 'dialtest':
        this.dialTests.observe(ev);
        return;
      case 'complaint':
        this.complaints.observe(ev);
        this.slowComplaints?.observe(ev);
        this.gapComplaints?.observe(ev);
        return;
    }
  }

  advance(watermark: number): void {
    if (watermark < this.watermark) return;
    this.watermark = watermark;
    this.missing.advance(watermark);
    this.alarms.advance(watermark);
    this.complaints.advance(watermark);
    this.slowComplaints?.advance(watermark);
    this.gapComplaints?.advance(watermark);
    this.tracker.advance(watermark);
  }

  takeTransitions(): AnomalyTransition[] {
    return this.tracker.takeTransitions();
  }

  /**
   * After a restart, lines the anomaly state (from the last checkpoint) up with the restored
   * incidents' evidence, which is newer: see `AnomalyTracker.reconcile`. Adopted anomalies get the
   * resolve hold to be confirmed by fresh evidence — except alarms, which the alarm detector takes
   * back as active until their clear (or a resync, or the cell's measurements contradicting them).
   */
  reconcile(known: { active: readonly Anomaly[]; resolvedIds: ReadonlySet<string> }, at: number): { dropped: number; adopted: number } {
    const grace = this.cfg.stateMachine.resolveAfter;
    return this.tracker.reconcile(known, at, (a, key) => (a.source === 'alarm' && this.alarms.adopt(a, key) ? null : grace), (a) => this.cellsOf(a));
  }

  /** The cells an anomaly covers: its cell, else every cell of its site or transport node. */
  private cellsOf(a: Anomaly): readonly string[] {
    return a.cellId !== undefined ? [a.cellId] : cellsUnder(this.topology, a.objectType, a.objectId);
  }

  active(): Iterable<Anomaly> {
    return this.tracker.active();
  }

  cellStatus(cellId: string): CellStatus {
    return this.tracker.cellStatus(cellId);
  }

  cellDetail(cellId: string): CellDetail {
    return { status: this.tracker.cellStatus(cellId), kpis: this.kpi.detail(cellId), anomalies: this.tracker.anomaliesAt(cellId) };
  }

  /** Series and memory figures, for the benchmark and the README. */
  stats(): { cells: number; kpiSeries: number; bytesPerSeries: { detector: number; history: number } } {
    return { cells: this.cells.size, kpiSeries: this.kpi.seriesCount, bytesPerSeries: this.kpi.bytesPerSeries };
  }

  checkpoint(): Uint8Array {
    return encodeCheckpoint(this.checkpointContents());
  }

  /** The checkpoint as views over the live state (no copy); valid until the next event. */
  checkpointParts(): Uint8Array[] {
    return encodeCheckpointParts(this.checkpointContents());
  }

  private checkpointContents(): CheckpointParts {
    const series = this.kpi.seriesCount;
    const cellCount = this.cells.size;
    return {
      header: {
        layout: layoutOf(this.cfg),
        watermark: Number.isFinite(this.watermark) ? this.watermark : null,
        cells: this.cells.toJSON(),
        series,
        kpi: this.kpi.toJSON(),
        missing: this.missing.toJSON(),
        radio: this.radio.toJSON(),
        alarms: this.alarms.toJSON(),
        dialTests: this.dialTests.toJSON(),
        complaints: this.complaints.toJSON(),
        slowComplaints: this.slowComplaints?.toJSON() ?? [],
        gapComplaints: this.gapComplaints?.toJSON() ?? [],
        tracker: this.tracker.toJSON(),
      },
      blobs: [...this.kpi.snapshot(), ...this.missing.snapshot(cellCount), ...this.radio.snapshot(cellCount)],
    };
  }

  /** Replaces all state with a checkpoint; throws (leaving a fresh state) when it does not fit this configuration. */
  restore(data: Uint8Array): void {
    const { header, blobs } = decodeCheckpoint(data);
    const h = header as {
      layout: string; watermark: number | null; cells: string[]; series: number;
      kpi: unknown; missing: unknown; radio?: unknown; alarms: unknown; dialTests: unknown; complaints: unknown; slowComplaints?: unknown; gapComplaints?: unknown; tracker: unknown;
    };
    this.cells = new Interner();
    this.build();
    this.watermark = -Infinity;
    const legacy = h.layout === legacyLayoutOf(this.cfg);
    if (h.layout !== layoutOf(this.cfg) && !legacy) throw new Error('detector checkpoint was written with another baseline or history layout');
    // A checkpoint from before the KPI detector's last array (`afterFiring`) has one fewer: an empty one stands in.
    if (blobs.length === KpiDetector.BLOBS + 5) blobs.splice(KpiDetector.BLOBS - 1, 0, new Uint8Array(0));
    // Checkpoints from before the radio-failure detector end with the missing-data arrays: it starts afresh.
    const MISSING_BLOBS = 6;
    const base = KpiDetector.BLOBS + MISSING_BLOBS;
    if (blobs.length !== base && blobs.length !== base + RadioFailureDetector.BLOBS) throw new Error('detector checkpoint has an unexpected number of arrays');
    try {
      this.cells = Interner.from(h.cells);
      this.build();
      this.kpi.restore(h.kpi, blobs.slice(0, KpiDetector.BLOBS), h.series, legacy);
      this.missing.restore(h.missing, blobs.slice(KpiDetector.BLOBS, base), this.cells.size);
      this.radio.restore(h.radio, blobs.slice(base), this.cells.size);
      this.alarms.restore(h.alarms);
      this.dialTests.restore(h.dialTests);
      this.complaints.restore(h.complaints);
      // Checkpoints from before the slow window have none: it starts empty.
      this.slowComplaints?.restore(h.slowComplaints ?? []);
      this.gapComplaints?.restore(h.gapComplaints ?? []);
      this.tracker.restore(h.tracker);
      this.watermark = h.watermark ?? -Infinity;
    } catch (e) {
      this.cells = new Interner();
      this.build();
      throw e;
    }
  }
}
