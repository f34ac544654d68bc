/**
 * How per-series typed arrays grow. Doubling would leave up to half of a province's detector memory
 * unused (2.4 million series in arrays sized for 4.2 million); growing by a quarter keeps the slack
 * under 25% at a small extra copying cost while the network is first seen.
 */
export function grownCapacity(current: number): number {
  return Math.max(256, Math.ceil(current * 1.25));
}
