/**
 * The unit of a KPI series the cell panel charts, for its axis: the KPI catalogue's for PM KPIs, the
 * failed share of attempts for a signaling procedure (detectors/kpi-detector.ts stores 100 ×
 * failures / attempts), attempts for demand. The cell API does not send units (yet); '' when unknown.
 */
import { BUILTIN_KPIS, DEMAND_KPI } from '../../model/kpi.js';

const UNITS = new Map(BUILTIN_KPIS.map((k) => [k.name, k.unit]));

export function kpiUnit(series: string): string {
  if (series.startsWith('signaling.')) return '% failed';
  if (series === DEMAND_KPI) return 'attempts';
  return UNITS.get(series) ?? '';
}
