/**
 * The detector's reading of what a finding points at (`Anomaly.hint`). The incident stage decides
 * the root cause; these are the clues one series carries on its own.
 */
import type { RootCauseCategory, Severity, SignalingProcedure } from '../model/index.js';
import { BUILTIN_KPIS, DEMAND_KPI } from '../model/index.js';
import { BadDirection } from './kpi-baseline.js';
import type { DetectorsConfig } from './config.js';

/** A KPI as the detectors use it. */
export interface KpiInfo {
  name: string;
  dir: BadDirection;
  isRate: boolean;
}

/** The catalogue: built-in KPIs overridden and extended by config. Unknown names get `Both`. */
export function kpiCatalogue(cfg: DetectorsConfig): Map<string, KpiInfo> {
  const m = new Map<string, KpiInfo>();
  for (const k of BUILTIN_KPIS) {
    m.set(k.name, { name: k.name, dir: k.direction === 'higher_is_better' ? BadDirection.Down : BadDirection.Up, isRate: k.isRate });
  }
  for (const k of cfg.kpis) {
    const dir = k.direction === 'higher_is_better' ? BadDirection.Down : k.direction === 'lower_is_better' ? BadDirection.Up : BadDirection.Both;
    m.set(k.name, { name: k.name, dir, isRate: k.isRate });
  }
  return m;
}

/**
 * PRB utilisation at or above this (%) makes a throughput drop, or RRC setups failing (admission
 * control turning users away from a full cell), read as congestion.
 */
export const CONGESTED_PRB = 85;

/** Setup success rates that admission control lowers on a full cell (PRB at `CONGESTED_PRB` or more). */
export const ADMISSION_KPIS: readonly string[] = ['rrc_setup_success_rate', 'erab_setup_success_rate'];

/**
 * Hint for a KPI deviation. `prb` is the cell's PRB utilisation in the same period (NaN if unknown);
 * `alarmed` whether the cell has an active alarm (a drop rate up with no alarm reads as interference).
 */
export function kpiHint(kpi: string, prb: number, alarmed: boolean): RootCauseCategory {
  switch (kpi) {
    case 'availability':
      return 'outage';
    case 'prb_dl_utilization':
    case DEMAND_KPI:
      return 'congestion';
    case 'ul_interference_dbm':
      return 'interference';
    case 'dl_user_throughput_mbps':
    case 'rrc_setup_success_rate':
      return prb >= CONGESTED_PRB ? 'congestion' : 'degradation';
    case 'erab_drop_rate':
    case 'volte_call_drop_rate':
    case 'handover_success_rate':
      return alarmed ? 'degradation' : 'interference';
    default:
      return 'degradation';
  }
}

/** Signaling procedures handled by the core network: their failures point at the core. */
const CORE_PROCEDURES = new Set<SignalingProcedure>(['attach', 'tau', 'service_request', 'pdn_connect', 'registration', 'pdu_session', 'volte_call_setup']);

export function signalingHint(procedure: string): RootCauseCategory {
  if (CORE_PROCEDURES.has(procedure as SignalingProcedure)) return 'core';
  if (procedure === 'handover' || procedure === 'volte_call_drop') return 'interference';
  return 'degradation';
}

const OUTAGE_CAUSE = /unavail|out[ _-]?of[ _-]?service|down|outage|power|mains|battery|disabled|not[ _-]?working|offline/i;
const TRANSPORT_CAUSE = /transport|link|backhaul|microwave|fib(er|re)|los\b|loss[ _-]?of[ _-]?signal|e1|sdh|ethernet|ptp|sync/i;
const INTERFERENCE_CAUSE = /interfer|rssi|noise|vswr|pim/i;

/** Hint for an alarm from the object it is raised on and its probable cause. */
export function alarmHint(objectType: string, probableCause: string, severity: string): RootCauseCategory {
  if (objectType === 'core') return 'core';
  if (objectType === 'transport' || TRANSPORT_CAUSE.test(probableCause)) return objectType === 'cell' && OUTAGE_CAUSE.test(probableCause) ? 'outage' : 'transport';
  if (OUTAGE_CAUSE.test(probableCause)) return 'outage';
  if (INTERFERENCE_CAUSE.test(probableCause)) return 'interference';
  return severity === 'critical' ? 'outage' : 'degradation';
}

/** The evidence (−log10 tail probability) from which a KPI deviation is minor, major. */
export const SEVERITY_SCORE = { minor: 5, major: 10 } as const;

/** Severity of a KPI deviation from its evidence (−log10 tail probability) and hint. */
export function kpiSeverity(score: number, hint: RootCauseCategory): Severity {
  if (hint === 'outage') return 'critical';
  if (score >= SEVERITY_SCORE.major) return 'major';
  if (score >= SEVERITY_SCORE.minor) return 'minor';
  return 'warning';
}
