// The Sobol low-discrepancy sequence in Gray-code order with 30-bit direction numbers (as scipy.stats.qmc.Sobol, which
// Optuna's QMCSampler uses), plus an optional seeded linear matrix scramble and digital shift.
// Direction numbers: S. Joe and F. Y. Kuo, "Constructing Sobol sequences with better two-dimensional projections",
// SIAM J. Sci. Comput. 30 (2008), file new-joe-kuo-6.21201, dimensions 2..64 (each row: degree s, polynomial a, m_1..m_s).
import { Rng } from '../../util/rng.ts';
import { UserError } from '../../util/errors.ts';

const BITS = 30;

const JOE_KUO = '1 0 1|2 1 1 3|3 1 1 3 1|3 2 1 1 1|4 1 1 1 3 3|4 4 1 3 5 13|5 2 1 1 5 5 17|5 4 1 1 5 5 5|5 7 1 1 7 11 19|' +
  '5 11 1 1 5 1 1|5 13 1 1 1 3 11|5 14 1 3 5 5 31|6 1 1 3 3 9 7 49|6 13 1 1 1 15 21 21|6 16 1 3 1 13 27 49|6 19 1 1 1 15 7 5|' +
  '6 22 1 3 1 15 13 25|6 25 1 1 5 5 19 61|7 1 1 3 7 11 23 15 103|7 4 1 3 7 13 13 15 69|7 7 1 1 3 13 7 35 63|7 8 1 3 5 9 1 25 53|' +
  '7 14 1 3 1 13 9 35 107|7 19 1 3 1 5 27 61 31|7 21 1 1 5 11 19 41 61|7 28 1 3 5 3 3 13 69|7 31 1 1 7 13 1 19 1|' +
  '7 32 1 3 7 5 13 19 59|7 37 1 1 3 9 25 29 41|7 41 1 3 5 13 23 1 55|7 42 1 3 7 3 13 59 17|7 50 1 3 1 3 5 53 69|' +
  '7 55 1 1 5 5 23 33 13|7 56 1 1 7 7 1 61 123|7 59 1 1 7 9 13 61 49|7 62 1 3 3 5 3 55 33|8 14 1 3 1 15 31 13 49 245|' +
  '8 21 1 3 5 15 31 59 63 97|8 22 1 3 1 11 11 11 77 249|8 38 1 3 1 11 27 43 71 9|8 47 1 1 7 15 21 11 81 45|' +
  '8 49 1 3 7 3 25 31 65 79|8 50 1 3 1 1 19 11 3 205|8 52 1 1 5 9 19 21 29 157|8 56 1 3 7 11 1 33 89 185|' +
  '8 67 1 3 3 3 15 9 79 71|8 70 1 3 7 11 15 39 119 27|8 84 1 1 3 1 11 31 97 225|8 97 1 1 1 3 23 43 57 177|' +
  '8 103 1 3 7 7 17 17 37 71|8 115 1 3 1 5 27 63 123 213|8 122 1 1 3 5 11 43 53 133|9 8 1 3 5 5 29 17 47 173 479|' +
  '9 13 1 3 3 11 3 1 109 9 69|9 16 1 1 1 5 17 39 23 5 343|9 22 1 3 1 5 25 15 31 103 499|9 25 1 1 1 11 11 17 63 105 183|' +
  '9 44 1 1 5 11 9 29 97 231 363|9 47 1 1 5 15 19 45 41 7 383|9 52 1 3 7 7 31 19 83 137 221';

/** Direction numbers v[dim][j] (30-bit, left-aligned) for dimensions 0..63; dimension 0 is van der Corput. */
const DIRECTIONS: readonly Uint32Array[] = (() => {
  const all = [Uint32Array.from({ length: BITS }, (_, j) => 1 << (BITS - 1 - j))];
  for (const row of JOE_KUO.split('|')) {
    const [s, a, ...m] = row.split(' ').map(Number);
    const v = new Uint32Array(BITS);
    for (let j = 0; j < BITS; j++) {
      if (j < s) { v[j] = m[j] << (BITS - 1 - j); continue; }
      let x = v[j - s] ^ (v[j - s] >>> s);
      for (let k = 1; k < s; k++) if ((a >>> (s - 1 - k)) & 1) x ^= v[j - k];
      v[j] = x;
    }
    all.push(v);
  }
  return all;
})();

/** Most dimensions a Sobol point can have here. */
export const SOBOL_MAX_DIMS = DIRECTIONS.length;

/** Point `index` (0-based, Gray-code order: point 0 is the origin unscrambled) of a d-dimensional Sobol sequence. */
export class Sobol {
  private readonly dirs: Uint32Array[];
  private readonly shift: Uint32Array;

  /** With `scrambleSeed`, each dimension's directions get a random unit lower-triangular bit matrix and a random shift. */
  constructor(readonly d: number, scrambleSeed: number | null = null) {
    if (!Number.isInteger(d) || d < 1 || d > SOBOL_MAX_DIMS) throw new UserError(`Sobol: between 1 and ${SOBOL_MAX_DIMS} dimensions, got ${d}`);
    this.dirs = DIRECTIONS.slice(0, d).map((v) => Uint32Array.from(v));
    this.shift = new Uint32Array(d);
    if (scrambleSeed === null) return;
    const rng = Rng.fromKey('sobol-scramble', scrambleSeed, d);
    for (let k = 0; k < d; k++) {
      // row r of L (bit r from the top) has a 1 at r and random bits left of it: output bit r = XOR of L[r][c] & input bit c, c <= r
      const rows = Array.from({ length: BITS }, (_, r) => {
        let bits = 1 << (BITS - 1 - r);
        for (let c = 0; c < r; c++) if (rng.nextU32() & 1) bits |= 1 << (BITS - 1 - c);
        return bits;
      });
      const v = this.dirs[k];
      for (let j = 0; j < BITS; j++) {
        let out = 0;
        for (let r = 0; r < BITS; r++) if (popParity(rows[r] & v[j])) out |= 1 << (BITS - 1 - r);
        v[j] = out >>> 0;
      }
      this.shift[k] = rng.nextU32() >>> (32 - BITS);
    }
  }

  point(index: number): number[] {
    if (!Number.isInteger(index) || index < 0 || index >= 2 ** BITS) throw new RangeError(`Sobol: index ${index} outside 0..2^${BITS}-1`);
    const gray = index ^ (index >>> 1);
    const out: number[] = [];
    for (let k = 0; k < this.d; k++) {
      let x = this.shift[k];
      const v = this.dirs[k];
      for (let j = 0, g = gray; g > 0; j++, g >>>= 1) if (g & 1) x ^= v[j];
      out.push((x >>> 0) / 2 ** BITS);
    }
    return out;
  }
}

function popParity(x: number): number {
  x ^= x >>> 16;
  x ^= x >>> 8;
  x ^= x >>> 4;
  x ^= x >>> 2;
  x ^= x >>> 1;
  return x & 1;
}
