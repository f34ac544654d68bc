/**
 * A faithful TypeScript port of ../shared/tools/nab-score.py (itself NAB v1.1's scorer restricted to
 * a set of categories): windows from labels/combined_windows.json, probation min(floor(.15 N), 750),
 * scaled sigmoid, first detection per window, per-row FP cost, one threshold swept over all files
 * pooled, normalised to null detector = 0 and perfect = 100.
 *
 * The port exists so the benchmark needs no Python and can break the result down per file (which
 * windows were caught, how many false positive rows) at the optimised threshold.
 */

export interface CostMatrix {
  tpWeight: number;
  fnWeight: number;
  fpWeight: number;
}

export interface ScoredFile {
  /** `category/file.csv`, as in the labels. */
  name: string;
  timestamps: string[];
  scores: ArrayLike<number>;
  /** Window bounds as timestamps, as in combined_windows.json. */
  windows: [string, string][];
}

interface Point {
  score: number;
  weight: number;
  /** `file|startRow` for rows inside a window, null outside. */
  window: string | null;
  file: string;
}

/** NAB's scaled sigmoid. */
function scaledSigmoid(x: number): number {
  return x > 3 ? -1 : 2 / (1 + Math.exp(5 * x)) - 1;
}

function filePoints(f: ScoredFile, w: CostMatrix): Point[] {
  const n = f.timestamps.length;
  const index = new Map<string, number>();
  f.timestamps.forEach((t, i) => index.set(t.slice(0, 19), i));
  const probation = Math.min(Math.floor(0.15 * n), 0.15 * 5000);
  const wins = f.windows.map(([a, b]) => {
    const l = index.get(a.slice(0, 19));
    const r = index.get(b.slice(0, 19));
    if (l === undefined || r === undefined) throw new Error(`${f.name}: window ${a}..${b} not in data`);
    return [l, r] as const;
  });
  const maxTp = scaledSigmoid(-1);
  const out: Point[] = [];
  let cur: [number, number, number] | null = null;
  let prev: [number, number, number] | null = null;
  let wi = 0;
  for (let i = 0; i < n; i++) {
    if (cur === null && wi < wins.length && i === wins[wi][0]) {
      const [l, r] = wins[wi];
      cur = [l, r, r - l + 1];
      wi++;
    }
    let weight: number;
    let window: string | null = null;
    if (cur !== null) {
      weight = (scaledSigmoid(-(cur[1] - i + 1) / cur[2]) * w.tpWeight) / maxTp;
      window = `${f.name}|${cur[0]}`;
    } else {
      weight = (prev === null ? -1 : scaledSigmoid(Math.abs(prev[1] - i) / (prev[2] - 1))) * w.fpWeight;
    }
    if (i >= probation) out.push({ score: f.scores[i], weight, window, file: f.name });
    if (cur !== null && i === cur[1]) {
      prev = cur;
      cur = null;
    }
  }
  return out;
}

export interface ProfileResult {
  profile: string;
  threshold: number;
  /** Normalised: null detector 0, perfect 100. */
  score: number;
  /** Per file at the optimised threshold: windows detected / total and false-positive rows. */
  perFile: Map<string, { detected: number; windows: number; fpRows: number; tp: number; fp: number }>;
}

/** Scores pooled files under one cost profile, sweeping a single threshold as NAB does. */
export function scoreProfile(profile: string, files: readonly ScoredFile[], w: CostMatrix): ProfileResult {
  const points: Point[] = [];
  let windowCount = 0;
  for (const f of files) {
    for (let i = 0; i < f.scores.length; i++) {
      if (!Number.isFinite(f.scores[i])) throw new Error(`${f.name}: row ${i} has no finite score`);
    }
    for (const p of filePoints(f, w)) points.push(p);
    windowCount += f.windows.length;
  }
  // Stable sort, highest score first (Python's sorted is stable too; ties are taken together anyway).
  const order = points.map((_, i) => i).sort((a, b) => points[b].score - points[a].score || a - b);
  const parts = new Map<string, number>();
  for (const p of points) if (p.window !== null) parts.set(p.window, -w.fnWeight);
  let base = 0;
  for (const v of parts.values()) base += v;
  let fp = 0;
  let best = { threshold: 1.1, total: base };
  let k = 0;
  while (k < order.length) {
    const thr = points[order[k]].score;
    while (k < order.length && points[order[k]].score === thr) {
      const p = points[order[k]];
      if (p.window === null) fp += p.weight;
      else {
        const old = parts.get(p.window)!;
        const next = Math.max(old, p.weight);
        base += next - old;
        parts.set(p.window, next);
      }
      k++;
    }
    const total = base + fp;
    if (total > best.total) best = { threshold: thr, total };
  }
  const nul = -w.fnWeight * windowCount;
  const perfect = w.tpWeight * windowCount;
  const perFile = new Map<string, { detected: number; windows: number; fpRows: number; tp: number; fp: number }>();
  for (const f of files) perFile.set(f.name, { detected: 0, windows: f.windows.length, fpRows: 0, tp: 0, fp: 0 });
  const caught = new Map<string, number>();
  for (const p of points) {
    if (p.score < best.threshold) continue;
    const pf = perFile.get(p.file)!;
    if (p.window === null) {
      pf.fpRows++;
      pf.fp += p.weight;
    } else caught.set(p.window, Math.max(caught.get(p.window) ?? -Infinity, p.weight));
  }
  for (const [win, weight] of caught) {
    const pf = perFile.get(win.slice(0, win.lastIndexOf('|')))!;
    pf.detected++;
    pf.tp += weight;
  }
  return { profile, threshold: best.threshold, score: (100 * (best.total - nul)) / (perfect - nul), perFile };
}

/** Diagnostic: the score each file would reach with its own best threshold (an upper bound on calibration). */
export function oracleRaw(files: readonly ScoredFile[], w: CostMatrix): number {
  let total = 0;
  let windows = 0;
  for (const f of files) {
    if (f.windows.length === 0) continue;
    const r = scoreProfile('oracle', [f], w);
    const nul = -w.fnWeight * f.windows.length;
    const perfect = w.tpWeight * f.windows.length;
    total += (r.score / 100) * (perfect - nul) + nul;
    windows += f.windows.length;
  }
  return (100 * (total + w.fnWeight * windows)) / (w.tpWeight * windows + w.fnWeight * windows);
}
