/**
 * The simulated network: the inventory rows (cells) plus the structure the simulator needs to place
 * faults and traffic — sites, transport nodes, districts, regions — all addressed by array index so
 * the per-period loops over hundreds of thousands of cells touch only typed arrays.
 */
import type { AreaClass, Cell } from '../model/index.js';

export interface SimRegion {
  name: string;
  code: string;
  lat: number;
  lon: number;
  /** Core network elements serving the region (MME for LTE, AMF for NR): the root of core faults. */
  coreElements: { mme: string; amf: string };
  districts: number[];
}

export interface SimDistrict {
  name: string;
  region: number;
  lat: number;
  lon: number;
  urban: boolean;
  sites: number[];
}

export interface SimTransport {
  transportId: string;
  region: number;
  district: number;
  sites: number[];
}

export interface SimSite {
  siteId: string;
  transport: number;
  district: number;
  lat: number;
  lon: number;
  areaClass: AreaClass;
  cells: number[];
}

export interface SimNetwork {
  /** Inventory rows; a cell's index in this array is its index everywhere else. */
  cells: Cell[];
  sites: SimSite[];
  transports: SimTransport[];
  districts: SimDistrict[];
  regions: SimRegion[];
  cellSite: Int32Array;
  cellDistrict: Int32Array;
  cellRegion: Int32Array;
  /** 1 for NR cells, 0 otherwise. */
  cellIsNr: Uint8Array;
  /** cellId → index. */
  cellIndex: Map<string, number>;
}

/** Index maps from the ids a scenario file names to array indices. */
export interface NetworkLookup {
  site: Map<string, number>;
  transport: Map<string, number>;
  district: Map<string, number>;
  region: Map<string, number>;
}

export function networkLookup(net: SimNetwork): NetworkLookup {
  return {
    site: new Map(net.sites.map((s, i) => [s.siteId, i])),
    transport: new Map(net.transports.map((t, i) => [t.transportId, i])),
    district: new Map(net.districts.map((d, i) => [d.name, i])),
    region: new Map(net.regions.map((r, i) => [r.name, i])),
  };
}

/** Great-circle distance in km. */
export function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = Math.PI / 180;
  const dLat = (lat2 - lat1) * r;
  const dLon = (lon2 - lon1) * r;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(dLon / 2) ** 2;
  return 12742 * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Moves a point by `km` east and north (small distances, flat-earth approximation). */
export function offsetKm(lat: number, lon: number, eastKm: number, northKm: number): { lat: number; lon: number } {
  const dLat = northKm / 111.2;
  const dLon = eastKm / (111.2 * Math.cos((lat * Math.PI) / 180));
  return { lat: lat + dLat, lon: lon + dLon };
}

/** The `k` cells nearest to a point (a linear scan: used when placing faults, not per record). */
export function nearestCellIndices(net: SimNetwork, lat: number, lon: number, k: number, candidates?: readonly number[]): number[] {
  const pool = candidates ?? net.cells.map((_, i) => i);
  return pool
    .map((i) => ({ i, d: distanceKm(lat, lon, net.cells[i].lat, net.cells[i].lon) }))
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .slice(0, k)
    .map((x) => x.i);
}

/** Grid step of `SiteGrid`, degrees (about 1.1 km of latitude). */
const GRID_STEP = 0.01;

/**
 * Sites bucketed on a ~1 km grid: the nearest site to a point, ring by ring. Used to keep a
 * customer's place within the area its cell serves.
 */
export class SiteGrid {
  private readonly buckets = new Map<string, number[]>();

  constructor(private readonly net: SimNetwork) {
    net.sites.forEach((s, i) => {
      const k = `${Math.floor(s.lat / GRID_STEP)}:${Math.floor(s.lon / GRID_STEP)}`;
      const b = this.buckets.get(k);
      if (b) b.push(i);
      else this.buckets.set(k, [i]);
    });
  }

  /** Index of the site nearest to the point (-1 for a network without sites). */
  nearest(lat: number, lon: number): number {
    const a0 = Math.floor(lat / GRID_STEP);
    const b0 = Math.floor(lon / GRID_STEP);
    // Once rings 0..r−1 are scanned, a site not yet seen is at least r−1 grid steps away (the point
    // may lie at the edge of its own bucket), measured along the shorter, east-west side.
    const ringKm = GRID_STEP * 111.2 * Math.cos((lat * Math.PI) / 180);
    let best = -1;
    let bestKm = Infinity;
    if (this.buckets.size === 0) return best;
    for (let r = 0; !(best >= 0 && bestKm <= (r - 1) * ringKm); r++) {
      for (let a = a0 - r; a <= a0 + r; a++) {
        for (let b = b0 - r; b <= b0 + r; b++) {
          if (Math.max(Math.abs(a - a0), Math.abs(b - b0)) !== r) continue;
          for (const si of this.buckets.get(`${a}:${b}`) ?? []) {
            const s = this.net.sites[si];
            const d = distanceKm(lat, lon, s.lat, s.lon);
            if (d < bestKm || (d === bestKm && si < best)) (best = si, bestKm = d);
          }
        }
      }
    }
    return best;
  }
}
