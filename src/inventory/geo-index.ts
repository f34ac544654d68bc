/**
 * A static 3-d k-d tree over points on the unit sphere, for nearest-cell queries. Chord distance
 * on the sphere is monotonic in great-circle distance, so nearest-by-chord is nearest-by-km.
 * Build O(n log n), query O(log n + k). Rebuilt (lazily) when the inventory changes.
 */

const EARTH_KM = 6371.0088;
const RAD = Math.PI / 180;

export interface GeoHit {
  index: number;
  km: number;
}

export class GeoIndex {
  private readonly xyz: Float64Array;
  /** Point indices in tree order: the median of [lo, hi) is the node, split on axis depth % 3. */
  private readonly order: Uint32Array;

  constructor(lat: ArrayLike<number>, lon: ArrayLike<number>, count: number) {
    this.xyz = new Float64Array(count * 3);
    for (let i = 0; i < count; i++) {
      const la = lat[i]! * RAD;
      const lo = lon[i]! * RAD;
      this.xyz[i * 3] = Math.cos(la) * Math.cos(lo);
      this.xyz[i * 3 + 1] = Math.cos(la) * Math.sin(lo);
      this.xyz[i * 3 + 2] = Math.sin(la);
    }
    this.order = new Uint32Array(count);
    for (let i = 0; i < count; i++) this.order[i] = i;
    this.build(0, count, 0);
  }

  get size(): number {
    return this.order.length;
  }

  private build(lo: number, hi: number, axis: number): void {
    if (hi - lo <= 1) return;
    const mid = (lo + hi) >>> 1;
    this.select(lo, hi - 1, mid, axis);
    const next = (axis + 1) % 3;
    this.build(lo, mid, next);
    this.build(mid + 1, hi, next);
  }

  /** Quickselect so that order[k] holds the k-th smallest along `axis` within [left, right]. */
  private select(left: number, right: number, k: number, axis: number): void {
    const o = this.order;
    const c = this.xyz;
    while (right > left) {
      const pivot = c[o[(left + right) >>> 1]! * 3 + axis]!;
      let i = left;
      let j = right;
      while (i <= j) {
        while (c[o[i]! * 3 + axis]! < pivot) i++;
        while (c[o[j]! * 3 + axis]! > pivot) j--;
        if (i <= j) {
          const t = o[i]!;
          o[i] = o[j]!;
          o[j] = t;
          i++;
          j--;
        }
      }
      if (k <= j) right = j;
      else if (k >= i) left = i;
      else return;
    }
  }

  /** Up to k nearest points, nearest first, within maxKm when given. */
  nearest(lat: number, lon: number, k: number, maxKm = Infinity): GeoHit[] {
    if (k <= 0 || this.order.length === 0) return [];
    const la = lat * RAD;
    const lo = lon * RAD;
    const qx = Math.cos(la) * Math.cos(lo);
    const qy = Math.cos(la) * Math.sin(lo);
    const qz = Math.sin(la);
    // Max distance as squared chord length.
    const maxChord = maxKm === Infinity ? Infinity : 2 * Math.sin(Math.min(maxKm / EARTH_KM, Math.PI) / 2);
    const heap = new BoundedMaxHeap(k, maxChord === Infinity ? Infinity : maxChord * maxChord);
    const q = [qx, qy, qz];
    this.search(0, this.order.length, 0, q, heap);
    return heap.sorted().map(({ index, d2 }) => ({ index, km: 2 * Math.asin(Math.min(1, Math.sqrt(d2) / 2)) * EARTH_KM }));
  }

  private search(lo: number, hi: number, axis: number, q: number[], heap: BoundedMaxHeap): void {
    if (hi <= lo) return;
    const mid = (lo + hi) >>> 1;
    const p = this.order[mid]!;
    const c = this.xyz;
    const dx = c[p * 3]! - q[0]!;
    const dy = c[p * 3 + 1]! - q[1]!;
    const dz = c[p * 3 + 2]! - q[2]!;
    heap.offer(p, dx * dx + dy * dy + dz * dz);
    const diff = q[axis]! - c[p * 3 + axis]!;
    const next = (axis + 1) % 3;
    const [first, second] = diff < 0 ? [[lo, mid], [mid + 1, hi]] : [[mid + 1, hi], [lo, mid]];
    this.search(first![0]!, first![1]!, next, q, heap);
    if (diff * diff < heap.bound()) this.search(second![0]!, second![1]!, next, q, heap);
  }
}

/** Keeps the k smallest distances seen; `bound()` is the distance a candidate must beat. */
class BoundedMaxHeap {
  private readonly idx: number[] = [];
  private readonly d2: number[] = [];

  constructor(private readonly k: number, private readonly limit: number) {}

  bound(): number {
    return this.idx.length < this.k ? this.limit : Math.min(this.limit, this.d2[0]!);
  }

  offer(index: number, d2: number): void {
    if (d2 > this.limit) return;
    if (this.idx.length < this.k) {
      this.idx.push(index);
      this.d2.push(d2);
      this.up(this.idx.length - 1);
    } else if (d2 < this.d2[0]!) {
      this.idx[0] = index;
      this.d2[0] = d2;
      this.down(0);
    }
  }

  sorted(): { index: number; d2: number }[] {
    return this.idx.map((index, i) => ({ index, d2: this.d2[i]! })).sort((a, b) => a.d2 - b.d2);
  }

  private swap(a: number, b: number): void {
    [this.idx[a], this.idx[b]] = [this.idx[b]!, this.idx[a]!];
    [this.d2[a], this.d2[b]] = [this.d2[b]!, this.d2[a]!];
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.d2[parent]! >= this.d2[i]!) return;
      this.swap(parent, i);
      i = parent;
    }
  }

  private down(i: number): void {
    const n = this.idx.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.d2[l]! > this.d2[m]!) m = l;
      if (r < n && this.d2[r]! > this.d2[m]!) m = r;
      if (m === i) return;
      this.swap(m, i);
      i = m;
    }
  }
}

/** Great-circle distance in km (haversine), for tests and small computations. */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}
