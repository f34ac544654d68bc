/**
 * The anomaly state machine every detector reports into:
 *
 *   (none) → pending → firing → resolving → resolved
 *                 ↘ resolved      ↖______↙ (bad again while resolving: the same anomaly fires again)
 *
 * A firing anomaly whose severity rises (interference spreading, a failure rate climbing) is reported
 * again as firing → firing with the graver severity, so the incident stage re-weighs it.
 *
 * A detector says, per key (one series or condition), "bad at t" (and whether its evidence is
 * confirmed) or "clear at t". Hysteresis lives here: a firing anomaly whose evidence clears is only
 * resolving; it resolves after `resolveAfter` of event time without new evidence, so a fault that
 * wobbles is one anomaly, not ten. A pending anomaly that is never confirmed is dropped after
 * `pendingTimeout`. Everything runs on event time passed in; nothing reads a clock.
 */
import { SEVERITY_RANK, type Anomaly, type AnomalyState, type AnomalyTransition, type Severity } from '../model/index.js';
import type { CellStatus } from '../pipeline/stages.js';

/** What a detector knows about a finding: the anomaly's descriptive fields, plus how to track it. */
export type Finding = Pick<Anomaly, 'source' | 'objectType' | 'objectId' | 'cellId' | 'signal' | 'hint' | 'severity' | 'score' | 'evidence'> & {
  /** Cells whose status the anomaly sets while it fires (a site alarm covers the site's cells). */
  cells?: readonly string[];
  /** Resolve hold for this anomaly instead of the configured one (a flapping alarm holds longer). */
  holdMs?: number;
};

export interface TrackerConfig {
  resolveAfter: number;
  pendingTimeout: number;
  keepResolved: number;
}

interface Live {
  key: string;
  anomaly: Anomaly;
  cells: readonly string[];
  holdMs: number | undefined;
  /** Event time the evidence cleared (resolving) or the anomaly was opened (pending). */
  since: number;
}


export class AnomalyTracker {
  private readonly live = new Map<string, Live>();
  /** Keys of pending or resolving anomalies: the only ones `advance` has to look at. */
  private readonly timed = new Set<string>();
  private readonly resolved = new Map<string, { anomaly: Anomaly; cells: readonly string[] }>();
  private transitions: AnomalyTransition[] = [];
  /** Firing or resolving anomalies per cell: key → whether it means outage. */
  private readonly byCell = new Map<string, Map<string, boolean>>();

  constructor(private readonly cfg: TrackerConfig) {}

  /** Whether `key` has a live (pending, firing or resolving) anomaly. */
  has(key: string): boolean {
    return this.live.has(key);
  }

  get(key: string): Anomaly | undefined {
    return this.live.get(key)?.anomaly;
  }

  /**
   * Evidence at `t` that the condition behind `key` is bad. `startedAt` is when the deviation began
   * (used when a new anomaly opens); `confirmed` makes it fire.
   */
  bad(key: string, t: number, startedAt: number, confirmed: boolean, f: Finding): void {
    let l = this.live.get(key);
    if (!l) {
      const anomaly: Anomaly = {
        id: `${key}@${startedAt}`,
        source: f.source,
        objectType: f.objectType,
        objectId: f.objectId,
        ...(f.cellId !== undefined ? { cellId: f.cellId } : {}),
        signal: f.signal,
        hint: f.hint,
        severity: f.severity,
        score: f.score,
        state: 'pending',
        startedAt,
        // A late report (an alarm's update older than its raise) does not date the news before the start.
        updatedAt: Math.max(t, startedAt),
        evidence: f.evidence,
      };
      l = { key, anomaly, cells: f.cells ?? (f.cellId !== undefined ? [f.cellId] : []), holdMs: f.holdMs, since: t };
      this.live.set(key, l);
      this.timed.add(key);
      this.emit(null, 'pending', t, anomaly);
    } else {
      const a = l.anomaly;
      if (t > a.updatedAt) a.updatedAt = t;
      a.evidence = f.evidence;
      const changed = a.hint !== f.hint;
      a.hint = f.hint;
      if (f.score > a.score) a.score = f.score;
      const graver = SEVERITY_RANK[f.severity] > SEVERITY_RANK[a.severity];
      if (graver) a.severity = f.severity;
      l.holdMs = f.holdMs;
      // The cell status follows what the anomaly now says (a major alarm that became critical is an outage).
      if ((changed || graver) && a.state !== 'pending') this.index(l, true);
      if (a.state === 'resolving') {
        this.timed.delete(key);
        this.emit('resolving', 'firing', t, a);
        a.state = 'firing';
        return;
      }
      // A firing anomaly that grows graver says so (firing → firing): its incident weighs it anew.
      if (graver && a.state === 'firing') this.emit('firing', 'firing', t, a);
    }
    if (confirmed && l.anomaly.state === 'pending') {
      const a = l.anomaly;
      this.timed.delete(key);
      a.firingAt = t;
      this.emit('pending', 'firing', t, a);
      a.state = 'firing';
      this.index(l, true);
    }
  }

  /** The condition behind `key` is clear at `t`. */
  clear(key: string, t: number): void {
    const l = this.live.get(key);
    if (!l) return;
    const a = l.anomaly;
    if (a.state === 'pending') this.resolve(l, t);
    else if (a.state === 'firing') {
      a.updatedAt = t;
      l.since = t;
      this.timed.add(key);
      this.emit('firing', 'resolving', t, a);
      a.state = 'resolving';
    }
  }

  /** Resolves `key` at once, without hold (the condition is known to be gone, e.g. an alarm list resync). */
  forceResolve(key: string, t: number): void {
    const l = this.live.get(key);
    if (l) this.resolve(l, t);
  }

  /**
   * After a restart: brings this state (restored from a checkpoint, which may be minutes older than
   * the stored incidents) in line with what the incident stage knows, which is newer.
   * - An anomaly live here that an incident already records as resolved ended after the checkpoint:
   *   it is dropped without a transition (it would otherwise resolve a second time, or reopen).
   * - An anomaly an incident holds active that this state never saw began after the checkpoint: it is
   *   adopted, replacing whatever this state holds for its key. `adopt` says how: a number is a grace
   *   — the anomaly comes back *resolving* with that hold, the detector's next bad evidence for the key
   *   makes it fire again (the same anomaly, so the incident goes on), and without any it resolves and
   *   the incident can resolve too instead of waiting for ever on evidence nobody will clear; `null`
   *   means the detector took its condition back too (an alarm, which its clear will end): it comes
   *   back *firing*.
   * Emits nothing itself. Returns how many anomalies were dropped and adopted.
   */
  reconcile(
    known: { active: readonly Anomaly[]; resolvedIds: ReadonlySet<string> },
    at: number, adopt: (a: Anomaly, key: string) => number | null, cellsOf: (a: Anomaly) => readonly string[],
  ): { dropped: number; adopted: number } {
    let dropped = 0;
    let adopted = 0;
    for (const l of [...this.live.values()]) {
      if (!known.resolvedIds.has(l.anomaly.id)) continue;
      this.discard(l);
      dropped++;
    }
    for (const a of known.active) {
      const cut = a.id.lastIndexOf('@');
      if (cut <= 0) continue;
      const key = a.id.slice(0, cut);
      const current = this.live.get(key);
      if (current?.anomaly.id === a.id) continue;
      if (current) this.discard(current);
      const grace = adopt(a, key);
      const state = grace === null ? 'firing' : 'resolving';
      const l: Live = { key, anomaly: { ...a, state, updatedAt: at }, cells: cellsOf(a), holdMs: grace ?? undefined, since: at };
      this.live.set(key, l);
      if (grace !== null) this.timed.add(key);
      this.index(l, true);
      adopted++;
    }
    return { dropped, adopted };
  }

  /** Forgets a live anomaly without a transition (see `reconcile`). */
  private discard(l: Live): void {
    this.live.delete(l.key);
    this.timed.delete(l.key);
    if (l.anomaly.state !== 'pending') this.index(l, false);
  }

  /** Time-driven transitions: resolving → resolved after the hold, stale pending → resolved. */
  advance(watermark: number): void {
    for (const key of this.timed) {
      const l = this.live.get(key);
      if (!l) {
        this.timed.delete(key);
        continue;
      }
      const a = l.anomaly;
      if (a.state === 'resolving' && watermark - l.since >= (l.holdMs ?? this.cfg.resolveAfter)) this.resolve(l, watermark);
      else if (a.state === 'pending' && watermark - l.since >= this.cfg.pendingTimeout) this.resolve(l, watermark);
    }
  }

  private resolve(l: Live, t: number): void {
    const a = l.anomaly;
    const from = a.state;
    a.resolvedAt = t;
    a.updatedAt = t;
    this.emit(from, 'resolved', t, a);
    a.state = 'resolved';
    this.live.delete(l.key);
    this.timed.delete(l.key);
    if (from !== 'pending') this.index(l, false);
    this.resolved.set(a.id, { anomaly: a, cells: l.cells });
    if (this.resolved.size > this.cfg.keepResolved) this.resolved.delete(this.resolved.keys().next().value as string);
  }

  private index(l: Live, add: boolean): void {
    const outage = l.anomaly.hint === 'outage' || ((l.anomaly.objectType === 'site' || l.anomaly.objectType === 'transport') && l.anomaly.severity === 'critical');
    for (const c of l.cells) {
      let m = this.byCell.get(c);
      if (add) {
        if (!m) this.byCell.set(c, (m = new Map()));
        m.set(l.key, outage);
      } else if (m) {
        m.delete(l.key);
        if (m.size === 0) this.byCell.delete(c);
      }
    }
  }

  private emit(from: AnomalyState | null, to: AnomalyState, at: number, a: Anomaly): void {
    this.transitions.push({ from, to, at, anomaly: { ...a, state: to, evidence: { ...a.evidence } } });
  }

  takeTransitions(): AnomalyTransition[] {
    const t = this.transitions;
    this.transitions = [];
    return t;
  }

  /** Anomalies not yet resolved. */
  *active(): Iterable<Anomaly> {
    for (const l of this.live.values()) yield l.anomaly;
  }

  cellStatus(cellId: string): CellStatus {
    const m = this.byCell.get(cellId);
    if (!m) return 'normal';
    for (const outage of m.values()) if (outage) return 'outage';
    return 'anomalous';
  }

  /** Live anomalies touching a cell, then the recently resolved ones. */
  anomaliesAt(cellId: string): Anomaly[] {
    const out: Anomaly[] = [];
    for (const l of this.live.values()) if (l.cells.includes(cellId) || l.anomaly.cellId === cellId) out.push({ ...l.anomaly });
    for (const r of this.resolved.values()) if (r.cells.includes(cellId) || r.anomaly.cellId === cellId) out.push({ ...r.anomaly });
    return out;
  }

  toJSON(): unknown {
    return {
      live: [...this.live.values()].map((l) => ({ key: l.key, anomaly: l.anomaly, cells: l.cells, holdMs: l.holdMs ?? null, since: l.since })),
      resolved: [...this.resolved.values()],
    };
  }

  restore(json: unknown): void {
    const j = json as { live: { key: string; anomaly: Anomaly; cells: string[]; holdMs: number | null; since: number }[]; resolved: { anomaly: Anomaly; cells: string[] }[] };
    this.live.clear();
    this.timed.clear();
    this.byCell.clear();
    this.resolved.clear();
    this.transitions = [];
    for (const r of j.live) {
      const l: Live = { key: r.key, anomaly: r.anomaly, cells: r.cells, holdMs: r.holdMs ?? undefined, since: r.since };
      this.live.set(r.key, l);
      if (r.anomaly.state === 'pending' || r.anomaly.state === 'resolving') this.timed.add(r.key);
      if (r.anomaly.state !== 'pending') this.index(l, true);
    }
    for (const r of j.resolved) this.resolved.set(r.anomaly.id, r);
  }
}
