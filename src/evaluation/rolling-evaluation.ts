/**
 * The process KPIs over the last `windowDays` of event time, recomputed at most every `refreshS`
 * of wall time: what the Prometheus gauges and the dashboard's tiles show. Reading the store for a
 * week of tickets and complaints is not free, so every reader shares one cached report.
 */
import { DAY } from '../model/index.js';
import type { EvaluationConfig } from './config.js';
import { evaluate, type EvaluationData, type EvaluationReport } from './evaluation.js';

export interface RollingEvaluationDeps {
  config: EvaluationConfig;
  /** The evaluation data of a period. */
  data: (from: number, to: number) => EvaluationData;
  /** Event time the pipeline has reached (null before the first event). */
  watermark: () => number | null;
  wallClock?: () => number;
}

export class RollingEvaluation {
  private cached: EvaluationReport | null = null;
  private computedAt = -Infinity;

  constructor(private readonly deps: RollingEvaluationDeps) {}

  /** Grouped by department; null before the first event. */
  report(): EvaluationReport | null {
    const now = (this.deps.wallClock ?? Date.now)();
    if (this.cached && now - this.computedAt < this.deps.config.refreshS * 1000) return this.cached;
    const wm = this.deps.watermark();
    if (wm == null) return null;
    this.cached = evaluate(this.deps.data(wm - this.deps.config.windowDays * DAY, wm + 1), 'department');
    this.computedAt = now;
    return this.cached;
  }
}
