// Tree-structured Parzen Estimator sampler (Optuna 4.9 maths; multivariate, group and constant-liar options).
// Follows docs/tuning.md#tpe-sampler and optuna/samplers/_tpe/sampler.py; Bergstra et al. 2011, Watanabe 2023 ("TPE tutorial").
import type { Distribution, ParamValue } from '../../distributions.ts';
import type { FrozenTrial, StudyDirection, TrialState } from '../../frozen-trial.ts';
import { UserError } from '../../../util/errors.ts';
import { RandomSampler } from '../random.ts';
import { RELATIVE_PARAMS_KEY, groupDecomposedSearchSpace, intersectionSearchSpace, randomSeed, trialRng, type Sampler, type StudyView } from '../sampler.ts';
import { ParzenEstimator, defaultWeights, type ParzenParams } from './parzen.ts';
import { splitCompleteMultiObjective, weightsBelowMultiObjective } from './multi-objective.ts';
import { defaultGamma, hyperoptDefaultGamma, splitTrials } from './split.ts';

export interface TPESamplerOptions {
  /** @default 10: random sampling until this many COMPLETE+PRUNED trials exist */
  nStartupTrials?: number;
  /** @default 24: candidates drawn from l(x) per decision */
  nEiCandidates?: number;
  /** @default min(ceil(0.1 n), 25) */
  gamma?: (n: number) => number;
  /** @default Optuna's ramp (defaultWeights) */
  weights?: (m: number) => number[];
  /** @default 1 */
  priorWeight?: number;
  /** @default true */
  considerMagicClip?: boolean;
  /** @default false */
  considerEndpoints?: boolean;
  /** @default false (Optuna 4.x): true decides the intersection search space jointly */
  multivariate?: boolean;
  /** @default false: split the space into groups of parameters that always co-occur (needs multivariate) */
  group?: boolean;
  /** @default false (Optuna 4.x): true counts RUNNING trials as bad ("above") observations, for parallel workers */
  constantLiar?: boolean;
  seed?: number;
}

/** TPE sampler; deterministic given `seed` and the trials it is shown. */
export class TPESampler implements Sampler {
  readonly nStartupTrials: number;
  readonly nEiCandidates: number;
  readonly gamma: (n: number) => number;
  readonly multivariate: boolean;
  readonly group: boolean;
  readonly constantLiar: boolean;
  readonly parzen: ParzenParams;
  readonly publishesRelativeParams: boolean;
  /** Each trial's draws come from streams hashed from (seed, study, trial number, parameters); see trialRng. */
  readonly seed: number;
  private random: RandomSampler;

  /** Throws UserError for invalid options (negative counts, group without multivariate, negative prior weight). */
  constructor(opts: TPESamplerOptions = {}) {
    this.nStartupTrials = opts.nStartupTrials ?? 10;
    this.nEiCandidates = opts.nEiCandidates ?? 24;
    this.gamma = opts.gamma ?? defaultGamma;
    this.multivariate = opts.multivariate ?? false;
    this.group = opts.group ?? false;
    this.constantLiar = opts.constantLiar ?? false;
    if (!Number.isInteger(this.nStartupTrials) || this.nStartupTrials < 0) throw new UserError(`TPESampler: n_startup_trials must be an integer >= 0, got ${this.nStartupTrials}`);
    if (!Number.isInteger(this.nEiCandidates) || this.nEiCandidates < 1) throw new UserError(`TPESampler: n_ei_candidates must be an integer >= 1, got ${this.nEiCandidates}`);
    if (this.group && !this.multivariate) throw new UserError('TPESampler: group=true requires multivariate=true');
    this.publishesRelativeParams = this.multivariate && this.constantLiar;
    const priorWeight = opts.priorWeight ?? 1;
    if (!(priorWeight >= 0)) throw new UserError(`TPESampler: prior_weight must be >= 0, got ${priorWeight}`);
    this.parzen = {
      priorWeight, considerMagicClip: opts.considerMagicClip ?? true, considerEndpoints: opts.considerEndpoints ?? false,
      weights: opts.weights ?? defaultWeights, multivariate: this.multivariate,
    };
    this.seed = opts.seed ?? randomSeed();
    this.random = new RandomSampler({ seed: this.seed });
  }

  /** hyperopt's settings (Optuna's TPESampler.hyperopt_parameters): 20 startup trials, gamma min(ceil(0.25 sqrt(n)), 25). */
  static hyperoptParameters(): TPESamplerOptions {
    return { nStartupTrials: 20, gamma: hyperoptDefaultGamma, considerMagicClip: true, considerEndpoints: false };
  }

  private nFinished(study: StudyView): number {
    let n = 0;
    for (const t of study.trials) if (t.state === 'COMPLETE' || t.state === 'PRUNED') n++;
    return n;
  }

  inferRelativeSearchSpace(study: StudyView): Record<string, Distribution> {
    if (!this.multivariate) return {};
    if (!this.group) return intersectionSearchSpace(study.trials);
    return Object.assign({}, ...groupDecomposedSearchSpace(study.trials));
  }

  sampleRelative(study: StudyView, trial: FrozenTrial, searchSpace: Record<string, Distribution>): Record<string, ParamValue> {
    if (Object.keys(searchSpace).length === 0) return {};
    if (this.nFinished(study) < this.nStartupTrials) return {};
    if (!this.group) return this.sample(study, trial, searchSpace);
    const out: Record<string, ParamValue> = {};
    for (const g of groupDecomposedSearchSpace(study.trials)) {
      const sub: Record<string, Distribution> = {};
      for (const [k, d] of Object.entries(g)) if (k in searchSpace) sub[k] = d;
      if (Object.keys(sub).length) Object.assign(out, this.sample(study, trial, sub));
    }
    return out;
  }

  sampleIndependent(study: StudyView, trial: FrozenTrial, paramName: string, distribution: Distribution): ParamValue {
    if (this.nFinished(study) < this.nStartupTrials) return this.random.sampleIndependent(study, trial, paramName, distribution);
    return this.sample(study, trial, { [paramName]: distribution })[paramName];
  }

  private splitCache: { trials: readonly FrozenTrial[]; number: number; below: FrozenTrial[]; above: FrozenTrial[] } | null = null;

  /** The below/above split for this trial; reused while the same snapshot is sampled (independent mode asks once per param). */
  private split(study: StudyView, trial: FrozenTrial): { below: FrozenTrial[]; above: FrozenTrial[] } {
    const c = this.splitCache;
    if (c && c.trials === study.trials && c.number === trial.number) return c;
    const states: TrialState[] = this.constantLiar ? ['COMPLETE', 'PRUNED', 'RUNNING'] : ['COMPLETE', 'PRUNED'];
    const trials = study.trials.filter((t) => states.includes(t.state) && t.number !== trial.number);
    let n = 0;
    for (const t of trials) if (t.state !== 'RUNNING') n++;
    const { below, above } = study.directions.length > 1 ? splitMultiObjective(trials, this.gamma(n), study.directions) : splitTrials(trials, this.gamma(n), study.directions[0]);
    this.splitCache = { trials: study.trials, number: trial.number, below, above };
    return { below, above };
  }

  /** Split, fit l and g, draw candidates from l, return the candidate maximising log l - log g (external values). */
  sample(study: StudyView, trial: FrozenTrial, searchSpace: Record<string, Distribution>): Record<string, ParamValue> {
    let { below, above } = this.split(study, trial);
    let lowerParams = this.parzen;
    if (study.directions.length > 1) {
      // several objectives: below trials weighted by their hypervolume contribution (Optuna's MOTPE)
      below = below.filter((t) => Object.keys(searchSpace).every((k) => k in t.params));
      const w = weightsBelowMultiObjective(below, study.directions);
      lowerParams = { ...this.parzen, weights: () => w };
    }
    const lower = new ParzenEstimator(observations(below, searchSpace), searchSpace, lowerParams);
    const upper = new ParzenEstimator(observations(above, searchSpace), searchSpace, this.parzen);
    const candidates = lower.sample(trialRng(this.seed, study, trial, `tpe:${Object.keys(searchSpace).join(',')}`), this.nEiCandidates);
    const best = argmaxAcquisition(lower, upper, candidates);
    const out: Record<string, ParamValue> = {};
    for (const [name, d] of Object.entries(searchSpace)) out[name] = d.toExternal(candidates[name][best]);
    return out;
  }
}

/** Several objectives: COMPLETE trials by rank + hypervolume (multi-objective.ts); PRUNED and RUNNING trials above. */
function splitMultiObjective(trials: readonly FrozenTrial[], nBelow: number, directions: readonly StudyDirection[]): { below: FrozenTrial[]; above: FrozenTrial[] } {
  const complete = trials.filter((t) => t.state === 'COMPLETE');
  const { below, above } = splitCompleteMultiObjective(complete, Math.min(nBelow, complete.length), directions);
  above.push(...trials.filter((t) => t.state !== 'COMPLETE'));
  above.sort((a, b) => a.number - b.number);
  return { below, above };
}

/**
 * Internal values of the trials that have every parameter of the space, in the given (trial-number) order; a RUNNING
 * trial's not-yet-stored parameters come from the relative params it published (constant liar, Optuna 4.5+).
 */
export function observations(trials: readonly FrozenTrial[], space: Record<string, Distribution>): Record<string, number[]> {
  const names = Object.keys(space);
  const out: Record<string, number[]> = Object.fromEntries(names.map((k) => [k, []]));
  for (const t of trials) {
    let params = t.params;
    if (t.state === 'RUNNING' && !names.every((k) => k in params)) {
      const rel = t.systemAttrs[RELATIVE_PARAMS_KEY] as Record<string, ParamValue> | undefined;
      if (rel) params = { ...rel, ...params };
    }
    if (!names.every((k) => k in params)) continue;
    for (const k of names) out[k].push(space[k].toInternal(params[k]));
  }
  return out;
}

/** Index of the first candidate maximising log l(x) - log g(x). */
export function argmaxAcquisition(lower: ParzenEstimator, upper: ParzenEstimator, candidates: Record<string, ArrayLike<number>>): number {
  const ll = lower.logPdf(candidates);
  const lg = upper.logPdf(candidates);
  let best = 0, bestVal = -Infinity;
  for (let j = 0; j < ll.length; j++) {
    const v = ll[j] - lg[j];
    if (v > bestVal) { bestVal = v; best = j; }
  }
  return best;
}
