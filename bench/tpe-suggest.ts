// Median wall and CPU milliseconds for one TPE suggestion (a whole 10-parameter mixed configuration) after 100 and 1000 completed trials.
// Optuna 4.x needs tens of ms per suggestion at 1000 trials; `npm run bench -- tpe-suggest`.
import { createStudy } from '../src/tune/study.ts';
import { TPESampler } from '../src/tune/samplers/tpe/sampler.ts';
import { RandomSampler } from '../src/tune/samplers/random.ts';
import { CategoricalDistribution, FloatDistribution, IntDistribution, type Distribution } from '../src/tune/distributions.ts';
import { InMemoryStorage } from '../src/tune/storage/memory.ts';
import { measure, median, round, type Timing } from './util.ts';

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

async function timeSuggestion(nHistory: number, multivariate: boolean): Promise<{ wall: Timing; cpu: number }> {
  const storage = new InMemoryStorage();
  const filler = await createStudy({ storage, studyName: 'bench', sampler: new RandomSampler({ seed: 1 }) });
  for (let i = 0; i < nHistory; i++) {
    const t = await filler.ask(SPACE);
    await filler.tell(t, loss(t.params));
  }
  const study = await createStudy({ storage, studyName: 'bench', loadIfExists: true, sampler: new TPESampler({ seed: 2, multivariate }) });
  const cpu: number[] = [];
  const timing = await measure(async () => {
    const c0 = process.cpuUsage();
    const t = await study.ask(SPACE);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    await study.tell(t, 'FAIL'); // FAIL trials are invisible to TPE: the history stays at nHistory
  }, { warmup: 15, runs: 31 });
  return { wall: timing, cpu: median(cpu.slice(15)) };
}

/** Nanoseconds per Math.exp on this machine: a yardstick for comparing figures from differently loaded machines. */
async function expNs(): Promise<Timing> {
  const xs = Float64Array.from({ length: 1 << 20 }, (_, i) => (i % 1000) / 100 - 5);
  let s = 0;
  const t = await measure(() => { for (let i = 0; i < xs.length; i++) s += Math.exp(xs[i]); }, { warmup: 1, runs: 5 });
  const ns = (ms: number) => (s > 0 ? (ms * 1e6) / xs.length : NaN);
  return { ...t, median_ms: ns(t.median_ms), min_ms: ns(t.min_ms), max_ms: ns(t.max_ms) };
}

/** TPE suggestion latency: multivariate (joint) and independent (10 univariate decisions, the default). */
export async function tpeSuggest(): Promise<object[]> {
  const e = await expNs();
  const out: object[] = [{ name: 'tpe-suggest-calibration', runs: e.runs, warmup: e.warmup, exp_ns: round(e.median_ms), min_exp_ns: round(e.min_ms), max_exp_ns: round(e.max_ms) }];
  for (const n of [100, 1000]) {
    for (const multivariate of [true, false]) {
      const t = await timeSuggestion(n, multivariate);
      out.push({
        name: `tpe-suggest-${n}-${multivariate ? 'multivariate' : 'independent'}`, runs: t.wall.runs, warmup: t.wall.warmup, trials: n, params: 10,
        median_ms: round(t.wall.median_ms), min_ms: round(t.wall.min_ms), max_ms: round(t.wall.max_ms), median_cpu_ms: round(t.cpu),
      });
    }
  }
  return out;
}
