// Inference benchmarks of the default model (see bench/train-step.ts): `forecast_8h`, the latency of one
// 8-hour autoregressive forecast at batch 1, and `eval_forward`, samples/s of the evaluation pass (loss, accuracy,
// logits) at batch 1024. `npm run bench -- forecast`; beside PyTorch: `npm run bench -- compare`.
import { Trainer } from '../src/train/engine.ts';
import { Forecaster } from '../src/train/forecaster.ts';
import { initParams } from '../src/model/params.ts';
import { BENCH_MODEL, benchInputs } from './train-step.ts';
import { loadavg } from 'node:os';
import { benchProvider, measure, peakRssMb, round } from './util.ts';

const OPTIM = { lr: 1e-3, weight_decay: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, max_norm: 1 };

/** Median latency of Forecaster.forecast (horizon 8, batch 1) over 200 calls after 20 warm-up calls. */
export async function forecast8h(): Promise<object> {
  const threads = Number(process.env.BENCH_FORECAST_THREADS ?? 1);
  const f = await Forecaster.create(BENCH_MODEL, initParams(BENCH_MODEL, 1), { horizon: 8, threads, executionProvider: benchProvider() });
  const { x } = benchInputs.randomBatch(BENCH_MODEL, 1, 5);
  const c0 = process.cpuUsage();
  const t = await measure(() => f.forecast(x), { warmup: 20, runs: 200 });
  const c = process.cpuUsage(c0);
  const provider = f.executionProviderUsed;
  await f.dispose();
  return {
    name: 'forecast_8h', runs: t.runs, warmup: t.warmup, median_ms: round(t.median_ms, 3), min_ms: round(t.min_ms, 3), max_ms: round(t.max_ms, 3),
    cpu_ms_per_call: round((c.user + c.system) / 1000 / 220, 3), load_avg_1m: round(loadavg()[0]!, 1),
    batch: 1, horizon: 8, threads, execution_provider_used: provider, peak_rss_mb: round(peakRssMb(), 0),
  };
}

/** samples/s of Trainer.evaluate at batch 1024: median of 5 runs after 2 warm-ups. */
export async function evalForward(): Promise<object> {
  const B = 1024, threads = Number(process.env.BENCH_THREADS ?? 2);
  const trainer = await Trainer.create(BENCH_MODEL, OPTIM, { seed: 1, threads, spinning: process.env.BENCH_SPINNING === '1', executionProvider: benchProvider() });
  const { x, y } = benchInputs.randomBatch(BENCH_MODEL, B, 6);
  const c0 = process.cpuUsage();
  const t = await measure(() => trainer.evaluate(x, y), { warmup: 2, runs: 5 });
  const c = process.cpuUsage(c0);
  const provider = trainer.executionProviderUsed;
  await trainer.dispose();
  return {
    name: 'eval_forward', runs: t.runs, warmup: t.warmup, samples_per_s: round((B * 1000) / t.median_ms, 1),
    median_ms: round(t.median_ms, 1), min_ms: round(t.min_ms, 1), max_ms: round(t.max_ms, 1),
    cpu_ms_per_call: round((c.user + c.system) / 1000 / 7, 1), load_avg_1m: round(loadavg()[0]!, 1),
    batch: B, threads, execution_provider_used: provider, peak_rss_mb: round(peakRssMb(), 0),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await forecast8h()));
  console.log(JSON.stringify(await evalForward()));
}
