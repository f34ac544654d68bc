/**
 * Lookups over the live incidents (open and recently resolved): which incidents cover a cell, touch a
 * district, are rooted at an object, or are about the core of a region. Kept in step by the stage as
 * incidents gain cells, move their root, or leave memory; every lookup is O(1) per key.
 */
import type { Topology } from '../inventory/topology.js';
import { isCoreRoot } from '../model/index.js';
import { rootKey, type LiveIncident, type RootRef } from './live-incident.js';

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

function removeFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}

export class IncidentIndex {
  private readonly byCell = new Map<string, Set<string>>();
  private readonly byDistrict = new Map<string, Set<string>>();
  private readonly byRoot = new Map<string, string>();
  private readonly coreByRegion = new Map<string, Set<string>>();

  constructor(private readonly topo: Topology) {}

  /** Ids of live incidents covering the cell. */
  atCell(cellId: string): ReadonlySet<string> {
    return this.byCell.get(cellId) ?? EMPTY;
  }

  /** Ids of live incidents with cells in the district, or rooted at it. */
  inDistrict(district: string): ReadonlySet<string> {
    return this.byDistrict.get(district) ?? EMPTY;
  }

  /** The live incident rooted at this object, if any. */
  rootedAt(root: RootRef): string | undefined {
    return this.byRoot.get(rootKey(root));
  }

  /** Ids of live core incidents of the region ('' for core incidents not yet tied to a region). */
  coreIn(region: string): ReadonlySet<string> {
    return this.coreByRegion.get(region) ?? EMPTY;
  }

  /** Indexes cells newly added to the incident. */
  addCells(live: LiveIncident, cells: readonly string[]): void {
    for (const c of cells) {
      addTo(this.byCell, c, live.doc.id);
      const d = this.topo.cell(c)?.district;
      if (d !== undefined) {
        addTo(this.byDistrict, d, live.doc.id);
        live.districtCells.set(d, (live.districtCells.get(d) ?? 0) + 1);
      }
    }
  }

  /** Indexes the incident's root (and the region of a core incident). */
  addRoot(live: LiveIncident): void {
    const rc = live.doc.rootCause;
    this.byRoot.set(rootKey(rc), live.doc.id);
    if (rc.objectType === 'district') addTo(this.byDistrict, rc.objectId, live.doc.id);
    if (isCoreRoot(rc.objectType)) addTo(this.coreByRegion, live.doc.region, live.doc.id);
  }

  removeRoot(live: LiveIncident): void {
    const rc = live.doc.rootCause;
    const key = rootKey(rc);
    if (this.byRoot.get(key) === live.doc.id) this.byRoot.delete(key);
    if (rc.objectType === 'district' && !live.districtCells.has(rc.objectId)) removeFrom(this.byDistrict, rc.objectId, live.doc.id);
    if (isCoreRoot(rc.objectType)) removeFrom(this.coreByRegion, live.doc.region, live.doc.id);
  }

  /** Forgets the incident entirely (it left memory or was absorbed). */
  remove(live: LiveIncident): void {
    this.removeRoot(live);
    for (const c of live.cellSet) removeFrom(this.byCell, c, live.doc.id);
    for (const d of live.districtCells.keys()) removeFrom(this.byDistrict, d, live.doc.id);
    if (live.doc.rootCause.objectType === 'district') removeFrom(this.byDistrict, live.doc.rootCause.objectId, live.doc.id);
  }
}

const EMPTY: ReadonlySet<string> = new Set();
