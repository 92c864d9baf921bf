// The `study ask` verb: one new trial sampled for Optuna's --search-space in a fresh process (docs/tuning.md#cli).
// The sampler is rebuilt on every call; its draws are hashed from (seed, study, trial number), so successive asks and
// concurrent workers differ while a rerun of the same sequence repeats.
import type { Distribution, ParamValue } from '../../tune/distributions.ts';
import { checkDistributionCompatibility } from '../../tune/distributions.ts';
import { createSampler } from '../../tune/samplers/factory.ts';
import type { Storage } from '../../tune/storage/storage.ts';
import { loadStudy } from '../../tune/study.ts';
import { UserError } from '../../util/errors.ts';

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
  const sampler = createSampler(samplerClass, { ...kwargs, seed: baseSeed ?? null });
  const study = await loadStudy({ studyName, storage: s, sampler });
  const trial = await study.ask(space);
  return { number: trial.number, params: trial.params };
}
