// Uniform random sampling in the transformed space (log, widened step grid); TPE's startup sampler.
// Follows docs/tuning.md#random-sampling and optuna/samplers/_random.py.
import type { Distribution, ParamValue } from '../distributions.ts';
import type { FrozenTrial } from '../frozen-trial.ts';
import type { Rng } from '../../util/rng.ts';
import { randomSeed, trialRng, type Sampler, type StudyView } from './sampler.ts';

/** Draws one internal value uniformly (log-uniformly for log distributions; every grid point equally likely). */
export function sampleUniformInternal(rng: Rng, d: Distribution): number {
  if (d.kind === 'categorical') return rng.int(d.choices.length);
  const step = d.kind === 'int' ? d.step : d.step;
  if (d.log) {
    const lo = Math.log(d.kind === 'int' ? d.low - 0.5 : d.low);
    const hi = Math.log(d.kind === 'int' ? d.high + 0.5 : d.high);
    const x = Math.exp(rng.uniform(lo, hi));
    if (d.kind === 'int') return Math.min(Math.max(Math.round(x), d.low), d.high);
    return Math.min(Math.max(x, d.low), d.high);
  }
  if (step === null) return d.low === d.high ? d.low : rng.uniform(d.low, d.high);
  const x = rng.uniform(d.low - step / 2, d.high + step / 2);
  const k = Math.round((x - d.low) / step);
  return Math.min(Math.max(d.low + k * step, d.low), d.high);
}

/** Independent uniform sampling; each (trial, parameter) draw has its own stream hashed from the seed (see trialRng). */
export class RandomSampler implements Sampler {
  readonly seed: number;

  constructor(opts: { seed?: number } = {}) {
    this.seed = opts.seed ?? randomSeed();
  }

  inferRelativeSearchSpace(): Record<string, Distribution> {
    return {};
  }

  sampleRelative(): Record<string, ParamValue> {
    return {};
  }

  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue {
    return distribution.toExternal(sampleUniformInternal(trialRng(this.seed, study, trial, `param:${name}`), distribution));
  }
}
