// Quasi-Monte Carlo sampling (Optuna's QMCSampler): Sobol by default (points equal to scipy's), or Halton.
// Follows optuna/samplers/_qmc.py: the search space is the numeric parameters of the first finished trial (categoricals
// and other parameters are sampled at random), and each trial asked after it takes the next sequence index from 0.
import { UserError } from '../../util/errors.ts';
import { Rng } from '../../util/rng.ts';
import type { Distribution, ParamValue } from '../distributions.ts';
import type { FrozenTrial, JsonValue } from '../frozen-trial.ts';
import { RandomSampler } from './random.ts';
import { intersectionSearchSpace, type Sampler, type StudyView } from './sampler.ts';
import { SOBOL_MAX_DIMS, Sobol } from './sobol.ts';

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
  /** @default 'sobol' (Optuna 4.x) */
  qmcType?: 'sobol' | 'halton';
  /** @default false (Optuna 4.x, so workers without a shared seed draw the same sequence): true randomises it from the seed */
  scramble?: boolean;
  seed?: number;
}

const FINISHED = ['COMPLETE', 'PRUNED'];

/** Low-discrepancy sampling of the numeric search space of the first finished trial; other parameters are sampled at random. */
export class QMCSampler implements Sampler {
  readonly qmcType: 'sobol' | 'halton';
  private readonly scramble: boolean;
  private readonly seed: number;
  private readonly random: RandomSampler;
  private space: Record<string, Distribution> | null = null;
  private perms: (number[] | null)[] = [];
  private sobol: Sobol | null = null;

  /** Throws UserError for a qmc_type other than sobol or halton. */
  constructor(opts: QMCSamplerOptions = {}) {
    const type = opts.qmcType ?? 'sobol';
    if (type !== 'sobol' && type !== 'halton') throw new UserError(`QMCSampler: qmc_type must be "sobol" or "halton", got ${JSON.stringify(type)}`);
    this.qmcType = type;
    this.scramble = opts.scramble ?? false;
    this.seed = opts.seed ?? Math.floor(Math.random() * 2 ** 32);
    this.random = new RandomSampler({ seed: this.seed });
  }

  /** Numbers trials asked once the space is known (0, 1, ...), as Optuna's per-study sample id. */
  beforeTrial(study: StudyView, trial: FrozenTrial): Record<string, JsonValue> | void {
    if (SAMPLE_ID_KEY in trial.systemAttrs || 'fixed_params' in trial.systemAttrs) return;
    if (!study.trials.some((t) => FINISHED.includes(t.state) && t.number !== trial.number)) return;
    let last = -1;
    for (const t of study.trials) {
      const id = t.systemAttrs[SAMPLE_ID_KEY];
      if (typeof id === 'number' && id > last) last = id;
    }
    return { [SAMPLE_ID_KEY]: last + 1 };
  }

  inferRelativeSearchSpace(study: StudyView): Record<string, Distribution> {
    if (this.space) return this.space;
    const first = study.trials.find((t) => FINISHED.includes(t.state));
    if (!first) return {};
    const space = intersectionSearchSpace([first]);
    for (const [k, d] of Object.entries(space)) if (d.kind === 'categorical') delete space[k];
    this.space = space;
    return space;
  }

  private unitPoint(index: number, dims: number): number[] {
    if (this.qmcType === 'sobol') {
      if (dims > SOBOL_MAX_DIMS) throw new UserError(`QMCSampler: Sobol supports at most ${SOBOL_MAX_DIMS} numeric parameters, got ${dims}`);
      if (!this.sobol || this.sobol.d !== dims) this.sobol = new Sobol(dims, this.scramble ? this.seed : null);
      return this.sobol.point(index);
    }
    const bases = primes(dims);
    if (this.perms.length !== dims) {
      const rng = new Rng(this.seed);
      this.perms = bases.map((b) => (this.scramble ? rng.shuffle(Array.from({ length: b }, (_, i) => i)) as number[] : null));
    }
    return bases.map((b, j) => radicalInverse(index, b, this.perms[j]));
  }

  sampleRelative(_study: StudyView, trial: FrozenTrial, searchSpace: Record<string, Distribution>): Record<string, ParamValue> {
    const names = Object.keys(searchSpace);
    const index = trial.systemAttrs[SAMPLE_ID_KEY];
    if (names.length === 0 || typeof index !== 'number') return {};
    const u = this.unitPoint(index, names.length);
    const out: Record<string, ParamValue> = {};
    names.forEach((name, j) => {
      const d = searchSpace[name];
      if (d.kind === 'categorical') return;
      const half = d.kind === 'int' || d.step !== null ? (d.step ?? 1) / 2 : 0;
      let lo = d.low - half, hi = d.high + half;
      if (d.log) { lo = Math.log(lo); hi = Math.log(hi); }
      let x = lo + u[j] * (hi - lo);
      if (d.log) x = Math.exp(x);
      if (half > 0) {
        const step = d.step ?? 1;
        x = d.low + Math.round((x - d.low) / step) * step;
      }
      out[name] = d.toExternal(Math.min(Math.max(x, d.low), d.high));
    });
    return out;
  }

  sampleIndependent(study: StudyView, trial: FrozenTrial, paramName: string, distribution: Distribution): ParamValue {
    return this.random.sampleIndependent(study, trial, paramName, distribution);
  }
}
