// Best value after 100 trials, TPE vs random search, over 30 seeds on Branin, Hartmann-6 and the mixed training surrogate.
// The unit test checks 10 seeds; this is the full comparison. `npm run bench -- tpe-vs-random`.
import { createStudy } from '../src/tune/study.ts';
import { TPESampler } from '../src/tune/samplers/tpe/sampler.ts';
import { RandomSampler } from '../src/tune/samplers/random.ts';
import type { Sampler } from '../src/tune/samplers/sampler.ts';
import { BRANIN_MIN, HARTMANN6_MIN, objectives } from '../test/tune/samplers/functions.ts';
import { median, round } from './util.ts';

export const figureNames = ['tpe-vs-random'];
const MINIMA: Record<string, number> = { branin: BRANIN_MIN, hartmann6: HARTMANN6_MIN, training: 0.3 };

async function regret(make: (seed: number) => Sampler, name: keyof typeof objectives, seeds: number): Promise<number[]> {
  const out: number[] = [];
  for (let seed = 0; seed < seeds; seed++) {
    const study = await createStudy({ sampler: make(seed) });
    await study.optimize(objectives[name] as never, { nTrials: 100 });
    out.push((await study.bestValue()) - MINIMA[name]);
  }
  return out;
}

/** Mean and median regret (best - optimum) at 100 trials for random, multivariate TPE and univariate TPE (the default). */
export async function tpeVsRandom(): Promise<object[]> {
  const seeds = 30;
  const out: object[] = [];
  for (const name of Object.keys(objectives) as (keyof typeof objectives)[]) {
    const rnd = await regret((s) => new RandomSampler({ seed: s }), name, seeds);
    const tpe = await regret((s) => new TPESampler({ seed: s, multivariate: true }), name, seeds);
    const uni = await regret((s) => new TPESampler({ seed: s, multivariate: false }), name, seeds);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    out.push({
      name: `tpe-vs-random-${name}`, quality: true, seeds, trials: 100,
      random_mean_regret: round(mean(rnd), 4), tpe_mean_regret: round(mean(tpe), 4), tpe_univariate_mean_regret: round(mean(uni), 4),
      random_median_regret: round(median(rnd), 4), tpe_median_regret: round(median(tpe), 4),
      tpe_wins: tpe.filter((v, i) => v < rnd[i]).length,
    });
  }
  return out;
}
