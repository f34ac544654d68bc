/** Publishes an evaluation report (grouped by department) as Prometheus gauges. */
import type { Metrics } from '../telemetry/metrics.js';
import type { EvaluationReport, ProcessKpis, Quantiles } from './evaluation.js';

type Gauges = Pick<Metrics, 'evalRatio' | 'evalSeconds' | 'evalComplaintsPer10k'>;

function publishOne(m: Gauges, department: string, k: ProcessKpis): void {
  const ratios: Record<string, number | null> = {
    proactive: k.proactiveRatio,
    sla_respond: k.slaAttainment.respond,
    sla_onsite: k.slaAttainment.onsite,
    sla_resolve: k.slaAttainment.resolve,
    verification_pass: k.verificationPassRate,
    reopen: k.reopenRate,
    repeat_complaint: k.repeatComplaintRate,
    callback_reach: k.callbacks.reachRate,
    callback_satisfaction: k.callbacks.satisfactionRate,
  };
  for (const [kpi, v] of Object.entries(ratios)) {
    // No evidence: no sample, rather than a misleading 0.
    if (v == null) m.evalRatio.remove({ kpi, department });
    else m.evalRatio.set({ kpi, department }, v);
  }
  const durations: Record<string, Quantiles> = {
    time_to_detect: k.timeToDetectS, time_to_acknowledge: k.timeToAcknowledgeS, time_to_resolve: k.timeToResolveS,
  };
  for (const [kpi, q] of Object.entries(durations)) {
    for (const [quantile, v] of [['0.5', q.median], ['0.9', q.p90]] as const) {
      if (v == null) m.evalSeconds.remove({ kpi, quantile, department });
      else m.evalSeconds.set({ kpi, quantile, department }, v);
    }
  }
  if (k.complaintsPer10kSubscribers == null) m.evalComplaintsPer10k.remove({ department });
  else m.evalComplaintsPer10k.set({ department }, k.complaintsPer10kSubscribers);
}

/** `report` must be grouped by department (or not grouped: then only `all` is published). */
export function publishEvaluation(m: Gauges, report: EvaluationReport): void {
  publishOne(m, 'all', report.overall);
  for (const g of report.groups) publishOne(m, g.key, g);
}
