// Median milliseconds for one TPE suggestion (a whole 10-parameter mixed configuration) after 100 and 1000 completed trials.
// Optuna 4.x needs tens of ms per suggestion at 1000 trials; `npm run bench -- tpe-suggest`.
import { createStudy } from '../src/tune/study.ts';
import { TPESampler } from '../src/tune/samplers/tpe/sampler.ts';
import { RandomSampler } from '../src/tune/samplers/random.ts';
import { CategoricalDistribution, FloatDistribution, IntDistribution, type Distribution } from '../src/tune/distributions.ts';
import { InMemoryStorage } from '../src/tune/storage/memory.ts';
import { measure, round } from './util.ts';

export const figureNames = ['tpe-suggest'];

/** The 10-parameter mixed space: float, float-log, int, int-log, int-step, float-step, categoricals. */
export const SPACE: Record<string, Distribution> = {
  lr: new FloatDistribution(1e-5, 1e-1, { log: true }),
  wd: new FloatDistribution(1e-6, 1e-2, { log: true }),
  dropout: new FloatDistribution(0, 0.5),
  layers: new IntDistribution(1, 8),
  width: new IntDistribution(16, 1024, { log: true }),
  warmup: new IntDistribution(0, 2000, { step: 100 }),
  ls: new FloatDistribution(0, 0.2, { step: 0.05 }),
  d_model: new IntDistribution(64, 512, { step: 32 }),
  opt: new CategoricalDistribution(['adam', 'sgd', 'rmsprop']),
  act: new CategoricalDistribution(['relu', 'gelu', 'silu', 'tanh']),
};

function loss(p: Record<string, unknown>): number {
  const n = (k: string) => p[k] as number;
  return (Math.log10(n('lr')) + 3) ** 2 + (n('dropout') - 0.1) ** 2 + 0.1 * (n('layers') - 4) ** 2 + 0.01 * Math.log2(n('width'))
    + (p.opt === 'adam' ? 0 : 0.3) + 0.0001 * n('warmup') + n('ls') + n('d_model') / 5000 + (p.act === 'gelu' ? 0 : 0.1) + 0.01 * Math.abs(Math.log10(n('wd')) + 4);
}

async function timeSuggestion(nHistory: number, multivariate: boolean): Promise<number> {
  const storage = new InMemoryStorage();
  const filler = await createStudy({ storage, studyName: 'bench', sampler: new RandomSampler({ seed: 1 }) });
  for (let i = 0; i < nHistory; i++) {
    const t = await filler.ask(SPACE);
    await filler.tell(t, loss(t.params));
  }
  const study = await createStudy({ storage, studyName: 'bench', loadIfExists: true, sampler: new TPESampler({ seed: 2, multivariate }) });
  const timing = await measure(async () => {
    const t = await study.ask(SPACE);
    await study.tell(t, 'FAIL'); // FAIL trials are invisible to TPE: the history stays at nHistory
  }, { warmup: 3, runs: 21 });
  return timing.median_ms;
}

/** TPE suggestion latency: multivariate (joint, the default) and independent (10 univariate decisions). */
export async function tpeSuggest(): Promise<object[]> {
  const out: object[] = [];
  for (const n of [100, 1000]) {
    out.push({ name: `tpe-suggest-${n}-multivariate`, trials: n, params: 10, median_ms: round(await timeSuggestion(n, true)) });
    out.push({ name: `tpe-suggest-${n}-independent`, trials: n, params: 10, median_ms: round(await timeSuggestion(n, false)) });
  }
  return out;
}
