// CLI-style TPE (a fresh sampler for every ask, as each `tokcast study ask` process builds one) against one sampler kept
// in one process, on Branin and Hartmann-6: best value after 50 trials over 10 seeds, and how many start-up trials two
// neighbouring seeds share. `npm run bench -- tpe-cli-seeding`.
import { createStudy, loadStudy } from '../src/tune/study.ts';
import { InMemoryStorage } from '../src/tune/storage/memory.ts';
import { TPESampler } from '../src/tune/samplers/tpe/sampler.ts';
import { objectives } from '../test/tune/samplers/functions.ts';
import { median, round } from './util.ts';

export const figureNames = ['tpe-cli-seeding'];
const TRIALS = 50, SEEDS = 10, STARTUP = 10;

type Objective = (typeof objectives)[keyof typeof objectives];

/** The best value and the start-up configurations of one run; `perAsk` rebuilds the sampler before every ask. */
async function run(objective: Objective, seed: number, perAsk: boolean): Promise<{ best: number; startup: string[] }> {
  const storage = new InMemoryStorage();
  const name = 'cli-seeding';
  const first = await createStudy({ storage, studyName: name, sampler: new TPESampler({ seed }) });
  const startup: string[] = [];
  let best = Infinity;
  for (let i = 0; i < TRIALS; i++) {
    const study = perAsk ? await loadStudy({ storage, studyName: name, sampler: new TPESampler({ seed }) }) : first;
    const trial = await study.ask();
    const value = await (objective as (t: unknown) => number | Promise<number>)(trial);
    await study.tell(trial, value);
    if (i < STARTUP) startup.push(JSON.stringify(trial.params));
    best = Math.min(best, value);
  }
  return { best, startup };
}

export async function tpeCliSeeding(): Promise<object[]> {
  const out: object[] = [];
  for (const name of ['branin', 'hartmann6'] as const) {
    const cli: { best: number; startup: string[] }[] = [], one: number[] = [];
    for (let seed = 0; seed < SEEDS; seed++) {
      cli.push(await run(objectives[name], seed, true));
      one.push((await run(objectives[name], seed, false)).best);
    }
    let shared = 0;
    for (let s = 0; s + 1 < SEEDS; s++) shared += cli[s + 1].startup.filter((p) => cli[s].startup.includes(p)).length;
    const b = cli.map((r) => r.best);
    out.push({
      name: `tpe-cli-seeding-${name}`, quality: true, seeds: SEEDS, trials: TRIALS,
      cli_median_best: round(median(b), 4), cli_min_best: round(Math.min(...b), 4), cli_max_best: round(Math.max(...b), 4),
      in_process_median_best: round(median(one), 4), in_process_min_best: round(Math.min(...one), 4), in_process_max_best: round(Math.max(...one), 4),
      startup_trials_shared_by_seeds_s_and_s_plus_1: shared,
    });
  }
  return out;
}
