/** The order of the open-incident list, shared by the hub's snapshot and the page. */
import type { IncidentItem } from './protocol.js';

const SEVERITY_RANK: Record<string, number> = { critical: 0, major: 1, minor: 2, warning: 3 };

/** Most severe first, then newest (detection time) first. */
export function compareIncidents(a: IncidentItem, b: IncidentItem): number {
  return (SEVERITY_RANK[a.severity] ?? 9) - (SEVERITY_RANK[b.severity] ?? 9) || b.detectedAt - a.detectedAt || a.id.localeCompare(b.id);
}
