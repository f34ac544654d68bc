/**
 * The evaluate step's process KPIs as the dashboard's tiles: ratios as percentages, durations as
 * minutes (medians, with the p90 and the sample size underneath), and "no evidence" left empty
 * rather than shown as 0.
 */
import type { ProcessKpis } from '../evaluation/evaluation.js';
import { fmtInt, plural } from './page/format.js';
import type { ProcessKpiKey, ProcessKpiValue } from './sources.js';

const pct = (r: number | null): number | null => (r === null ? null : Math.round(r * 1000) / 10);
const minutes = (s: number | null): number | null => (s === null ? null : Math.round(s / 6) / 10);
const pctText = (r: number | null) => (r === null ? '—' : `${Math.round(r * 100)}%`);

export function evaluationTiles(k: ProcessKpis, windowDays: number): Record<ProcessKpiKey, ProcessKpiValue> {
  const over = `last ${windowDays}d`;
  const quantiles = (q: ProcessKpis['timeToDetectS']) =>
    q.n === 0 ? `no sample yet · ${over}` : `median · p90 ${minutes(q.p90)} min · n=${q.n}`;
  return {
    proactiveRatio: { value: pct(k.proactiveRatio), note: `${plural(k.ticketsWithComplaints, 'ticket')} drew complaints · ${over}` },
    timeToDetectMin: { value: minutes(k.timeToDetectS.median), note: quantiles(k.timeToDetectS) },
    timeToResolveMin: { value: minutes(k.timeToResolveS.median), note: quantiles(k.timeToResolveS) },
    slaAttainment: {
      value: pct(k.slaOverall),
      note: `respond ${pctText(k.slaAttainment.respond)} · onsite ${pctText(k.slaAttainment.onsite)} · resolve ${pctText(k.slaAttainment.resolve)}`,
    },
    verificationPassRate: { value: pct(k.verificationPassRate), note: `reopened ${pctText(k.reopenRate)} · ${over}` },
    repeatComplaintRate: { value: pct(k.repeatComplaintRate), note: `${plural(k.complaints, 'complaint')} · ${over}` },
    callbackSatisfaction: {
      value: pct(k.callbacks.satisfactionRate),
      note: `${fmtInt(k.callbacks.done)}/${plural(k.callbacks.due, 'callback')} · reached ${pctText(k.callbacks.reachRate)}`,
    },
  };
}
