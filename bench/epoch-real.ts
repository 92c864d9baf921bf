// Benchmark `epoch_real`: seconds for one training epoch (train steps + the validation pass, as src/train/loop.ts
// runs them) of the default/benchmark model (B=256, T=24, C=10, K=2, V=3, e=32, d=128, H=4, N=4, F=512, dropout 0.1,
// loss on all positions, concat) on the real 10-coin dataset's windows (steps 1-5 on TOKCAST_REAL_DATA_DIR, csv).
// `npm run bench -- epoch_real`: whole epochs, timed end to end (see epochReal).
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
import { trainLoop, type TrainEngine } from '../src/train/loop.ts';
import type { ModelConfig } from '../src/model/config.ts';
import { benchProvider, median, peakRssMb, round, realDataDir } from './util.ts';

const B = 256;

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

/** The engine step 6 uses, with every train step and validation batch timed. */
function timedEngine(base: TrainEngine): { engine: TrainEngine; steps: number[]; evals: number[] } {
  const t = { steps: [] as number[], evals: [] as number[] };
  const engine: TrainEngine = {
    trainStep: async (...a) => { const t0 = performance.now(); const r = await base.trainStep(...a); t.steps.push(performance.now() - t0); return r; },
    evalBatch: async (...a) => { const t0 = performance.now(); const r = await base.evalBatch(...a); t.evals.push(performance.now() - t0); return r; },
  };
  return { engine, ...t };
}

/**
 * Whole epochs as step 6 runs them (trainLoop: shuffled batches, warm-up schedule, the validation pass, and the
 * last/best checkpoints written after every epoch), never extrapolated: one warm-up epoch, then EPOCH_REAL_EPOCHS
 * (default 5) timed ones. Each epoch is also split into its train steps, its validation batches, its checkpoint
 * writes and the rest, and set against `steps x median step + validation` of the same epoch (`epoch_vs_steps`).
 * EPOCH_REAL_WINDOWS=n trains on the first n windows only (a quick look; the figure says so).
 */
export async function epochReal(): Promise<object> {
  const threads = Number(process.env.BENCH_THREADS ?? 2), epochs = Number(process.env.EPOCH_REAL_EPOCHS ?? 5);
  const tBuild = performance.now();
  const data = await build();
  const buildSeconds = (performance.now() - tBuild) / 1000;
  try {
    for (const [k, v] of Object.entries(EXPECTED)) {
      if (data.model[k as keyof ModelConfig] !== v) throw new Error(`epoch_real: model ${k} = ${data.model[k as keyof ModelConfig]}, expected ${v}`);
    }
    const { model, config } = data;
    const nw = process.env.EPOCH_REAL_WINDOWS ? Math.min(Number(process.env.EPOCH_REAL_WINDOWS), data.train.N) : data.train.N;
    const train = { ...data.train, N: nw, x: data.train.x.subarray(0, nw * data.train.rowSize), y: data.train.y.subarray(0, nw) };
    const val = data.val;
    const trainer = await Trainer.create(model, optimConfigFrom(config), { seed: config.seed, threads, executionProvider: benchProvider() });
    const t = timedEngine(trainerEngine(trainer));
    const ckDir = join(data.dir, 'checkpoints');
    // no early stop or plateau in the few epochs timed: every epoch does the same work
    const schedule = { ...scheduleConfigFrom(config), earlyStopping: { patience: 1000, min_delta: 0 } };
    const rows: { wall: number; steps: number; medianStep: number; stepSum: number; val: number; checkpoint: number }[] = [];
    let last = performance.now();
    await trainLoop(t.engine, train, val, {
      epochs: epochs + 1, batchSize: B, seed: config.seed, shuffle: true, schedule,
      onEpochEnd: async (r, state) => {
        const c0 = performance.now();
        trainer.saveCheckpoint(join(ckDir, 'last'), { loop: state });
        if (r.improved) trainer.saveCheckpoint(join(ckDir, 'best'), { epoch: r.epoch, val_loss: r.val_loss });
        const now = performance.now();
        rows.push({ wall: now - last, steps: t.steps.length, medianStep: median(t.steps), stepSum: t.steps.reduce((a, b) => a + b, 0), val: t.evals.reduce((a, b) => a + b, 0), checkpoint: now - c0 });
        t.steps.length = 0; t.evals.length = 0;
        last = performance.now();
      },
    });
    await trainer.dispose();
    const timed = rows.slice(1); // the first epoch is the warm-up (it also opens the evaluation session)
    const spread = (xs: number[], scale = 1, digits = 2) => ({ median: round(median(xs) / scale, digits), min: round(Math.min(...xs) / scale, digits), max: round(Math.max(...xs) / scale, digits) });
    const stepsPerEpoch = timed[0]!.steps;
    return {
      name: 'epoch_real', runs: timed.length, warmup: 1, unit: 'whole epochs (train steps + validation + checkpoint writes), not extrapolated',
      epoch_seconds: spread(timed.map((r) => r.wall), 1000),
      samples_per_s: round((stepsPerEpoch * B * 1000) / median(timed.map((r) => r.wall)), 1),
      // the yardstick: an epoch against its own steps at their median time plus its validation
      epoch_vs_steps: spread(timed.map((r) => r.wall / (r.steps * r.medianStep + r.val)), 1, 3),
      ms_per_step: spread(timed.map((r) => r.medianStep), 1, 1),
      train_steps_seconds: spread(timed.map((r) => r.stepSum), 1000),
      val_seconds: spread(timed.map((r) => r.val), 1000),
      checkpoint_seconds: spread(timed.map((r) => r.checkpoint), 1000, 3),
      other_seconds: spread(timed.map((r) => r.wall - r.stepSum - r.val - r.checkpoint), 1000, 3),
      warmup_epoch_seconds: round(rows[0]!.wall / 1000, 1),
      train_windows: train.N, ...(nw < data.train.N ? { subset_of_train_windows: data.train.N } : {}), val_windows: val.N,
      steps_per_epoch: stepsPerEpoch, batch: B, threads, execution_provider_used: trainer.executionProviderUsed,
      load_avg_1m: round(loadavg()[0]!, 1), steps_1_5_seconds: round(buildSeconds, 1), peak_rss_mb: round(peakRssMb(), 0),
    };
  } finally {
    rmSync(data.dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await epochReal()));
