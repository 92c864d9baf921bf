// Seeded pseudo-random numbers: xoshiro128** (Blackman & Vigna) seeded through splitmix32.
// Every random choice in tokcast goes through an Rng so a run is reproducible from its seed.
import { createHash } from 'node:crypto';

function splitmix32(state: number): [number, number] {
  state = (state + 0x9e3779b9) | 0;
  let z = state;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return [state, z >>> 0];
}

/** A deterministic random generator; the same seed gives the same stream on every machine. */
export class Rng {
  private s = new Uint32Array(4);
  private spareNormal: number | null = null;

  constructor(seed: number) {
    let st = (Math.floor(seed) ^ Math.floor(seed / 2 ** 32)) | 0;
    for (let i = 0; i < 4; i++) {
      const [next, z] = splitmix32(st);
      st = next;
      this.s[i] = z;
    }
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) this.s[0] = 1;
  }

  /**
   * A generator whose whole state is the SHA-256 of `parts` (joined unambiguously): keys that differ in any part give
   * unrelated streams, so (seed, study, trial number) never collide the way seed + count does.
   */
  static fromKey(...parts: ReadonlyArray<string | number>): Rng {
    const h = createHash('sha256');
    for (const p of parts) {
      const s = typeof p === 'number' ? `n${p}` : `s${p}`;
      h.update(`${s.length}:${s};`);
    }
    const d = h.digest();
    const r = new Rng(0);
    for (let i = 0; i < 4; i++) r.s[i] = d.readUInt32LE(4 * i);
    if ((r.s[0] | r.s[1] | r.s[2] | r.s[3]) === 0) r.s[0] = 1;
    return r;
  }

  /** Next 32-bit unsigned integer. */
  nextU32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  random(): number {
    const hi = this.nextU32() >>> 5; // 27 bits
    const lo = this.nextU32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform double in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.random();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (n <= 0) throw new RangeError(`Rng.int: n must be positive, got ${n}`);
    return Math.floor(this.random() * n);
  }

  /** Standard normal (Marsaglia polar method). */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    let u = 0, v = 0, s = 0;
    do {
      u = 2 * this.random() - 1;
      v = 2 * this.random() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * f;
    return u * f;
  }

  /** Gamma(shape, 1) variate (Marsaglia & Tsang 2000). */
  gamma(shape: number): number {
    if (shape < 1) return this.gamma(shape + 1) * Math.pow(this.random() || Number.MIN_VALUE, 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x = 0, v = 0;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.random();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  /** Student-t variate with nu degrees of freedom (unit scale, not unit variance). */
  studentT(nu: number): number {
    return this.normal() / Math.sqrt((2 * this.gamma(nu / 2)) / nu);
  }

  /** In-place Fisher-Yates shuffle. */
  shuffle<T>(a: T[] | Int32Array | Uint32Array | Float64Array): typeof a {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  /** A new generator whose stream is independent of this one's future draws. */
  fork(): Rng {
    return new Rng(this.nextU32() * 4294967296 + this.nextU32());
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
