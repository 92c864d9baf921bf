// Benchmark `train_step`: one AdamW training step of the default model (B=256, T=24, C=10, K=2, V=O=3, e=32,
// d=128, H=4, N=4, F=512, dropout 0.1, loss on all positions, concat mixing) on random tokens, 2 threads.
// `npm run bench -- train_step`; beside PyTorch: `npm run bench -- compare`.
import { Trainer } from '../src/train/engine.ts';
import type { ModelConfig } from '../src/model/config.ts';
import { Rng } from '../src/util/rng.ts';
import { loadavg } from 'node:os';
import { benchProvider, median, peakRssMb, round } from './util.ts';

export const BENCH_MODEL: ModelConfig = {
  V: 3, O: 3, C: 10, K: 2, T: 24, e: 32, d: 128, H: 4, N: 4, F: 512,
  dropout: 0.1, coin_mixing: 'concat', loss_positions: 'all', label_smoothing: 0.1, target_coin: 3,
};

/** Random tokens x (B, T, C, K) and targets y (B). */
function randomBatch(cfg: ModelConfig, B: number, seed: number): { x: Int32Array; y: Int32Array } {
  const rng = new Rng(seed);
  const x = Int32Array.from({ length: B * cfg.T * cfg.C * cfg.K }, () => rng.int(cfg.V));
  const y = Int32Array.from({ length: B }, () => rng.int(cfg.O));
  return { x, y };
}

// an object, not a function: bench/run.ts calls every exported function of a module as a figure
export const benchInputs = { randomBatch };

/** samples/s and ms/step: median over 5 timed runs of 10 steps each, after 3 warm-up steps. */
export async function trainStep(): Promise<object> {
  const B = 256, threads = Number(process.env.BENCH_THREADS ?? 2);
  const tCreate = performance.now();
  const trainer = await Trainer.create(BENCH_MODEL, { lr: 1e-3, weight_decay: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, max_norm: 1 }, { seed: 1, threads, spinning: process.env.BENCH_SPINNING === '1', executionProvider: benchProvider() });
  const createMs = performance.now() - tCreate;
  const batches = Array.from({ length: 4 }, (_, i) => randomBatch(BENCH_MODEL, B, 100 + i));
  let k = 0;
  const step = () => { const b = batches[k++ % batches.length]!; return trainer.trainStep(b.x, b.y); };
  for (let i = 0; i < 3; i++) await step();
  const perStep: number[] = [], cpuPerStep: number[] = [];
  for (let run = 0; run < 5; run++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < 10; i++) await step();
    perStep.push((performance.now() - t0) / 10);
    const c = process.cpuUsage(c0);
    cpuPerStep.push((c.user + c.system) / 1000 / 10);
  }
  const ms = median(perStep);
  const provider = trainer.executionProviderUsed;
  await trainer.dispose();
  return {
    name: 'train_step', runs: perStep.length, warmup: 3, unit: 'runs of 10 steps; warm-up in steps',
    samples_per_s: round((B * 1000) / ms, 1), ms_per_step: round(ms, 2),
    min_ms_per_step: round(Math.min(...perStep), 2), max_ms_per_step: round(Math.max(...perStep), 2),
    // process CPU time (all threads, spin-waiting included): steadier than wall time on a shared machine
    cpu_ms_per_step: round(median(cpuPerStep), 1), load_avg_1m: round(loadavg()[0]!, 1),
    batch: B, threads, execution_provider_used: provider, spinning: process.env.BENCH_SPINNING === '1', session_create_ms: round(createMs, 0), peak_rss_mb: round(peakRssMb(), 0),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await trainStep()));
