/** Gathers what `evaluate` needs for a period from the store and the inventory. */
import type { Complaint } from '../model/index.js';
import { DAY } from '../model/index.js';
import type { Topology } from '../inventory/topology.js';
import type { Store } from '../store/store.js';
import { MAX_LIMIT } from '../store/page.js';
import type { EvaluationData } from './evaluation.js';

export interface EvaluationSourceDeps {
  store: Pick<Store, 'tickets' | 'callbacks' | 'complaints'>;
  topology: Topology;
  /** Days after a verified fix in which a new complaint counts as a repeat. */
  repeatWindowDays: number;
}

/** The region a complaint belongs to: its cell's, its district's, or the nearest cell's. */
export function complaintRegion(c: Complaint, topology: Topology): string | null {
  const loc = c.location;
  if (loc.cellId) return topology.cell(loc.cellId)?.region ?? null;
  if (loc.district) return topology.regionOfDistrict(loc.district) ?? null;
  if (loc.lat != null && loc.lon != null) {
    const near = topology.nearestCells(loc.lat, loc.lon, 1, 20)[0];
    return near ? (topology.cell(near.cellId)?.region ?? null) : null;
  }
  return null;
}

export function collectEvaluationData(deps: EvaluationSourceDeps, from: number, to: number): EvaluationData {
  const { store, topology } = deps;
  const complaints: { complaintId: string; region: string | null }[] = [];
  let cursor: string | undefined;
  do {
    const page = store.complaints.list({ since: from, until: to, limit: MAX_LIMIT, cursor });
    for (const s of page.items) complaints.push({ complaintId: s.complaint.complaintId, region: complaintRegion(s.complaint, topology) });
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  const byRegion = new Map<string, number>();
  let total = 0;
  for (const cell of topology.allCells()) {
    total += cell.subscribers;
    byRegion.set(cell.region, (byRegion.get(cell.region) ?? 0) + cell.subscribers);
  }
  return {
    from,
    to,
    tickets: store.tickets.createdBetween(from, to),
    callbacks: store.callbacks.tasksBetween(from, to - 1),
    dissatisfied: store.callbacks.dissatisfiedBetween(from, to + deps.repeatWindowDays * DAY),
    complaints,
    subscribers: { total, byRegion },
  };
}
