// Benchmark: seconds for fANOVA and MDI importance (64 trees, depth 64) on synthetic studies of 100, 300 and 1000 trials.
// `node --import tsx bench/importance.ts` runs it alone. Optuna's own fANOVA takes over a minute at 1000+ trials.
import { FloatDistribution, IntDistribution, CategoricalDistribution, type Distribution } from '../src/tune/distributions.ts';
import { getParamImportances } from '../src/tune/importance/param-importances.ts';
import type { ImportanceTrial } from '../src/tune/importance/search-space.ts';
import { Rng } from '../src/util/rng.ts';
import { measure, round } from './util.ts';

export const figureNames = ['importance-fanova', 'importance-mdi'];

/** The tokcast search space shape (4 floats, 1 int, 5 categoricals) with a value driven by lr, dropout and layers. */
function syntheticStudy(n: number, seed = 1): ImportanceTrial[] {
  const space: Record<string, Distribution> = {
    lr: new FloatDistribution(5e-6, 5e-3, { log: true }), weight_decay: new FloatDistribution(0, 0.1), dropout: new FloatDistribution(0.05, 0.5),
    label_smoothing: new FloatDistribution(0, 0.2), n_layers: new IntDistribution(2, 6), batch_size: new CategoricalDistribution([64, 128, 256]),
    embed_dim: new CategoricalDistribution([32, 64, 128]), n_heads: new CategoricalDistribution([4, 8]), d_ff: new CategoricalDistribution([128, 256, 512, 1024]),
    token_noise_prob: new FloatDistribution(0, 0.1),
  };
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const p = {
      lr: Math.exp(rng.uniform(Math.log(5e-6), Math.log(5e-3))), weight_decay: rng.uniform(0, 0.1), dropout: rng.uniform(0.05, 0.5),
      label_smoothing: rng.uniform(0, 0.2), n_layers: 2 + rng.int(5), batch_size: [64, 128, 256][rng.int(3)], embed_dim: [32, 64, 128][rng.int(3)],
      n_heads: [4, 8][rng.int(2)], d_ff: [128, 256, 512, 1024][rng.int(4)], token_noise_prob: rng.uniform(0, 0.1),
    };
    const value = (Math.log10(p.lr) + 3) ** 2 + 3 * (p.dropout - 0.2) ** 2 + 0.05 * p.n_layers + 0.1 * rng.normal();
    return { number: i, state: 'COMPLETE', value, params: p, distributions: space };
  });
}

export async function benchImportance(): Promise<object[]> {
  const out: object[] = [];
  for (const n of [100, 300, 1000]) {
    const trials = syntheticStudy(n);
    for (const evaluator of ['fanova', 'mdi'] as const) {
      const t = await measure(() => getParamImportances(trials, { evaluator, seed: 0 }), { warmup: 1, runs: 5 });
      out.push({ name: `importance-${evaluator}`, runs: t.runs, warmup: t.warmup, trials: n, params: 10, seconds: round(t.median_ms / 1000), min_seconds: round(t.min_ms / 1000), max_seconds: round(t.max_ms / 1000) });
    }
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const f of await benchImportance()) console.log(JSON.stringify(f));
}
