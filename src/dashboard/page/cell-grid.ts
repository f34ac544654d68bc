/**
 * A uniform grid over the cells' bounding box (256 × 256 buckets, counting-sort layout in two typed
 * arrays), so a click or hover finds the nearest cell by looking at a few buckets instead of all
 * 300,000 cells.
 */
import type { Geometry } from '../geometry.js';

const GRID = 256;

export class CellGrid {
  private readonly start: Int32Array;
  private readonly items: Int32Array;
  private readonly minLat: number;
  private readonly minLon: number;
  private readonly dLat: number;
  private readonly dLon: number;

  constructor(private readonly g: Geometry) {
    const b = g.header.bounds ?? { minLat: 0, maxLat: 0, minLon: 0, maxLon: 0 };
    const n = g.header.count;
    this.minLat = b.minLat;
    this.minLon = b.minLon;
    this.dLat = Math.max(1e-9, (b.maxLat - b.minLat) / GRID);
    this.dLon = Math.max(1e-9, (b.maxLon - b.minLon) / GRID);
    const bin = new Int32Array(n);
    const counts = new Int32Array(GRID * GRID + 1);
    for (let i = 0; i < n; i++) {
      bin[i] = this.row(g.lat[i]!) * GRID + this.col(g.lon[i]!);
      counts[bin[i]! + 1]!++;
    }
    for (let k = 1; k < counts.length; k++) counts[k]! += counts[k - 1]!;
    const fill = counts.slice(0, GRID * GRID);
    const items = new Int32Array(n);
    for (let i = 0; i < n; i++) items[fill[bin[i]!]!++] = i;
    this.start = counts;
    this.items = items;
  }

  private col(lon: number): number {
    return Math.min(GRID - 1, Math.max(0, Math.floor((lon - this.minLon) / this.dLon)));
  }

  private row(lat: number): number {
    return Math.min(GRID - 1, Math.max(0, Math.floor((lat - this.minLat) / this.dLat)));
  }

  /**
   * The cell with the smallest `score` among those within the lat/lon box around a point, or null
   * when none scores below `limit`.
   */
  nearest(lat: number, lon: number, rLat: number, rLon: number, score: (i: number) => number, limit: number): number | null {
    let best: number | null = null;
    let bestScore = limit;
    const gy1 = this.row(lat + rLat), gx1 = this.col(lon + rLon);
    for (let gy = this.row(lat - rLat); gy <= gy1; gy++) {
      for (let gx = this.col(lon - rLon); gx <= gx1; gx++) {
        const b = gy * GRID + gx;
        for (let k = this.start[b]!; k < this.start[b + 1]!; k++) {
          const i = this.items[k]!;
          const s = score(i);
          if (s < bestScore) (bestScore = s, best = i);
        }
      }
    }
    return best;
  }
}
