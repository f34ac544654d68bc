/**
 * The static cell geometry the page fetches once per inventory version: every cell's lat/lon as
 * float32 columns, its region as a u16, and the ids as one newline-joined string, behind a small JSON
 * header with region outlines (convex hulls) and district label positions. 300,000 cells come to
 * about 7 MB instead of the ~25 MB the same data takes as JSON objects, and parse without a JSON walk.
 */
import type { Cell } from '../model/index.js';
import type { GeometryHeader } from './protocol.js';

type Pt = [number, number];

/** Andrew's monotone chain on (lon, lat); returns the hull as [lat, lon] points. */
export function convexHull(points: Pt[]): Pt[] {
  const p = points.slice().sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (p.length < 3) return p.map(([x, y]) => [y, x]);
  const cross = (o: Pt, a: Pt, b: Pt) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Pt[] = [];
  for (const pt of p) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, pt) <= 0) lower.pop();
    lower.push(pt);
  }
  const upper: Pt[] = [];
  for (let i = p.length - 1; i >= 0; i--) {
    const pt = p[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, pt) <= 0) upper.pop();
    upper.push(pt);
  }
  return lower.slice(0, -1).concat(upper.slice(0, -1)).map(([x, y]) => [y, x]);
}

/**
 * The hull of many points, from the extremes per strip only: for each of 256 longitude strips the
 * northern- and southernmost point, and for each latitude strip the western- and easternmost. The
 * outline is then off by at most one strip's width, which a region outline on a wall map can afford,
 * and 300,000 points cost a pass instead of a sort.
 */
export function outlineHull(points: Pt[]): Pt[] {
  if (points.length <= 2000) return convexHull(points);
  const B = 256;
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (const [x, y] of points) {
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  const wx = (maxX - minX) / B || 1, wy = (maxY - minY) / B || 1;
  const ext: (Pt | undefined)[] = new Array(4 * B);
  for (const p of points) {
    const bx = Math.min(B - 1, Math.floor((p[0] - minX) / wx));
    const by = Math.min(B - 1, Math.floor((p[1] - minY) / wy));
    if (!ext[bx] || p[1] < ext[bx]![1]) ext[bx] = p;
    if (!ext[B + bx] || p[1] > ext[B + bx]![1]) ext[B + bx] = p;
    if (!ext[2 * B + by] || p[0] < ext[2 * B + by]![0]) ext[2 * B + by] = p;
    if (!ext[3 * B + by] || p[0] > ext[3 * B + by]![0]) ext[3 * B + by] = p;
  }
  return convexHull(ext.filter((p): p is Pt => p !== undefined));
}

const pad4 = (n: number) => (n + 3) & ~3;

/** Encodes the geometry of `cells` (in board order) as the binary layout described in protocol.ts. */
export function encodeGeometry(version: string, cells: readonly Cell[]): Buffer {
  const n = cells.length;
  const regionIndex = new Map<string, number>();
  const regionPts: Pt[][] = [];
  const districts = new Map<string, { region: string; lat: number; lon: number; cells: number }>();
  const lat = new Float32Array(n);
  const lon = new Float32Array(n);
  const region = new Uint16Array(n);
  let minLat = Infinity, maxLat = -Infinity, minLon = Infinity, maxLon = -Infinity;
  for (let i = 0; i < n; i++) {
    const c = cells[i]!;
    lat[i] = c.lat;
    lon[i] = c.lon;
    let r = regionIndex.get(c.region);
    if (r === undefined) {
      r = regionPts.length;
      regionIndex.set(c.region, r);
      regionPts.push([]);
    }
    region[i] = Math.min(r, 65535);
    regionPts[r]!.push([c.lon, c.lat]);
    const d = districts.get(c.district);
    if (d) (d.lat += c.lat, d.lon += c.lon, d.cells++);
    else districts.set(c.district, { region: c.region, lat: c.lat, lon: c.lon, cells: 1 });
    if (c.lat < minLat) minLat = c.lat;
    if (c.lat > maxLat) maxLat = c.lat;
    if (c.lon < minLon) minLon = c.lon;
    if (c.lon > maxLon) maxLon = c.lon;
  }
  const header: GeometryHeader = {
    version,
    count: n,
    regions: [...regionIndex.entries()].map(([name, r]) => {
      const pts = regionPts[r]!;
      let sLat = 0, sLon = 0;
      for (const [x, y] of pts) (sLon += x, sLat += y);
      return { name, hull: outlineHull(pts), labelLat: sLat / pts.length, labelLon: sLon / pts.length, cells: pts.length };
    }),
    districts: [...districts.entries()].map(([name, d]) => ({ name, region: d.region, lat: d.lat / d.cells, lon: d.lon / d.cells, cells: d.cells })),
    bounds: n > 0 ? { minLat, maxLat, minLon, maxLon } : null,
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const ids = Buffer.from(cells.map((c) => c.cellId).join('\n'), 'utf8');
  const headerEnd = pad4(4 + headerBytes.length);
  const latOff = headerEnd;
  const lonOff = latOff + 4 * n;
  const regOff = lonOff + 4 * n;
  const idsOff = pad4(regOff + 2 * n);
  const out = Buffer.alloc(idsOff + ids.length);
  out.writeUInt32LE(headerBytes.length, 0);
  headerBytes.copy(out, 4);
  Buffer.from(lat.buffer).copy(out, latOff);
  Buffer.from(lon.buffer).copy(out, lonOff);
  Buffer.from(region.buffer).copy(out, regOff);
  ids.copy(out, idsOff);
  return out;
}

/** The decoded geometry (the page's side of `encodeGeometry`; also used by tests). */
export interface Geometry {
  header: GeometryHeader;
  lat: Float32Array;
  lon: Float32Array;
  region: Uint16Array;
  ids: string[];
}

export function decodeGeometry(buf: ArrayBuffer): Geometry {
  const view = new DataView(buf);
  const hLen = view.getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buf, 4, hLen))) as GeometryHeader;
  const n = header.count;
  const latOff = pad4(4 + hLen);
  const lonOff = latOff + 4 * n;
  const regOff = lonOff + 4 * n;
  const idsOff = pad4(regOff + 2 * n);
  const idsText = new TextDecoder().decode(new Uint8Array(buf, idsOff));
  return {
    header,
    lat: new Float32Array(buf, latOff, n),
    lon: new Float32Array(buf, lonOff, n),
    region: new Uint16Array(buf, regOff, n),
    ids: n === 0 ? [] : idsText.split('\n'),
  };
}
