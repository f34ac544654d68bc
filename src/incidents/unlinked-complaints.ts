/**
 * Recent complaints that found no incident, kept for a while by cell and by district: when an
 * incident opens later (detection lags the first customers, or a complaint spike becomes an
 * incident), the complaints already received about it are linked to it. Bounded by age and count.
 */
import type { Complaint } from '../model/index.js';
import type { ComplaintPlace } from './complaint-linking.js';

export interface UnlinkedComplaint {
  complaint: Complaint;
  place: ComplaintPlace;
}

function addTo(map: Map<string, Set<string>>, key: string, id: string): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(id);
}

export class UnlinkedComplaints {
  /** In arrival order, so the oldest are dropped first. */
  private readonly byId = new Map<string, UnlinkedComplaint>();
  private readonly byCell = new Map<string, Set<string>>();
  private readonly byDistrict = new Map<string, Set<string>>();

  constructor(private readonly keepMs: number, private readonly maxKept: number) {}

  get size(): number {
    return this.byId.size;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  add(u: UnlinkedComplaint): void {
    const id = u.complaint.complaintId;
    this.byId.set(id, u);
    for (const c of u.place.cells) addTo(this.byCell, c.cellId, id);
    if (u.place.district !== null) addTo(this.byDistrict, u.place.district, id);
    while (this.byId.size > this.maxKept) this.remove(this.byId.keys().next().value as string);
  }

  /** Unlinked complaints placed at any of these cells, or in any of these districts. */
  near(cells: Iterable<string>, districts: Iterable<string>): UnlinkedComplaint[] {
    const ids = new Set<string>();
    for (const c of cells) for (const id of this.byCell.get(c) ?? []) ids.add(id);
    for (const d of districts) for (const id of this.byDistrict.get(d) ?? []) ids.add(id);
    return [...ids].map((id) => this.byId.get(id)!).sort((a, b) => a.complaint.receivedAt - b.complaint.receivedAt);
  }

  remove(id: string): void {
    const u = this.byId.get(id);
    if (!u) return;
    this.byId.delete(id);
    for (const c of u.place.cells) this.unindex(this.byCell, c.cellId, id);
    if (u.place.district !== null) this.unindex(this.byDistrict, u.place.district, id);
  }

  /** Drops complaints received before `now − keep`. */
  expire(now: number): void {
    for (const [id, u] of this.byId) {
      if (u.complaint.receivedAt >= now - this.keepMs) break;
      this.remove(id);
    }
  }

  private unindex(map: Map<string, Set<string>>, key: string, id: string): void {
    const set = map.get(key);
    if (!set) return;
    set.delete(id);
    if (set.size === 0) map.delete(key);
  }
}
