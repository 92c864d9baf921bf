// Benchmark `epoch_real`: seconds for one training epoch (train steps + the validation pass, as src/train/loop.ts
// runs them) of the default/benchmark model (B=256, T=24, C=10, K=2, V=3, e=32, d=128, H=4, N=4, F=512, dropout 0.1,
// loss on all positions, concat) on the real 10-coin dataset's windows (steps 1-5 on TOKCAST_REAL_DATA_DIR, csv).
// `npm run bench -- epoch_real`. A fixed number of steps is timed and extrapolated (see the figure's fields);
// EPOCH_REAL_FULL=1 also runs and times one whole epoch with trainLoop.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateConfig } from '../src/config/load.ts';
import type { Config } from '../src/config/schema.ts';
import { makeContext } from '../src/pipeline/context.ts';
import { stepDir } from '../src/pipeline/artifact.ts';
import { runDownload } from '../src/pipeline/steps/download.ts';
import { runClean } from '../src/pipeline/steps/clean.ts';
import { runSplit } from '../src/pipeline/steps/split.ts';
import { runTokenize } from '../src/pipeline/steps/tokenize.ts';
import { runSequences, sequencesFile, type SequencesStats } from '../src/pipeline/steps/sequences.ts';
import { modelConfigFrom, readSequenceSet, trainerEngine, optimConfigFrom, scheduleConfigFrom, type SequenceSet } from '../src/pipeline/model-setup.ts';
import { Trainer } from '../src/train/engine.ts';
import { trainLoop } from '../src/train/loop.ts';
import type { ModelConfig } from '../src/model/config.ts';
import { median, peakRssMb, round, realDataDir } from './util.ts';

const B = 256;
const WARMUP_STEPS = 2, TIMED_RUNS = 3, STEPS_PER_RUN = 4, EVAL_BATCHES = 4;

export const figureNames = ['epoch_real'];

/** The benchmark model (docs/model.md#notation defaults); the real sequences must imply exactly this shape. */
const EXPECTED: Partial<ModelConfig> = { V: 3, O: 3, C: 10, K: 2, T: 24, e: 32, d: 128, H: 4, N: 4, F: 512, dropout: 0.1, coin_mixing: 'concat', loss_positions: 'all' };

export interface RealData { dir: string; config: Config; stats: SequencesStats; train: SequenceSet; val: SequenceSet; model: ModelConfig }

/** Steps 1-5 on the real dataset (default config, csv source) in a temp artifacts dir; the caller removes `dir`. */
async function build(): Promise<RealData> {
  const dir = mkdtempSync(join(tmpdir(), 'tokcast-bench-real-'));
  const config = validateConfig({ artifacts_dir: dir, data: { source: 'csv', data_dir: realDataDir('epoch-real'), target_coin: 'XRP' } });
  const ctx = makeContext(config);
  await runDownload(ctx);
  await runClean(ctx);
  await runSplit(ctx);
  await runTokenize(ctx);
  const seq = await runSequences(ctx);
  const sdir = stepDir(dir, 'sequences');
  const train = readSequenceSet(sdir, sequencesFile('train'), seq.stats);
  const val = readSequenceSet(sdir, sequencesFile('val'), seq.stats);
  return { dir, config, stats: seq.stats, train, val, model: modelConfigFrom(config, seq.stats) };
}

// an object, not a function: bench/run.ts calls every exported function of a module as a figure
export const realData = { build };

/** Train-step and eval-batch wall times on real batches, extrapolated to one epoch (drop_last train batches + all val batches). */
export async function epochReal(): Promise<object> {
  const threads = Number(process.env.BENCH_THREADS ?? 2);
  const tBuild = performance.now();
  const data = await build();
  const buildSeconds = (performance.now() - tBuild) / 1000;
  try {
    for (const [k, v] of Object.entries(EXPECTED)) {
      if (data.model[k as keyof ModelConfig] !== v) throw new Error(`epoch_real: model ${k} = ${data.model[k as keyof ModelConfig]}, expected ${v}`);
    }
    const { train, val, model, config } = data;
    const trainer = await Trainer.create(model, optimConfigFrom(config), { seed: config.seed, threads });
    const engine = trainerEngine(trainer);
    const stepsPerEpoch = Math.floor(train.N / B), valBatches = Math.ceil(val.N / B);
    const row = train.rowSize;
    const xb = new Uint8Array(B * row), yb = new Uint8Array(B);
    let k = 0;
    // consecutive real batches (a shuffled epoch costs the same: the graph is dense)
    const step = async () => {
      const s = (k++ % stepsPerEpoch) * B;
      xb.set(train.x.subarray(s * row, (s + B) * row));
      yb.set(train.y.subarray(s, s + B));
      await engine.trainStep(xb, yb, B, config.train.lr);
    };
    for (let i = 0; i < WARMUP_STEPS; i++) await step();
    const stepMs: number[] = [], cpuStepMs: number[] = [];
    for (let r = 0; r < TIMED_RUNS; r++) {
      const c0 = process.cpuUsage(), t0 = performance.now();
      for (let i = 0; i < STEPS_PER_RUN; i++) await step();
      stepMs.push((performance.now() - t0) / STEPS_PER_RUN);
      const c = process.cpuUsage(c0);
      cpuStepMs.push((c.user + c.system) / 1000 / STEPS_PER_RUN);
    }
    const evalMs: number[] = [];
    for (let i = 0; i <= EVAL_BATCHES; i++) {
      const b0 = (i % valBatches) * B, n = Math.min(B, val.N - b0);
      const t0 = performance.now();
      await engine.evalBatch(val.x.subarray(b0 * row, (b0 + n) * row), val.y.subarray(b0, b0 + n), n);
      if (i > 0) evalMs.push(performance.now() - t0); // the first is a warm-up
    }
    const trainS = (median(stepMs) * stepsPerEpoch) / 1000, valS = (median(evalMs) * valBatches) / 1000;
    const fig: Record<string, unknown> = {
      name: 'epoch_real', epoch_seconds: round(trainS + valS, 1), train_seconds: round(trainS, 1), val_seconds: round(valS, 1),
      samples_per_s: round((stepsPerEpoch * B) / (trainS + valS), 1), train_samples_per_s: round((B * 1000) / median(stepMs), 1),
      extrapolated: true,
      timed: `median of ${TIMED_RUNS} runs of ${STEPS_PER_RUN} train steps (after ${WARMUP_STEPS} warm-up) and of ${EVAL_BATCHES} val batches, ` +
        `x ${stepsPerEpoch} steps + ${valBatches} val batches per epoch`,
      fraction_timed: round((TIMED_RUNS * STEPS_PER_RUN) / stepsPerEpoch, 3),
      ms_per_step: round(median(stepMs), 1), min_ms_per_step: round(Math.min(...stepMs), 1), max_ms_per_step: round(Math.max(...stepMs), 1),
      cpu_ms_per_step: round(median(cpuStepMs), 1), ms_per_val_batch: round(median(evalMs), 1),
      train_windows: train.N, val_windows: val.N, steps_per_epoch: stepsPerEpoch, batch: B, threads,
      load_avg_1m: round(loadavg()[0]!, 1), steps_1_5_seconds: round(buildSeconds, 1),
    };
    if (process.env.EPOCH_REAL_FULL) {
      // one whole epoch exactly as step 6 runs it (shuffled, warmup lr, validation pass)
      const state = await trainLoop(engine, train, val, {
        epochs: 1, batchSize: B, seed: config.seed, shuffle: true, schedule: scheduleConfigFrom(config),
      });
      fig.full_epoch_seconds = round(state.history[0]!.seconds, 1);
      fig.full_epoch_samples_per_s = round(state.history[0]!.samples_per_s, 1);
    }
    fig.peak_rss_mb = round(peakRssMb(), 0);
    await trainer.dispose();
    return fig;
  } finally {
    rmSync(data.dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await epochReal()));
