// Benchmark: synthetic pretraining samples per second (one sample = a window of 24 h x 10 coins x 2 channels of
// tokens, V=3, stride 1) through src/pretrain/corpus.ts, plus the raw simulator's hours per second.
import { corpusBatches } from '../src/pretrain/corpus.ts';
import { MarketStream } from '../src/market/simulate.ts';
import { defaultMarketParams, DEFAULT_MARKET_COINS } from '../src/market/defaults.ts';
import { fitBins } from '../src/tokenize/bins.ts';
import { peakRssMb, round, spread } from './util.ts';

export const figureNames = ['simulate'];

/** Times 1,000,000 corpus windows (default coins, edges = tertiles of a preliminary simulated path): median of 5 runs
 *  after a warm-up, as samples/s and samples per CPU second; the raw simulator the same way. */
export async function benchSimulate(opts: { numSamples?: number; runs?: number } = {}): Promise<Record<string, unknown>> {
  const RUNS = opts.runs ?? 5;
  const coins = [...DEFAULT_MARKET_COINS];
  const params = defaultMarketParams(coins);
  const C = coins.length, H = 50_000;
  const pre = new MarketStream(params, 1), ret = new Float64Array(H * C), dlv = new Float64Array(H * C);
  pre.fill(H, ret, dlv);
  const edges = coins.map((_, c) => [ret, dlv].map((a) => fitBins(Float64Array.from({ length: H }, (_, h) => a[h * C + c]), 3)));
  // raw simulator speed
  const s = new MarketStream(params, 2);
  s.fill(H, ret, dlv); // warm-up
  const hoursPerS: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    s.fill(H, ret, dlv);
    hoursPerS.push(H / ((performance.now() - t0) / 1000));
  }
  const numSamples = opts.numSamples ?? 1_000_000;
  let n = 0, checksum = 0;
  for (const b of corpusBatches({ params, edges, T: 24, target: 0, numSamples: 20_000, seed: 3, batchSize: 4096 })) n += b.N; // warm-up
  const perS: number[] = [], perCpuS: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    n = 0;
    const t1 = performance.now(), c1 = process.cpuUsage();
    for (const b of corpusBatches({ params, edges, T: 24, target: 0, numSamples, seed: 4 + r, batchSize: 4096 })) { n += b.N; checksum += b.y[0]; }
    const sec = (performance.now() - t1) / 1000;
    const cu = process.cpuUsage(c1), cpuSec = (cu.user + cu.system) / 1e6; // CPU seconds: a fairer figure on a busy machine
    perS.push(n / sec);
    perCpuS.push(n / cpuSec);
  }
  return {
    name: 'simulate', runs: RUNS, warmup: 1, samples_per_s: spread(perS, 1, 0), samples_per_cpu_s: spread(perCpuS, 1, 0), samples_per_run: n,
    simulated_hours_per_s: spread(hoursPerS, 1, 0), coins: C, T: 24, V: 3, peak_rss_mb: round(peakRssMb(), 1), checksum,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await benchSimulate()));
