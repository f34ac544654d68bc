/**
 * Dial tests (active probes): consecutive failures per probe and service, and the failure count of
 * the last `windowTests` tests per cell and service judged against the cell's own failure rate with a
 * binomial tail — a probe that fails once in a while is normal, three in a row is not.
 */
import type { DialTestEvent } from '../model/index.js';
import type { AnomalyTracker } from './anomaly-tracker.js';
import type { DetectorsConfig } from './config.js';
import { binomialTailScore, wilsonInterval } from './stats.js';

interface ProbeState {
  fails: number;
  firstFailAt: number;
  cellId?: string;
  causes: string[];
}

interface CellServiceState {
  /** Outcomes of the last tests, newest in bit 0 (1 = failure). */
  bits: number;
  n: number;
  /** Learned failure probability. */
  p: number;
  firstFailAt: number;
  firing: boolean;
}

/** Learning rate of a cell's dial-test failure probability. */
const RATE_ALPHA = 0.02;

export class DialTestDetector {
  private readonly probes = new Map<string, ProbeState>();
  private readonly cells = new Map<string, CellServiceState>();

  constructor(private readonly cfg: DetectorsConfig['dialTests'], private readonly tracker: AnomalyTracker) {}

  observe(ev: DialTestEvent): void {
    this.consecutive(ev);
    if (ev.cellId !== undefined) this.rate(ev, ev.cellId);
  }

  private consecutive(ev: DialTestEvent): void {
    const key = `dt|${ev.probeId}|${ev.service}`;
    let st = this.probes.get(key);
    if (ev.success) {
      if (st) {
        this.probes.delete(key);
        this.tracker.clear(key, ev.t);
      }
      return;
    }
    if (!st) this.probes.set(key, (st = { fails: 0, firstFailAt: ev.t, causes: [] }));
    st.fails++;
    st.cellId = ev.cellId ?? st.cellId;
    if (ev.failureCause && !st.causes.includes(ev.failureCause) && st.causes.length < 5) st.causes.push(ev.failureCause);
    if (st.fails < this.cfg.consecutiveFailures) return;
    const cellId = st.cellId;
    this.tracker.bad(key, ev.t, st.firstFailAt, true, {
      source: 'dialtest', objectType: 'cell', objectId: cellId ?? ev.probeId, ...(cellId !== undefined ? { cellId } : {}),
      signal: `dialtest.${ev.service}`, hint: 'degradation', severity: st.fails >= 2 * this.cfg.consecutiveFailures ? 'major' : 'minor',
      score: st.fails, evidence: { probeId: ev.probeId, service: ev.service, consecutiveFailures: st.fails, causes: st.causes.join(',') },
    });
  }

  private rate(ev: DialTestEvent, cellId: string): void {
    const key = `dtr|${cellId}|${ev.service}`;
    let st = this.cells.get(key);
    if (!st) this.cells.set(key, (st = { bits: 0, n: 0, p: this.cfg.priorFailureRate, firstFailAt: ev.t, firing: false }));
    const w = this.cfg.windowTests;
    const mask = w >= 32 ? 0xffffffff : (1 << w) - 1;
    // The cell's normal failure rate learns from outcomes as they leave the window (when their verdict
    // is in), and not while a finding is open: a burst does not teach itself to be normal.
    if (st.n >= Math.min(w, 32) && !st.firing) st.p += RATE_ALPHA * (((st.bits >>> (Math.min(w, 32) - 1)) & 1) - st.p);
    st.bits = ((st.bits << 1) | (ev.success ? 0 : 1)) & mask;
    st.n = Math.min(st.n + 1, Math.min(w, 32));
    if (!ev.success && (st.bits & 1) === 1 && popcount(st.bits >>> 1) === 0) st.firstFailAt = ev.t;
    const k = popcount(st.bits);
    const p = Math.max(st.p, this.cfg.priorFailureRate / 4);
    const score = binomialTailScore(k, st.n, p);
    if (score >= this.cfg.failureScore) {
      st.firing = true;
      const ci = wilsonInterval(k, st.n);
      this.tracker.bad(key, ev.t, st.firstFailAt, true, {
        source: 'dialtest', objectType: 'cell', objectId: cellId, cellId, signal: `dialtest.${ev.service}`, hint: 'degradation',
        severity: score >= 2 * this.cfg.failureScore ? 'major' : 'minor', score: Math.round(score * 100) / 100,
        evidence: { failures: k, tests: st.n, expectedFailureRate: Math.round(p * 1e4) / 1e4, failureRateLower: Math.round(ci.lower * 1e4) / 1e4, failureRateUpper: Math.round(ci.upper * 1e4) / 1e4 },
      });
      return;
    }
    if (st.firing && score < this.cfg.failureScore / 2) {
      st.firing = false;
      this.tracker.clear(key, ev.t);
    }
  }

  toJSON(): unknown {
    return { probes: [...this.probes], cells: [...this.cells] };
  }

  restore(json: unknown): void {
    const j = json as { probes: [string, ProbeState][]; cells: [string, CellServiceState][] };
    this.probes.clear();
    this.cells.clear();
    for (const [k, v] of j.probes) this.probes.set(k, v);
    for (const [k, v] of j.cells) this.cells.set(k, v);
  }
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
