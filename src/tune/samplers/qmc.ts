// Quasi-Monte Carlo sampling with a Halton sequence (Optuna's QMCSampler with qmc_type="halton"); Sobol is not implemented.
// Follows optuna/samplers/_qmc.py: search space fixed by the first finished trial, one sequence index per trial, categoricals one-hot.
import { UserError } from '../../util/errors.ts';
import { Rng } from '../../util/rng.ts';
import type { Distribution, ParamValue } from '../distributions.ts';
import type { FrozenTrial, JsonValue } from '../frozen-trial.ts';
import { RandomSampler } from './random.ts';
import { intersectionSearchSpace, type Sampler, type StudyView } from './sampler.ts';

const SAMPLE_ID_KEY = 'qmc:sample_id';

function primes(n: number): number[] {
  const out: number[] = [];
  for (let k = 2; out.length < n; k++) if (out.every((p) => k % p !== 0)) out.push(k);
  return out;
}

/** Radical inverse of `index` in `base`, with an optional digit permutation (scrambling). */
function radicalInverse(index: number, base: number, perm: number[] | null): number {
  let x = 0, f = 1 / base, i = index;
  while (i > 0) {
    const digit = i % base;
    x += (perm ? perm[digit] : digit) * f;
    i = Math.floor(i / base);
    f /= base;
  }
  return x;
}

export interface QMCSamplerOptions {
  /** @default 'halton' (the only sequence implemented) */
  qmcType?: 'halton';
  /** @default false: random digit permutations per dimension (seeded) */
  scramble?: boolean;
  seed?: number;
}

/** Low-discrepancy sampling of the search space of the first finished trial; other parameters are sampled at random. */
export class QMCSampler implements Sampler {
  private readonly scramble: boolean;
  private readonly seed: number;
  private readonly random: RandomSampler;
  private space: Record<string, Distribution> | null = null;
  private perms: (number[] | null)[] = [];

  /** Throws UserError for a qmc_type other than halton. */
  constructor(opts: QMCSamplerOptions = {}) {
    if ((opts.qmcType ?? 'halton') !== 'halton') throw new UserError(`QMCSampler: qmc_type "${opts.qmcType}" is not implemented; use "halton"`);
    this.scramble = opts.scramble ?? false;
    this.seed = opts.seed ?? Math.floor(Math.random() * 2 ** 32);
    this.random = new RandomSampler({ seed: this.seed });
  }

  beforeTrial(study: StudyView, trial: FrozenTrial): Record<string, JsonValue> | void {
    if (SAMPLE_ID_KEY in trial.systemAttrs || 'fixed_params' in trial.systemAttrs) return;
    let last = -1;
    for (const t of study.trials) {
      const id = t.systemAttrs[SAMPLE_ID_KEY];
      if (typeof id === 'number' && id > last) last = id;
    }
    return { [SAMPLE_ID_KEY]: last + 1 };
  }

  inferRelativeSearchSpace(study: StudyView): Record<string, Distribution> {
    if (this.space) return this.space;
    const first = study.trials.find((t) => t.state === 'COMPLETE');
    if (!first) return {};
    this.space = intersectionSearchSpace([first]);
    return this.space;
  }

  sampleRelative(_study: StudyView, trial: FrozenTrial, searchSpace: Record<string, Distribution>): Record<string, ParamValue> {
    const names = Object.keys(searchSpace);
    const index = trial.systemAttrs[SAMPLE_ID_KEY];
    if (names.length === 0 || typeof index !== 'number') return {};
    const dims = names.reduce((n, k) => {
      const d = searchSpace[k];
      return n + (d.kind === 'categorical' ? d.choices.length : 1);
    }, 0);
    const bases = primes(dims);
    if (this.perms.length !== dims) {
      const rng = new Rng(this.seed);
      this.perms = bases.map((b) => (this.scramble ? rng.shuffle(Array.from({ length: b }, (_, i) => i)) as number[] : null));
    }
    const u = bases.map((b, j) => radicalInverse(index + 1, b, this.perms[j]));
    const out: Record<string, ParamValue> = {};
    let j = 0;
    for (const name of names) {
      const d = searchSpace[name];
      if (d.kind === 'categorical') {
        let best = 0;
        for (let c = 1; c < d.choices.length; c++) if (u[j + c] > u[j + best]) best = c;
        out[name] = d.choices[best];
        j += d.choices.length;
        continue;
      }
      const half = d.kind === 'int' || d.step !== null ? (d.step ?? 1) / 2 : 0;
      let lo = d.low - half, hi = d.high + half;
      if (d.log) { lo = Math.log(lo); hi = Math.log(hi); }
      let x = lo + u[j++] * (hi - lo);
      if (d.log) x = Math.exp(x);
      if (half > 0) {
        const step = d.step ?? 1;
        x = d.low + Math.round((x - d.low) / step) * step;
      }
      out[name] = d.toExternal(Math.min(Math.max(x, d.low), d.high));
    }
    return out;
  }

  sampleIndependent(study: StudyView, trial: FrozenTrial, paramName: string, distribution: Distribution): ParamValue {
    return this.random.sampleIndependent(study, trial, paramName, distribution);
  }
}
