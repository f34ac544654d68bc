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
