// The `study ask` verb: one new trial sampled for Optuna's --search-space in a fresh process (docs/tuning.md#cli).
// The sampler is rebuilt on every call, so its seed is offset by the study's trial count: successive asks differ, reruns repeat.
import type { Distribution, ParamValue } from '../../tune/distributions.ts';
import { checkDistributionCompatibility } from '../../tune/distributions.ts';
import { createSampler } from '../../tune/samplers/factory.ts';
import type { Storage } from '../../tune/storage/storage.ts';
import { loadStudy } from '../../tune/study.ts';
import { UserError } from '../../util/errors.ts';

/** The seed the sampler gets for the next ask: the user's seed plus the number of trials already in the study. */
export function askSeed(seed: number | undefined, nTrials: number): number | undefined {
  return seed === undefined ? undefined : seed + nTrials;
}

/** Creates a trial in `studyName`, samples every parameter of `space` and returns {number, params}; checks everything before writing. */
export async function askTrial(s: Storage, studyName: string, space: Record<string, Distribution>, samplerClass: string,
  kwargs: Record<string, unknown>, seed: number | undefined): Promise<{ number: number; params: Record<string, ParamValue> }> {
  const studyId = await s.getStudyIdFromName(studyName);
  const trials = await s.getAllTrials(studyId);
  for (const [name, d] of Object.entries(space)) {
    const old = trials.find((t) => t.distributions[name] !== undefined)?.distributions[name];
    if (old) {
      try {
        checkDistributionCompatibility(old, d, name);
      } catch (e) {
        throw new UserError(`--search-space: ${(e as Error).message} (the study already has trials with ${JSON.stringify(old.toJSON())})`);
      }
    }
  }
  const baseSeed = seed ?? (typeof kwargs.seed === 'number' ? kwargs.seed : undefined);
  const sampler = createSampler(samplerClass, { ...kwargs, seed: askSeed(baseSeed, trials.length) ?? null });
  const study = await loadStudy({ studyName, storage: s, sampler });
  const trial = await study.ask(space);
  return { number: trial.number, params: trial.params };
}
