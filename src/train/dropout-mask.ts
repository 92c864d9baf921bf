// Dropout keep-masks generated on the host from a seed, so a training run is reproducible from its seed and
// step number alone (also after resuming from a checkpoint). Generator: mulberry32 (Tommy Ettinger).

/** A 32-bit seed for (run seed, step, dropout site), mixed so neighbouring steps get unrelated streams. */
export function maskSeed(seed: number, step: number, site: number): number {
  let h = Math.imul((seed | 0) ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ Math.imul(step, 0xc2b2ae35), 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 15) ^ Math.imul(site + 1, 0x165667b1), 0x85ebca6b);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Fills `out` with 1 (keep, probability 1 - p) or 0 (drop). Each 32-bit draw gives two 16-bit uniforms,
 * so p is realised to within 2^-17.
 */
export function fillKeepMask(out: Uint8Array, p: number, seed: number): void {
  const thr = Math.round(p * 65536);
  let a = seed | 0;
  const n = out.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    t = (t ^ (t >>> 14)) >>> 0;
    out[i] = (t & 0xffff) >= thr ? 1 : 0;
    out[i + 1] = t >>> 16 >= thr ? 1 : 0;
  }
  if (i < n) {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0 & 0xffff) >= thr ? 1 : 0;
  }
}
