/**
 * Alarms with X.733 semantics: the active set per alarm id; a `cleared` record clears the alarm with
 * the same id, or — when that id is unknown — the active alarm on the same object with the same
 * probable cause (and specific problem); a clear for nothing active is counted and otherwise ignored.
 * Clears are not guaranteed, so a raise with no clear is forgotten after `staleAfter`.
 *
 * One anomaly per (object, probable cause): repeated raises with new ids are the same finding.
 * Flapping (≥ `flapCycles` raise/clear cycles within `flapWindow`) does not open and close an anomaly
 * per cycle: the anomaly stays, holds for `flapQuiet` after the last clear, and counts the cycles.
 * Storms: raises per region within `stormWindow` above `stormRaises` are one region anomaly.
 *
 * Clears are not guaranteed (a tenth of them never arrive in real networks), so a missing clear does
 * not prove a fault persists: the network's own measurements are the evidence. A service-affecting
 * alarm on a cell, site or transport node whose every cell then reports `contradictAfterPeriods` PM
 * periods in full service (availability ≥ `inServiceAvailability`) starts resolving as if cleared;
 * the alarm stays in the active set (the cells still count as alarmed) until its clear or `staleAfter`.
 */
import type { AlarmEvent, Anomaly } from '../model/index.js';
import { cellsUnder, type Topology } from '../inventory/topology.js';
import type { AnomalyTracker } from './anomaly-tracker.js';
import type { DetectorsConfig } from './config.js';
import { alarmHint } from './hints.js';

interface ActiveAlarm {
  alarmId: string;
  key: string;
  raisedAt: number;
  severity: string;
  specificProblem?: string;
}

interface Condition {
  key: string;
  /** Active alarm ids behind it. */
  ids: string[];
  /** Raise/clear cycle times (clears) within the flap window. */
  clears: number[];
  raises: number;
  firstRaisedAt: number;
  ev: Pick<AlarmEvent, 'objectType' | 'objectId' | 'probableCause' | 'severity' | 'specificProblem' | 'alarmType'>;
  /** The PM of every covered cell has shown full service since the raise: resolved without a clear. */
  contradicted?: boolean;
}

const STORM_SLICES = 10;

export class AlarmDetector {
  private readonly active = new Map<string, ActiveAlarm>();
  private readonly conditions = new Map<string, Condition>();
  /** Cells with at least one active alarm on the cell, its site or its transport: cell → count. */
  private readonly alarmedCells = new Map<string, number>();
  /** Alarmed cells: PM periods in full service in a row since the last service-affecting raise over them. */
  private readonly inService = new Map<string, number>();
  /** Per region: raise counts per slice of the storm window. */
  private readonly storms = new Map<string, { slice: number; counts: number[]; firing: boolean }>();
  orphanClears = 0;

  constructor(
    private readonly cfg: DetectorsConfig['alarms'],
    private readonly topology: Topology,
    private readonly tracker: AnomalyTracker,
  ) {}

  private conditionKey(ev: Pick<AlarmEvent, 'objectType' | 'objectId' | 'probableCause'>): string {
    return `alarm|${ev.objectType}|${ev.objectId}|${ev.probableCause}`;
  }

  /** Cells an alarm on this object covers. */
  private cellsOf(objectType: string, objectId: string): readonly string[] {
    return cellsUnder(this.topology, objectType, objectId);
  }

  private regionOf(objectType: string, objectId: string): string {
    if (objectType === 'cell') return this.topology.cell(objectId)?.region ?? 'unknown';
    if (objectType === 'site') return this.topology.site(objectId)?.region ?? 'unknown';
    if (objectType === 'transport') return this.topology.transport(objectId)?.region ?? 'unknown';
    return 'core';
  }

  /** Whether the cell (or its site or transport) has an active alarm. */
  cellAlarmed(cellId: string): boolean {
    return (this.alarmedCells.get(cellId) ?? 0) > 0;
  }

  observe(ev: AlarmEvent): void {
    if (ev.severity === 'cleared') this.onClear(ev);
    else this.onRaise(ev);
  }

  private onRaise(ev: AlarmEvent): void {
    this.countStorm(ev);
    const key = this.conditionKey(ev);
    const existing = this.active.get(ev.alarmId);
    if (existing) {
      // A severity change of an active alarm: same alarm, new severity.
      existing.severity = ev.severity;
      const cond = this.conditions.get(existing.key);
      if (cond) {
        cond.ev = { ...cond.ev, severity: ev.severity };
        this.report(cond, ev.t);
      }
      return;
    }
    this.active.set(ev.alarmId, { alarmId: ev.alarmId, key, raisedAt: ev.t, severity: ev.severity, specificProblem: ev.specificProblem });
    let cond = this.conditions.get(key);
    if (!cond) {
      cond = { key, ids: [], clears: [], raises: 0, firstRaisedAt: ev.t, ev };
      this.conditions.set(key, cond);
    }
    cond.ev = ev;
    cond.ids.push(ev.alarmId);
    cond.raises++;
    const cells = this.cellsOf(ev.objectType, ev.objectId);
    if (cond.ids.length === 1) for (const c of cells) this.alarmedCells.set(c, (this.alarmedCells.get(c) ?? 0) + 1);
    if (this.serviceAffecting(ev.severity)) {
      // A new raise claims the service is affected now: earlier good periods say nothing about it.
      cond.contradicted = false;
      for (const c of cells) this.inService.set(c, 0);
    }
    this.report(cond, ev.t);
  }

  /**
   * When the condition's anomaly began: its oldest active alarm while the anomaly lives — but an
   * anomaly that opens anew (the old one resolved: its PM contradicted an alarm whose clear was lost)
   * begins with the newest raise, not with the stale alarm hours before (which would date the new
   * fault into an incident long resolved, and reopen that instead of opening its own).
   */
  private startOf(cond: Condition, t: number): number {
    if (this.tracker.has(cond.key)) return this.active.get(cond.ids[0] ?? '')?.raisedAt ?? t;
    let newest = -Infinity;
    for (const id of cond.ids) {
      const at = this.active.get(id)?.raisedAt;
      if (at !== undefined && at <= t && at > newest) newest = at;
    }
    return Number.isFinite(newest) ? newest : t;
  }

  private serviceAffecting(severity: string): boolean {
    return this.cfg.anomalySeverities.includes(severity as never);
  }

  /**
   * A PM report of a cell with its availability (%). While the cell is under an alarm, full service
   * period after period contradicts a service-affecting alarm whose clear never came.
   */
  pmReport(cellId: string, t: number, availability: number | undefined): void {
    if (availability === undefined || !Number.isFinite(availability) || !this.alarmedCells.has(cellId)) return;
    const run = availability >= this.cfg.inServiceAvailability ? (this.inService.get(cellId) ?? 0) + 1 : 0;
    this.inService.set(cellId, run);
    const need = this.cfg.contradictAfterPeriods;
    if (need <= 0 || run < need) return;
    for (const cond of this.conditions.values()) {
      if (cond.ids.length === 0 || cond.contradicted || !this.tracker.has(cond.key) || cond.ev.objectType === 'core') continue;
      const cells = this.cellsOf(cond.ev.objectType, cond.ev.objectId);
      if (!cells.includes(cellId) || !cells.every((c) => (this.inService.get(c) ?? 0) >= need)) continue;
      cond.contradicted = true;
      this.tracker.clear(cond.key, t);
    }
  }

  private onClear(ev: AlarmEvent): void {
    let a = this.active.get(ev.alarmId);
    if (!a) {
      // X.733: without a matching id, clear the one on the same object with the same cause and problem.
      const key = this.conditionKey(ev);
      const cond = this.conditions.get(key);
      const id = cond?.ids.find((i) => this.active.get(i)?.specificProblem === ev.specificProblem) ?? cond?.ids[0];
      a = id !== undefined ? this.active.get(id) : undefined;
    }
    if (!a) {
      this.orphanClears++;
      return;
    }
    this.release(a, ev.t, false);
  }

  /** Removes an active alarm; the condition clears when its last alarm is gone. */
  private release(a: ActiveAlarm, t: number, stale: boolean): void {
    this.active.delete(a.alarmId);
    const cond = this.conditions.get(a.key);
    if (!cond) return;
    cond.ids = cond.ids.filter((i) => i !== a.alarmId);
    if (cond.ids.length > 0) return;
    for (const c of this.cellsOf(cond.ev.objectType, cond.ev.objectId)) {
      const n = (this.alarmedCells.get(c) ?? 1) - 1;
      if (n > 0) this.alarmedCells.set(c, n);
      else {
        this.alarmedCells.delete(c);
        this.inService.delete(c);
      }
    }
    cond.clears.push(t);
    const windowStart = t - this.cfg.flapWindow;
    cond.clears = cond.clears.filter((x) => x >= windowStart);
    if (stale) {
      this.tracker.forceResolve(cond.key, t);
      this.conditions.delete(cond.key);
      return;
    }
    if (this.tracker.has(cond.key)) {
      // Refresh the hold: a flapping alarm waits `flapQuiet` before it resolves.
      if (this.flapping(cond) && !cond.contradicted) this.report(cond, t, true);
      this.tracker.clear(cond.key, t);
    }
  }

  private flapping(cond: Condition): boolean {
    return cond.clears.length >= this.cfg.flapCycles - 1;
  }

  private report(cond: Condition, t: number, keepOnly = false): void {
    const ev = cond.ev;
    const severity = ev.severity === 'cleared' || ev.severity === 'indeterminate' ? 'warning' : ev.severity;
    const counts = this.cfg.anomalySeverities.includes(ev.severity as never);
    if (!counts && !this.tracker.has(cond.key)) return;
    const flapping = this.flapping(cond);
    const cells = this.cellsOf(ev.objectType, ev.objectId);
    const objectType = ev.objectType === 'core' ? 'core' : ev.objectType;
    this.tracker.bad(cond.key, t, this.startOf(cond, t), true, {
      source: 'alarm', objectType, objectId: ev.objectId,
      ...(ev.objectType === 'cell' ? { cellId: ev.objectId } : {}),
      signal: ev.probableCause, hint: alarmHint(ev.objectType, ev.probableCause, ev.severity), severity,
      score: flapping ? cond.clears.length + 1 : 1,
      evidence: {
        alarmIds: cond.ids.join(','), severity: ev.severity, raises: cond.raises, flapping, cycles: cond.clears.length,
        ...(ev.specificProblem ? { specificProblem: ev.specificProblem } : {}),
        ...(ev.alarmType ? { alarmType: ev.alarmType } : {}),
        ...(keepOnly ? { lastClear: new Date(t).toISOString() } : {}),
      },
      cells,
      ...(flapping ? { holdMs: this.cfg.flapQuiet } : {}),
    });
  }

  private countStorm(ev: AlarmEvent): void {
    const region = this.regionOf(ev.objectType, ev.objectId);
    const sliceMs = this.cfg.stormWindow / STORM_SLICES;
    const slice = Math.floor(ev.t / sliceMs);
    let s = this.storms.get(region);
    if (!s) this.storms.set(region, (s = { slice, counts: new Array(STORM_SLICES).fill(0), firing: false }));
    this.rollStorm(s, slice);
    s.counts[slice % STORM_SLICES]++;
    const total = s.counts.reduce((a, b) => a + b, 0);
    if (total >= this.cfg.stormRaises) {
      s.firing = true;
      this.tracker.bad(`storm|${region}`, ev.t, ev.t - this.cfg.stormWindow, true, {
        source: 'alarm', objectType: 'region', objectId: region, signal: 'alarm_storm', hint: 'unknown', severity: 'major',
        score: total / this.cfg.stormRaises, evidence: { raises: total, windowS: this.cfg.stormWindow / 1000 },
      });
    }
  }

  private rollStorm(s: { slice: number; counts: number[] }, slice: number): void {
    if (slice <= s.slice) return;
    const steps = Math.min(slice - s.slice, STORM_SLICES);
    for (let k = 1; k <= steps; k++) s.counts[(s.slice + k) % STORM_SLICES] = 0;
    s.slice = slice;
  }

  advance(watermark: number): void {
    const sliceMs = this.cfg.stormWindow / STORM_SLICES;
    for (const [region, s] of this.storms) {
      this.rollStorm(s, Math.floor(watermark / sliceMs));
      if (s.firing && s.counts.reduce((a, b) => a + b, 0) < this.cfg.stormRaises / 2) {
        s.firing = false;
        this.tracker.clear(`storm|${region}`, watermark);
      }
      if (!s.firing && s.counts.every((c) => c === 0)) this.storms.delete(region);
    }
    const staleBefore = watermark - this.cfg.staleAfter;
    for (const a of this.active.values()) if (a.raisedAt < staleBefore) this.release(a, watermark, true);
    for (const [key, cond] of this.conditions) {
      if (cond.ids.length === 0 && !this.tracker.has(key) && (cond.clears.at(-1) ?? -Infinity) < watermark - this.cfg.flapWindow) this.conditions.delete(key);
    }
  }

  /**
   * After a restart, an alarm anomaly the incidents know but the checkpoint did not (raised after it):
   * its condition comes back active under a stand-in alarm id, so the clear that ends it — matched
   * X.733-style on object, cause and problem — is not an orphan. A condition the checkpoint already
   * holds active stays as it is (its alarms' clears end it). Returns whether the condition is active
   * now; false for what is not an alarm condition (a storm).
   */
  adopt(a: Anomaly, key: string): boolean {
    const objectType = a.objectType as AlarmEvent['objectType'];
    const ev = { objectType, objectId: a.objectId, probableCause: a.signal, severity: a.severity };
    if (key !== this.conditionKey(ev)) return false;
    if ((this.conditions.get(key)?.ids.length ?? 0) > 0) return true;
    const alarmId = `restored|${key}`;
    this.active.set(alarmId, { alarmId, key, raisedAt: a.startedAt, severity: a.severity });
    const cond = this.conditions.get(key);
    if (cond) {
      cond.ids.push(alarmId);
      cond.ev = { ...cond.ev, severity: a.severity };
    } else {
      this.conditions.set(key, { key, ids: [alarmId], clears: [], raises: 1, firstRaisedAt: a.startedAt, ev });
    }
    for (const c of this.cellsOf(objectType, a.objectId)) this.alarmedCells.set(c, (this.alarmedCells.get(c) ?? 0) + 1);
    return true;
  }

  toJSON(): unknown {
    return {
      active: [...this.active.values()], conditions: [...this.conditions.values()], storms: [...this.storms], orphanClears: this.orphanClears,
      inService: [...this.inService],
    };
  }

  restore(json: unknown): void {
    const j = json as {
      active: ActiveAlarm[]; conditions: Condition[]; storms: [string, { slice: number; counts: number[]; firing: boolean }][]; orphanClears: number;
      inService?: [string, number][];
    };
    this.active.clear();
    this.inService.clear();
    for (const [c, n] of j.inService ?? []) this.inService.set(c, n);
    this.conditions.clear();
    this.alarmedCells.clear();
    this.storms.clear();
    for (const a of j.active) this.active.set(a.alarmId, a);
    for (const c of j.conditions) {
      this.conditions.set(c.key, c);
      if (c.ids.length > 0) for (const cell of this.cellsOf(c.ev.objectType, c.ev.objectId)) this.alarmedCells.set(cell, (this.alarmedCells.get(cell) ?? 0) + 1);
    }
    for (const [r, s] of j.storms) this.storms.set(r, s);
    this.orphanClears = j.orphanClears;
  }
}
