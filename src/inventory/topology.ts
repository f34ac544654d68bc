/**
 * Read access to the network's topology: cell → site → transport, areas, and geography.
 * Implemented by `Inventory` (inventory.ts). Lookups are O(1) or O(log n); never a scan of all cells.
 */
import type { Cell } from '../model/index.js';

export interface SiteInfo {
  siteId: string;
  transportId: string;
  region: string;
  district: string;
  cellIds: readonly string[];
}

export interface TransportInfo {
  transportId: string;
  region: string;
  siteIds: readonly string[];
}

export interface NearCell {
  cellId: string;
  /** Great-circle distance in km. */
  km: number;
}

export interface Topology {
  /** Number of cells. */
  readonly size: number;
  /** Increments whenever cells are added or changed. */
  readonly version: number;
  cell(cellId: string): Cell | undefined;
  site(siteId: string): SiteInfo | undefined;
  transport(transportId: string): TransportInfo | undefined;
  cellsInDistrict(district: string): readonly string[];
  cellsInRegion(region: string): readonly string[];
  /** The region a district belongs to (first seen). */
  regionOfDistrict(district: string): string | undefined;
  regions(): readonly string[];
  districts(): readonly string[];
  /** Up to `k` nearest cells to a point, nearest first, optionally within `maxKm`. Spatial index, O(log n + k). */
  nearestCells(lat: number, lon: number, k: number, maxKm?: number): NearCell[];
  /** Every cell, for the dashboard map and snapshots. */
  allCells(): Iterable<Cell>;
}

/**
 * The cells an object covers: a cell itself, a site's sectors, every cell behind a transport node;
 * none for other objects (district, region, core). Shared by the alarm detector, the detector stage
 * and the incident stage.
 */
export function cellsUnder(topo: Topology, objectType: string, objectId: string): readonly string[] {
  switch (objectType) {
    case 'cell': return [objectId];
    case 'site': return topo.site(objectId)?.cellIds ?? [];
    case 'transport': {
      const out: string[] = [];
      for (const s of topo.transport(objectId)?.siteIds ?? []) for (const c of topo.site(s)?.cellIds ?? []) out.push(c);
      return out;
    }
    default: return [];
  }
}

/**
 * How far a site is from its nearest neighbouring site (km), from its first cell's position; null
 * when no other site is among the nearest cells (a lone site). The local site spacing: what a site's
 * cells are built to reach.
 */
export function siteSpacingKm(topo: Topology, siteId: string): number | null {
  const site = topo.site(siteId);
  const first = site ? topo.cell(site.cellIds[0] ?? '') : undefined;
  if (!site || !first) return null;
  for (const n of topo.nearestCells(first.lat, first.lon, site.cellIds.length + 24)) {
    if (topo.cell(n.cellId)?.siteId !== siteId) return n.km;
  }
  return null;
}
