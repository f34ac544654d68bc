/**
 * A small, fast, seeded pseudo-random number generator and the distributions the simulator draws
 * from. Everything the simulator produces derives from one integer seed, so a run can be repeated
 * exactly: same seed, same network, same records, same faults.
 *
 * Streams are cheap to re-seed: each feed re-seeds its generator from `(seed, feed, tick)` at every
 * tick, so one feed's draws never shift another's and disabling a feed leaves the others unchanged.
 */

/** A 32-bit integer mix of any number of 32-bit inputs (murmur3-style finaliser per step). */
export function hash32(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    let k = Math.imul(p | 0, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
    // Numbers above 2^32 (tick indices are not, but be safe) fold their high part in too.
    if (p > 0xffffffff || p < -0x80000000) h ^= Math.floor(p / 0x100000000) | 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A stable 32-bit hash of a string (for ids and names given in scenario files). */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return hash32(h);
}

const TWO_POW_32 = 4294967296;

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): 128 bits of state, passes PractRand,
 * and needs only 32-bit integer operations, which V8 runs without allocating.
 */
export class Rng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;
  /** Second normal deviate left over from the last Box–Muller draw. */
  private spare = NaN;

  constructor(...seed: number[]) {
    this.reseed(...seed);
  }

  /** Restarts the stream from a new seed (any number of integers, hashed together). */
  reseed(...seed: number[]): this {
    this.a = hash32(0x51ed27, ...seed);
    this.b = hash32(0x2f1c4b, ...seed);
    this.c = hash32(0x7a3d11, ...seed);
    this.d = 1;
    this.spare = NaN;
    for (let i = 0; i < 12; i++) this.nextU32();
    return this;
  }

  /** Uniform 32-bit unsigned integer. */
  nextU32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextU32() / TWO_POW_32;
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** Standard normal deviate (Marsaglia's polar method: no trigonometry; pairs cached). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const s = this.spare;
      this.spare = NaN;
      return s;
    }
    let x: number;
    let y: number;
    let r: number;
    do {
      x = 2 * this.next() - 1;
      y = 2 * this.next() - 1;
      r = x * x + y * y;
    } while (r >= 1 || r === 0);
    const f = Math.sqrt((-2 * Math.log(r)) / r);
    this.spare = y * f;
    return x * f;
  }

  /** Normal with mean and standard deviation. */
  gauss(mean: number, sd: number): number {
    return mean + sd * this.normal();
  }

  /** Log-normal whose median is `median` and whose log has standard deviation `sigma`. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** Poisson count with mean `lambda`: exact (Knuth) for small means, normal approximation above 30. */
  poisson(lambda: number): number {
    if (!(lambda > 0)) return 0;
    if (lambda > 30) {
      const x = Math.round(lambda + Math.sqrt(lambda) * this.normal());
      return x < 0 ? 0 : x;
    }
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /**
   * About `n · p`, stochastically rounded: for splitting a count into sub-counts (attempts that go on
   * to the next procedure) where the split's own noise is irrelevant and a full binomial draw would
   * cost more than everything else in the record.
   */
  split(n: number, p: number): number {
    return Math.floor(n * p + this.next());
  }

  /**
   * Binomial count of successes in `n` trials of probability `p`. Exact (inversion on the rarer
   * outcome) while the expected count of that outcome is small — this is where noise matters, e.g. a
   * quiet night-time cell — and a rounded, clamped normal approximation when it is large.
   */
  binomial(n: number, p: number): number {
    if (n <= 0 || p <= 0) return 0;
    if (p >= 1) return n;
    const flip = p > 0.5;
    const q = flip ? 1 - p : p;
    const mean = n * q;
    let x: number;
    if (mean < 12) {
      // Inversion: walk the pmf from 0; expected iterations ≈ mean + 1.
      const s = q / (1 - q);
      const a = (n + 1) * s;
      // exp(n·ln(1−q)) rather than (1−q)^n: Math.pow costs three times as much here.
      let r = Math.exp(n * Math.log1p(-q));
      let u = this.next();
      x = 0;
      while (u > r && x < n) {
        u -= r;
        x++;
        r *= a / x - s;
        if (r <= 0) break;
      }
    } else {
      x = Math.round(mean + Math.sqrt(mean * (1 - q)) * this.normal());
      if (x < 0) x = 0;
      else if (x > n) x = n;
    }
    return flip ? n - x : x;
  }
}

/**
 * Draws indices with probability proportional to non-negative weights in O(1) (Walker's alias
 * method): used to place complaints on cells by subscribers, thousands of times per simulated hour.
 */
export class AliasTable {
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;

  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    if (n === 0) throw new Error('AliasTable needs at least one weight');
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    let total = 0;
    for (let i = 0; i < n; i++) total += Math.max(0, weights[i]);
    const scaled = new Float64Array(n);
    for (let i = 0; i < n; i++) scaled[i] = total > 0 ? (Math.max(0, weights[i]) * n) / total : 1;
    const small: number[] = [];
    const large: number[] = [];
    for (let i = 0; i < n; i++) (scaled[i] < 1 ? small : large).push(i);
    while (small.length > 0 && large.length > 0) {
      const s = small.pop() as number;
      const l = large.pop() as number;
      this.prob[s] = scaled[s];
      this.alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1;
      (scaled[l] < 1 ? small : large).push(l);
    }
    for (const i of large) this.prob[i] = 1;
    for (const i of small) this.prob[i] = 1;
  }

  get size(): number {
    return this.prob.length;
  }

  sample(rng: Rng): number {
    const i = rng.int(this.prob.length);
    return rng.next() < this.prob[i] ? i : this.alias[i];
  }
}

/** Picks a key of a weight table, e.g. `{ hotline: 55, app: 15 }`. */
export class WeightedChoice<K extends string> {
  private readonly keys: K[];
  private readonly table: AliasTable;

  constructor(weights: Readonly<Partial<Record<K, number>>>) {
    this.keys = Object.keys(weights) as K[];
    this.table = new AliasTable(this.keys.map((k) => weights[k] ?? 0));
  }

  sample(rng: Rng): K {
    return this.keys[this.table.sample(rng)];
  }
}

/** A seeded stream of uniforms in [0, 1) as a plain function (benchmarks and tests). */
export function uniforms(...seed: number[]): () => number {
  const r = new Rng(...seed);
  return () => r.next();
}
