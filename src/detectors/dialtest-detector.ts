/**
 * Dial tests (active probes). Every service a probe tests shares its radio and core path, so the
 * evidence is pooled across services:
 *
 * - consecutive failures per probe: `consecutiveFailures` failed tests in a row, whatever the
 *   service (a probe tests voice, HTTP and ping within a minute, so a broken path shows in one cycle);
 * - the failure count per cell against the cell's own failure rate: over the last `windowTests`
 *   tests, the most unlikely recent run (a scan over the runs that start at a failure, binomial tail)
 *   — so a fresh burst fires as soon as it is significant, and the anomaly starts at the burst's
 *   first failure, not at a stray failure an hour before it;
 * - both again per service (a probe's DNS tests, a cell's HTTP tests): a failure of one service only —
 *   a DNS resolver, a video CDN, the SMS centre — fails one test in three or four, which the pooled
 *   evidence dilutes. A service finding is not raised while the pooled one for the same probe or cell
 *   already fires.
 *
 * A cycle of successes (`clearTests` in a row) is the evidence that the fault is gone: the finding
 * starts resolving and its failures are forgotten, so they cannot hold it open for hours.
 *
 * A voice call that connects but takes four times its usual setup time, or sounds like MOS 3 on a probe
 * that measures 4.1, is a degraded test and counts as a failed one on both paths. Each probe learns its
 * own voice setup time (log scale) and MOS, mean and spread: VoLTE is a guaranteed-bitrate bearer, so
 * neither follows the cell's load the way data latency and throughput do (those are not judged here).
 * A degraded test teaches nothing; `quality.adoptAfter` of them in a row are a new normal and the
 * probe relearns.
 */
import { DIALTEST_SERVICES, type DialTestEvent, type Severity } from '../model/index.js';
import type { AnomalyTracker } from './anomaly-tracker.js';
import type { DetectorsConfig } from './config.js';
import { binomialTailScore, wilsonInterval } from './stats.js';

interface ProbeState {
  fails: number;
  firstFailAt: number;
  cellId?: string;
  causes: string[];
  services: string[];
}

/** A probe's voice quality: exponentially weighted mean and variance of log setup time and of MOS. */
interface VoiceQuality {
  n: number;
  setupMean: number;
  setupVar: number;
  mosMean: number;
  mosVar: number;
  /** Degraded tests in a row. */
  badRun: number;
}

interface CellState {
  /** The last tests, oldest first: time, failed, service. */
  t: number[];
  failed: boolean[];
  services: string[];
  /** Learned failure probability per test. */
  p: number;
  /** Successes in a row since the last failure. */
  okRun: number;
  firing: boolean;
}

/** A run that starts earlier must be this many decades more unlikely to date a finding (see `rate`). */
const START_MARGIN = 1;
/** Learning rate of a cell's dial-test failure probability. */
const RATE_ALPHA = 0.02;
/** Slowest learning rate of a probe's voice quality (a day of 15-minute cycles weighs most). */
const QUALITY_ALPHA = 0.02;
/** Floors on the learnt spreads: log setup time (5 %) and MOS points, so a very steady probe is not judged on noise-free arithmetic. */
const MIN_SETUP_SD = 0.05;
const MIN_MOS_SD = 0.05;

function severityOf(score: number, fires: number): Severity {
  return score >= 4 * fires ? 'critical' : score >= 2 * fires ? 'major' : 'minor';
}

export class DialTestDetector {
  private readonly probes = new Map<string, ProbeState>();
  private readonly cells = new Map<string, CellState>();
  private readonly voice = new Map<string, VoiceQuality>();

  constructor(private readonly cfg: DetectorsConfig['dialTests'], private readonly tracker: AnomalyTracker) {}

  observe(ev: DialTestEvent): void {
    const degraded = ev.success ? this.degradation(ev) : null;
    const pooled = `dt|${ev.probeId}`;
    this.consecutive(pooled, ev, degraded);
    this.consecutive(`dts|${ev.probeId}|${ev.service}`, ev, degraded, pooled);
    if (ev.cellId !== undefined) {
      const cell = `dtr|${ev.cellId}`;
      this.rate(cell, ev, ev.cellId, degraded !== null);
      this.rate(`dtrs|${ev.cellId}|${ev.service}`, ev, ev.cellId, degraded !== null, cell);
    }
  }

  /**
   * For a successful voice test, `slow_setup` or `low_mos` when it is degraded against the probe's own
   * voice quality, else null; learns from the test when it is not.
   */
  private degradation(ev: DialTestEvent): string | null {
    const q = this.cfg.quality;
    if (ev.service !== 'voice' || q.z <= 0) return null;
    const setup = ev.setupMs != null && ev.setupMs > 0 ? Math.log(ev.setupMs) : null;
    const mos = ev.mos ?? null;
    if (setup === null && mos === null) return null;
    let st = this.voice.get(ev.probeId);
    if (!st) this.voice.set(ev.probeId, (st = { n: 0, setupMean: 0, setupVar: 0, mosMean: 0, mosVar: 0, badRun: 0 }));
    let cause: string | null = null;
    if (st.n >= q.minTests) {
      if (setup !== null && setup - st.setupMean > q.z * Math.max(MIN_SETUP_SD, Math.sqrt(st.setupVar))) cause = 'slow_setup';
      else if (mos !== null && st.mosMean - mos > q.z * Math.max(MIN_MOS_SD, Math.sqrt(st.mosVar))) cause = 'low_mos';
    }
    if (cause !== null && ++st.badRun < q.adoptAfter) return cause;
    if (cause !== null) st.n = 0; // a new normal: relearn from here
    st.badRun = 0;
    const a = Math.max(1 / (st.n + 1), QUALITY_ALPHA);
    if (setup !== null) [st.setupMean, st.setupVar] = ewUpdate(st.setupMean, st.setupVar, setup, a, st.n === 0);
    if (mos !== null) [st.mosMean, st.mosVar] = ewUpdate(st.mosMean, st.mosVar, mos, a, st.n === 0);
    st.n++;
    return cause;
  }

  /**
   * Consecutive failed tests under `key`: a probe's, whatever the service, or one service's of a probe.
   * A finding under `coveredBy` (the probe's pooled one) already says it: no second finding then.
   */
  private consecutive(key: string, ev: DialTestEvent, degraded: string | null, coveredBy?: string): void {
    let st = this.probes.get(key);
    if (ev.success && degraded === null) {
      if (st) {
        this.probes.delete(key);
        this.tracker.clear(key, ev.t);
      }
      return;
    }
    if (!st) this.probes.set(key, (st = { fails: 0, firstFailAt: ev.t, causes: [], services: [] }));
    st.fails++;
    st.cellId = ev.cellId ?? st.cellId;
    const cause = degraded ?? ev.failureCause;
    if (cause && !st.causes.includes(cause) && st.causes.length < 5) st.causes.push(cause);
    if (!st.services.includes(ev.service)) st.services.push(ev.service);
    const n = this.cfg.consecutiveFailures;
    if (st.fails < n || (coveredBy !== undefined && this.tracker.has(coveredBy))) return;
    const cellId = st.cellId;
    this.tracker.bad(key, ev.t, st.firstFailAt, true, {
      source: 'dialtest', objectType: 'cell', objectId: cellId ?? ev.probeId, ...(cellId !== undefined ? { cellId } : {}),
      signal: `dialtest.${st.services[0]}`, hint: 'degradation',
      severity: st.fails >= 4 * n ? 'critical' : st.fails >= 2 * n ? 'major' : 'minor',
      score: st.fails, evidence: { probeId: ev.probeId, services: st.services.join(','), consecutiveFailures: st.fails, causes: st.causes.join(',') },
    });
  }

  /** Failures under `key` (a cell's tests, or one service's at a cell) against its own rate; `coveredBy` as for `consecutive`. */
  private rate(key: string, ev: DialTestEvent, cellId: string, degraded: boolean, coveredBy?: string): void {
    const w = this.cfg.windowTests;
    let st = this.cells.get(key);
    if (!st) this.cells.set(key, (st = { t: [], failed: [], services: [], p: this.cfg.priorFailureRate, okRun: 0, firing: false }));
    const bad = !ev.success || degraded;
    st.t.push(ev.t);
    st.failed.push(bad);
    st.services.push(ev.service);
    if (st.t.length > w) {
      const leaving = st.failed.shift()!;
      st.t.shift();
      st.services.shift();
      // The cell's normal rate learns from outcomes as they leave the window, and not while a
      // finding is open: a burst does not teach itself to be normal.
      if (!st.firing) st.p += RATE_ALPHA * (Number(leaving) - st.p);
    }
    st.okRun = bad ? 0 : st.okRun + 1;
    if (st.firing && st.okRun >= this.cfg.clearTests) {
      // A cycle of successes: the fault is gone. Its failures are forgotten with it — by the cell's
      // per-service windows too, which held them while this finding covered them.
      forget(st);
      if (coveredBy === undefined) {
        for (const service of DIALTEST_SERVICES) {
          const ss = this.cells.get(`dtrs|${cellId}|${service}`);
          if (ss && !ss.firing) forget(ss);
        }
      }
      this.tracker.clear(key, ev.t);
      return;
    }
    if (!bad && !st.firing) return;
    const p = Math.max(st.p, this.cfg.priorFailureRate / 4);
    // The most unlikely run ending now that starts at a failure. The finding starts where the newest
    // run about as unlikely (within START_MARGIN decades) starts: a stray failure before a burst barely
    // changes how unlikely the burst is, and must not date it.
    let best = 0;
    let k = 0;
    const scores: number[] = [];
    for (let i = st.t.length - 1; i >= 0; i--) {
      if (!st.failed[i]) continue;
      k++;
      const s = binomialTailScore(k, st.t.length - i, p);
      scores[i] = s;
      if (s > best) best = s;
    }
    let from = st.t.length - 1;
    while (from > 0 && !(scores[from] !== undefined && scores[from] >= Math.max(this.cfg.failureScore, best - START_MARGIN))) from--;
    if (best >= this.cfg.failureScore && (st.firing || coveredBy === undefined || !this.tracker.has(coveredBy))) {
      st.firing = true;
      const n = st.t.length - from;
      const failures = st.failed.slice(from).filter(Boolean).length;
      const ci = wilsonInterval(failures, n);
      const services = [...new Set(st.services.slice(from).filter((_, j) => st!.failed[from + j]))];
      this.tracker.bad(key, ev.t, st.t[from]!, true, {
        source: 'dialtest', objectType: 'cell', objectId: cellId, cellId, signal: `dialtest.${services[0] ?? ev.service}`, hint: 'degradation',
        severity: severityOf(best, this.cfg.failureScore), score: Math.round(best * 100) / 100,
        evidence: {
          failures, tests: n, services: services.join(','), expectedFailureRate: Math.round(p * 1e4) / 1e4,
          failureRateLower: Math.round(ci.lower * 1e4) / 1e4, failureRateUpper: Math.round(ci.upper * 1e4) / 1e4,
        },
      });
    }
  }

  toJSON(): unknown {
    return { probes: [...this.probes], cells: [...this.cells], voice: [...this.voice] };
  }

  restore(json: unknown): void {
    // `voice` is absent from checkpoints written before voice quality was judged: it is learnt afresh.
    const j = json as { probes: [string, ProbeState][]; cells: [string, CellState][]; voice?: [string, VoiceQuality][] };
    this.probes.clear();
    this.cells.clear();
    this.voice.clear();
    for (const [k, v] of j.probes) this.probes.set(k, v);
    for (const [k, v] of j.cells) this.cells.set(k, v);
    for (const [k, v] of j.voice ?? []) this.voice.set(k, v);
  }
}

/** Ends a window's finding and forgets its tests (its learnt rate stays). */
function forget(st: CellState): void {
  st.firing = false;
  st.t = [];
  st.failed = [];
  st.services = [];
  st.okRun = 0;
}

/** One step of an exponentially weighted mean and variance; the first sample sets the mean. */
function ewUpdate(mean: number, variance: number, x: number, a: number, first: boolean): [number, number] {
  if (first) return [x, 0];
  const d = x - mean;
  return [mean + a * d, (1 - a) * (variance + a * d * d)];
}
