/** The built-in KPI catalogue (API.md); config may add KPIs or change thresholds. */

/** Which way a KPI gets worse. */
export type KpiDirection = 'higher_is_better' | 'lower_is_better';

export interface KpiDefinition {
  name: string;
  direction: KpiDirection;
  unit: string;
  /** A rate (0..100 %) whose evidence is the number of attempts behind it. */
  isRate: boolean;
}

export const BUILTIN_KPIS: readonly KpiDefinition[] = [
  { name: 'rrc_setup_success_rate', direction: 'higher_is_better', unit: '%', isRate: true },
  { name: 'erab_setup_success_rate', direction: 'higher_is_better', unit: '%', isRate: true },
  { name: 'erab_drop_rate', direction: 'lower_is_better', unit: '%', isRate: true },
  { name: 'handover_success_rate', direction: 'higher_is_better', unit: '%', isRate: true },
  { name: 'availability', direction: 'higher_is_better', unit: '%', isRate: false },
  { name: 'prb_dl_utilization', direction: 'lower_is_better', unit: '%', isRate: false },
  { name: 'dl_user_throughput_mbps', direction: 'higher_is_better', unit: 'Mbit/s', isRate: false },
  { name: 'volte_call_drop_rate', direction: 'lower_is_better', unit: '%', isRate: true },
  { name: 'nr_qos_flow_setup_success_rate', direction: 'higher_is_better', unit: '%', isRate: true },
  /**
   * Uplink interference and noise per PRB, averaged over the period: the receiver's noise floor. An
   * external interferer (a jammer, a faulty repeater, a neighbour's intermodulation) lifts it whatever
   * the cell's traffic, so it shows on a quiet night cell whose few calls cannot show a drop rate.
   */
  { name: 'ul_interference_dbm', direction: 'lower_is_better', unit: 'dBm', isRate: false },
];

/**
 * Demand: a cell's RRC setup attempts per period, derived from the attempts PM records carry (not a
 * KPI records send). The detectors judge it on a full cell; its findings carry this as their signal.
 */
export const DEMAND_KPI = 'rrc_setup_attempts';

/**
 * The signal of the detectors' count of a cell's radio failures (drops, failed handovers and setups
 * together): the same counters as those KPIs' own findings, so it never corroborates them.
 */
export const RADIO_FAILURES_SIGNAL = 'radio_failures';
