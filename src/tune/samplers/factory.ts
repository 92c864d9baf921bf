// Builds a sampler from its Optuna class name and keyword arguments (snake_case JSON, as the CLI's --sampler-kwargs).
// Follows Optuna's constructor signatures; camelCase keys are accepted too.
import { UserError } from '../../util/errors.ts';
import { checkKwargs } from '../pruners/factory.ts';
import { RandomSampler } from './random.ts';
import type { Sampler } from './sampler.ts';
import { TPESampler } from './tpe/sampler.ts';
import { hyperoptDefaultGamma } from './tpe/split.ts';

export const SAMPLER_CLASSES = ['TPESampler', 'RandomSampler'] as const;

const TPE_KEYS = ['nStartupTrials', 'nEiCandidates', 'priorWeight', 'considerMagicClip', 'considerEndpoints', 'multivariate', 'group',
  'constantLiar', 'seed', 'considerPrior', 'warnIndependentSampling', 'gamma'];

/** createSampler('TPESampler', {seed: 1, n_startup_trials: 20}); throws UserError for unknown classes or arguments. */
export function createSampler(className: string, kwargs: Record<string, unknown> = {}): Sampler {
  switch (className) {
    case 'RandomSampler': {
      const k = checkKwargs(className, kwargs, ['seed']);
      return new RandomSampler({ seed: k.seed == null ? undefined : (k.seed as number) });
    }
    case 'TPESampler': {
      const k = checkKwargs(className, kwargs, TPE_KEYS);
      if (k.considerPrior === false) throw new UserError('TPESampler: consider_prior=false is no longer supported (Optuna 4.x)');
      delete k.considerPrior;
      delete k.warnIndependentSampling;
      if (k.gamma !== undefined) {
        if (k.gamma !== 'hyperopt') throw new UserError('TPESampler: gamma can only be given as "hyperopt" in JSON');
        k.gamma = hyperoptDefaultGamma;
      }
      if (k.seed === null) delete k.seed;
      for (const b of ['considerMagicClip', 'considerEndpoints', 'multivariate', 'group', 'constantLiar']) {
        if (k[b] !== undefined && typeof k[b] !== 'boolean') throw new UserError(`TPESampler: ${b.replace(/[A-Z]/g, (m) => '_' + m.toLowerCase())} must be true or false, got ${JSON.stringify(k[b])}`);
      }
      for (const n of ['nStartupTrials', 'nEiCandidates', 'priorWeight', 'seed']) {
        if (k[n] !== undefined && typeof k[n] !== 'number') throw new UserError(`TPESampler: ${n.replace(/[A-Z]/g, (m) => '_' + m.toLowerCase())} must be a number, got ${JSON.stringify(k[n])}`);
      }
      return new TPESampler(k as never);
    }
    default:
      throw new UserError(`unknown sampler "${className}"; expected one of ${SAMPLER_CLASSES.join(', ')}`);
  }
}
