/**
 * The dashboard's process-KPI tiles from an evaluation report: percentages as 0–100, durations in
 * minutes, each with the sample it rests on.
 */
import type { EvaluationReport } from './evaluation.js';

export interface KpiTileValue {
  value: number | null;
  note?: string;
}

const pct = (r: number | null): number | null => (r == null ? null : Math.round(r * 1000) / 10);
const min = (s: number | null): number | null => (s == null ? null : Math.round(s / 6) / 10);

export function dashboardKpis(report: EvaluationReport | null): Record<string, KpiTileValue> {
  if (!report) return {};
  const k = report.overall;
  return {
    proactiveRatio: { value: pct(k.proactiveRatio), note: `${k.ticketsWithComplaints} tickets with complaints` },
    timeToDetectMin: { value: min(k.timeToDetectS.median), note: `median of ${k.timeToDetectS.n}` },
    timeToResolveMin: { value: min(k.timeToResolveS.median), note: `median of ${k.timeToResolveS.n}` },
    slaAttainment: { value: pct(k.slaOverall), note: 'all stages' },
    verificationPassRate: { value: pct(k.verificationPassRate) },
    repeatComplaintRate: { value: pct(k.repeatComplaintRate) },
    callbackSatisfaction: { value: pct(k.callbacks.satisfactionRate), note: `${k.callbacks.done} callbacks done` },
  };
}
