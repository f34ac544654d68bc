/**
 * How per-series typed arrays grow: doubling. A fresh typed array is zeroed memory the system hands
 * out lazily, so the slack beyond the last series costs address space, not resident memory (RSS);
 * what growth costs is the copying while the network is first seen, and doubling copies each byte
 * about once (growing by a quarter copied it about five times: a 300,000-cell first period took
 * 34 s, a later one 8 s).
 */
export function grownCapacity(current: number): number {
  return Math.max(256, current * 2);
}

type TypedArray = Int32Array | Uint8Array | Uint16Array | Float32Array | Float64Array;

/** A copy of `a` with room for `length` elements (the rest `fill`, zero unless given). */
export function resized<T extends TypedArray>(a: T, length: number, fill?: number): T {
  const b = new (a.constructor as new (n: number) => T)(length);
  if (fill !== undefined) b.fill(fill);
  b.set(a);
  return b;
}
