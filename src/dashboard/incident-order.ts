/** The order of the open-incident list, shared by the hub's snapshot and the page. */
import { severityRankOf } from '../model/anomaly.js';
import type { IncidentItem } from './protocol.js';

/** Most severe first, then newest (detection time) first. */
export function compareIncidents(a: IncidentItem, b: IncidentItem): number {
  return severityRankOf(b.severity) - severityRankOf(a.severity) || b.detectedAt - a.detectedAt || a.id.localeCompare(b.id);
}
