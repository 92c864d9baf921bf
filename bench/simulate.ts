// Benchmark: synthetic pretraining samples per second (one sample = a window of 24 h x 10 coins x 2 channels of
// tokens, V=3, stride 1) through src/pretrain/corpus.ts, plus the raw simulator's hours per second.
import { corpusBatches } from '../src/pretrain/corpus.ts';
import { MarketStream } from '../src/market/simulate.ts';
import { defaultMarketParams, DEFAULT_MARKET_COINS } from '../src/market/defaults.ts';
import { fitBins } from '../src/tokenize/bins.ts';
import { peakRssMb, round } from './util.ts';

export const figureNames = ['simulate'];

/** Times 1,000,000 corpus windows (default coins, edges = tertiles of a preliminary simulated path). */
export async function benchSimulate(opts: { numSamples?: number } = {}): Promise<Record<string, number | string>> {
  const coins = [...DEFAULT_MARKET_COINS];
  const params = defaultMarketParams(coins);
  const C = coins.length, H = 50_000;
  const pre = new MarketStream(params, 1), ret = new Float64Array(H * C), dlv = new Float64Array(H * C);
  pre.fill(H, ret, dlv);
  const edges = coins.map((_, c) => [ret, dlv].map((a) => fitBins(Float64Array.from({ length: H }, (_, h) => a[h * C + c]), 3)));
  // raw simulator speed
  const s = new MarketStream(params, 2);
  s.fill(H, ret, dlv); // warm-up
  const t0 = performance.now();
  s.fill(H, ret, dlv);
  const hoursPerS = H / ((performance.now() - t0) / 1000);
  const numSamples = opts.numSamples ?? 1_000_000;
  let n = 0, checksum = 0;
  for (const b of corpusBatches({ params, edges, T: 24, target: 0, numSamples: 20_000, seed: 3, batchSize: 4096 })) n += b.N; // warm-up
  n = 0;
  const t1 = performance.now(), c1 = process.cpuUsage();
  for (const b of corpusBatches({ params, edges, T: 24, target: 0, numSamples, seed: 4, batchSize: 4096 })) { n += b.N; checksum += b.y[0]; }
  const sec = (performance.now() - t1) / 1000;
  const cu = process.cpuUsage(c1), cpuSec = (cu.user + cu.system) / 1e6; // CPU seconds: a fairer figure on a busy machine
  return {
    name: 'simulate', samples_per_s: round(n / sec, 0), samples_per_cpu_s: round(n / cpuSec, 0), samples: n, seconds: round(sec, 3), cpu_seconds: round(cpuSec, 3),
    simulated_hours_per_s: round(hoursPerS, 0), coins: C, T: 24, V: 3, peak_rss_mb: round(peakRssMb(), 1), checksum,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await benchSimulate()));
