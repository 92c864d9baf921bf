// Benchmark `evaluate_8h`: seconds to evaluate the real dataset's validation split (steps 1-5 on
// TOKCAST_REAL_DATA_DIR, csv, default config) with src/pipeline/steps/evaluate.ts's evaluateWindows: 8-hour
// forecasts of the default model plus all baselines and the block bootstrap (1000 samples) as step 7 runs it.
// The model is freshly initialised (forecast cost does not depend on the weights). `npm run bench -- evaluate_8h`.
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { stepDir } from '../src/pipeline/artifact.ts';
import { readTokenTable } from '../src/pipeline/steps/sequences.ts';
import { TOKENS_FILE } from '../src/pipeline/steps/tokenize.ts';
import { evaluateWindows } from '../src/pipeline/steps/evaluate.ts';
import { initParams } from '../src/model/params.ts';
import { SPLIT_CODE } from '../src/data/split.ts';
import { realData } from './epoch-real.ts';
import { median, peakRssMb, round } from './util.ts';

export const figureNames = ['evaluate_8h'];
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const WARMUP_WINDOWS = 512;

/** Wall seconds of evaluateWindows on the validation windows: a warm-up on the first 512 windows (a full warm-up run
 *  would cost minutes), then the median of RUNS (env BENCH_RUNS, default 5) timed runs on all of them. */
export async function evaluate8h(): Promise<object> {
  const threads = Number(process.env.BENCH_THREADS ?? 2);
  const data = await realData.build();
  try {
    const { model, config, val, stats } = data;
    const params = initParams(model, config.seed);
    // the training tokens the baselines are fitted on, and the 'mode' fill, exactly as step 7 derives them
    const tt = await readTokenTable(join(stepDir(data.dir, 'tokenize'), TOKENS_FILE), stats.coins);
    const trainRows: number[] = [];
    for (let i = 0; i < tt.split.length; i++) if (tt.split[i] === SPLIT_CODE.train) trainRows.push(i);
    const trainTarget = Uint8Array.from(trainRows, (i) => tt.price[model.target_coin]![i]!);
    const modeTokens = new Uint8Array(model.C * model.K); // unused with the default 'persist' policy
    const opts = {
      horizon: config.evaluate.horizon, policy: config.evaluate.volume_policy, samples: config.evaluate.bootstrap_samples,
      confidence: config.evaluate.confidence, seed: config.seed, threads,
    };
    const total: number[] = [], forecast: number[] = [];
    const W = Math.min(WARMUP_WINDOWS, val.N), win = val.rowSize, H = val.H;
    const head = { ...val, N: W, x: val.x.subarray(0, W * win), y: val.y.subarray(0, W), future: val.future.subarray(0, W * H), t0: val.t0.subarray(0, W) };
    await evaluateWindows(model, params, head, trainTarget, modeTokens, opts);
    let nWindows = 0;
    for (let r = 0; r < RUNS; r++) {
      const t0 = performance.now();
      const out = await evaluateWindows(model, params, val, trainTarget, modeTokens, opts);
      nWindows = out.report.n_windows;
      total.push((performance.now() - t0) / 1000);
      forecast.push(out.secondsForecast);
    }
    return {
      name: 'evaluate_8h', seconds: round(median(total), 2), min_seconds: round(Math.min(...total), 2), max_seconds: round(Math.max(...total), 2),
      model_forecast_seconds: round(median(forecast), 2), baselines_and_bootstrap_seconds: round(median(total) - median(forecast), 2),
      windows: nWindows, horizon: opts.horizon, bootstrap_samples: opts.samples, methods: 5, runs: RUNS, warmup: 1, warmup_windows: W, threads,
      model: 'freshly initialised default model (d=128, N=4)', load_avg_1m: round(loadavg()[0]!, 1), peak_rss_mb: round(peakRssMb(), 0),
    };
  } finally {
    rmSync(data.dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await evaluate8h()));
