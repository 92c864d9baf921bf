// runPretraining (docs/pretraining.md, step 6a): fit the market model on the real training split, compare real vs
// synthetic statistics, then pretrain the docs/model.md transformer with the real training loop on streamed synthetic
// windows (src/pretrain/corpus.ts, real step-4 edges), validating on step 5's REAL validation windows.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Config } from '../../config/schema.ts';
import { readArtifact, stepDir, artifactPath } from '../artifact.ts';
import { tokenizeStats, EDGES_FILE } from '../steps/tokenize.ts';
import { sequencesStats, sequencesFile } from '../steps/sequences.ts';
import { CLEAN_FILE } from '../steps/clean.ts';
import { PRETRAINED_FILE } from '../steps/train.ts';
import { SPLIT_FILE } from '../steps/split.ts';
import { modelConfigFrom, readSequenceSet, trainerEngine, createTrainer, scheduleConfigFrom } from '../model-setup.ts';
import type { ModelConfig } from '../../model/config.ts';
import { paramSpecs, type Params } from '../../model/params.ts';
import { trainLoop, initialLoopState, type EpochRecord, type LoopState, type WindowSet } from '../../train/loop.ts';
import { fitMarket, type FitOptions } from '../../market/fit.ts';
import type { MarketParams } from '../../market/params.ts';
import { corpusBatches, collectCorpus } from '../../pretrain/corpus.ts';
import { K } from '../../tokenize/windows.ts';
import { readEdgesFile } from '../../tokenize/edges-file.ts';
import { writeSafetensors } from '../../checkpoint/safetensors.ts';
import { writeJsonAtomic } from '../../util/fs.ts';
import { renderPng } from '../../plots/render.ts';
import { syntheticSamplesSpec } from '../../plots/specs/synthetic.ts';
import { UserError } from '../../util/errors.ts';
import { loadRealTrainMarket, edgesFor, syntheticDataStats, samplePaths, type SyntheticDataStats } from '../../pretrain/stats-report.ts';

export { PRETRAINED_FILE };
export const HISTORY_FILE = 'pretraining_history.json';
export const STATS_FILE = 'synthetic_data_stats.json';
export const SAMPLES_PLOT = 'synthetic_samples.png';
export const MARKET_FILE = 'market_params.json';

export interface PretrainOptions {
  config: Config;
  /** path of step 4's tokenize_artifact.json; clean, split (and sequences) are read from the same artifacts folder */
  tokenizeArtifact: string;
  outputDir: string;
  /** synthetic windows per epoch @default config.pretrain.num_samples */
  numSamples?: number;
  /** passes over them @default config.pretrain.epochs */
  epochs?: number;
  /** @default config.pretrain.seed ?? config.seed */
  seed?: number;
  /** step 5's sequences artifact for the REAL validation windows; default: the one beside the tokenize artifact;
   *  null (or missing) = validate on held-out synthetic windows instead */
  sequencesArtifact?: string | null;
  /** windows held in memory at once; a corpus larger than this is streamed chunk by chunk @default 65536 */
  chunkSamples?: number;
  /** draw new windows every epoch instead of repeating the same corpus @default false */
  fresh?: boolean;
  /** skip the fit and simulate these params (tests, experiments) */
  marketParams?: MarketParams;
  fit?: FitOptions;
  /** simulated hours for synthetic_data_stats.json @default 100000 */
  statsHours?: number;
  /** write synthetic_samples.png @default true */
  plot?: boolean;
  log?: (message: string) => void;
  onBatch?: (done: number, total: number, loss: number, round: number) => void;
  signal?: AbortSignal;
}

/** One validation point: after each chunk of synthetic windows (one chunk per epoch unless streaming). */
export interface PretrainRecord extends EpochRecord { round: number; pass: number; chunk: number; samples_seen: number }

export interface PretrainResult {
  model: ModelConfig;
  market: MarketParams;
  stats: SyntheticDataStats;
  history: PretrainRecord[];
  best: PretrainRecord;
  /** the saved weights (the best round by validation loss) */
  params: Params;
  valSource: 'real' | 'synthetic';
  valWindows: number;
  numSamples: number; epochs: number; seed: number; chunkSamples: number; chunksPerEpoch: number; rebalance: boolean;
  fitSeconds: number; trainSeconds: number;
  files: { model: string; history: string; stats: string; market: string; plot: string | null };
}

/** Fits, compares, pretrains and writes the step 6a files into outputDir. */
export async function runPretraining(o: PretrainOptions): Promise<PretrainResult> {
  const { config } = o;
  const log = o.log ?? (() => {});
  const numSamples = o.numSamples ?? config.pretrain.num_samples, epochs = o.epochs ?? config.pretrain.epochs;
  const seed = o.seed ?? config.pretrain.seed ?? config.seed;
  if (!(numSamples >= 1 && epochs >= 1)) throw new UserError(`pretrain: num_samples (${numSamples}) and epochs (${epochs}) must be >= 1`);
  const artifactsDir = dirname(dirname(o.tokenizeArtifact));
  const tok = readArtifact(artifactsDir, 'tokenize', tokenizeStats);
  const coins = tok.stats.coins;
  if (coins.join(',') !== config.data.coins.join(',')) throw new UserError(`config data.coins (${config.data.coins.join(', ')}) differ from the tokenized coins (${coins.join(', ')}); rerun \`tokcast pipeline tokenize\``);
  const target = coins.indexOf(config.data.target_coin);
  if (target < 0) throw new UserError(`config data.target_coin: ${config.data.target_coin} is not one of data.coins (${coins.join(', ')})`);
  const edgesFile = readEdgesFile(join(stepDir(artifactsDir, 'tokenize'), EDGES_FILE));
  const { edges, floors } = edgesFor(edgesFile, coins);
  const V = edgesFile.num_bins, T = config.sequences.window, C = coins.length;
  mkdirSync(o.outputDir, { recursive: true });

  // 1. the market model, fitted on the real training split only
  const real = await loadRealTrainMarket(join(stepDir(artifactsDir, 'clean'), CLEAN_FILE), join(stepDir(artifactsDir, 'split'), SPLIT_FILE), coins);
  const t0 = performance.now();
  const market = o.marketParams ?? fitMarket({ coins, close: real.close, volume: real.volume, openTime: real.openTime }, o.fit);
  const fitSeconds = (performance.now() - t0) / 1000;
  if (market.coins.map((c) => c.coin).join(',') !== coins.join(',')) throw new UserError(`pretrain: market params are for ${market.coins.map((c) => c.coin).join(', ')}, not ${coins.join(', ')}`);
  const marketPath = join(o.outputDir, MARKET_FILE);
  writeJsonAtomic(marketPath, market);
  log(`pretrain: market model ${o.marketParams ? 'given' : `fitted on ${real.presentHours} training hours in ${fitSeconds.toFixed(1)} s`}`);

  // 2. real vs synthetic statistics and the sample plot
  const stats = syntheticDataStats(real, market, edgesFile, { hours: o.statsHours ?? 100_000, seed: seed + 1, source: config.data.source });
  const statsPath = join(o.outputDir, STATS_FILE);
  writeJsonAtomic(statsPath, stats);
  let plotPath: string | null = null;
  if (o.plot !== false) {
    plotPath = join(o.outputDir, SAMPLES_PLOT);
    const paths = samplePaths(real, market, Math.min(720, real.openTime.length), seed + 2);
    await renderPng(syntheticSamplesSpec(paths, coins, stats.comparison.correlation.real, stats.comparison.correlation.synthetic,
      `Real (training split) vs synthetic: ${coins.join(', ')}`), plotPath);
  }
  const s = stats.summary;
  log(`pretrain: synthetic vs real: corr Frobenius ${s.corr_frobenius.toFixed(3)}, std rel. error ${s.std_rel_error.toFixed(3)}, price token TV ${s.price_token_tv.toFixed(3)}, transition TV ${s.price_transition_tv.toFixed(3)}`);

  // 3. pretraining: the real loop over chunks of synthetic windows, validated on real windows
  const model = modelConfigFrom(config, { V, C, K, T, target_index: target, target_coin: config.data.target_coin, coins });
  const pcfg: Config = { ...config, train: { ...config.train, lr: config.pretrain.lr } };
  const corpus = {
    params: market, edges, volumeFloor: floors, T, target, seed: seed + 3, rebalance: config.pretrain.rebalance,
    stride: config.sequences.stride,
  };
  const chunkSamples = Math.max(1, Math.min(numSamples, o.chunkSamples ?? 65_536));
  const chunksPerEpoch = Math.ceil(numSamples / chunkSamples);
  const seqPath = o.sequencesArtifact === undefined ? artifactPath(artifactsDir, 'sequences') : o.sequencesArtifact;
  let val: WindowSet, valSource: 'real' | 'synthetic';
  if (seqPath && existsSync(seqPath)) {
    const seq = readArtifact(dirname(dirname(seqPath)), 'sequences', sequencesStats);
    if (seq.stats.T !== T || seq.stats.C !== C || seq.stats.V !== V || seq.stats.target_index !== target)
      throw new UserError(`${seqPath}: windows (T ${seq.stats.T}, C ${seq.stats.C}, V ${seq.stats.V}) differ from this config; rerun \`tokcast pipeline sequences\``);
    val = readSequenceSet(dirname(seqPath), sequencesFile('val'), { V, T, C, K });
    valSource = 'real';
    if (val.N === 0) throw new UserError(`${seqPath}: the validation split has no windows; enlarge split.val_ratio`);
  } else {
    const b = collectCorpus({ ...corpus, seed: seed + 4, numSamples: Math.min(4096, numSamples), rebalance: false });
    val = { x: b.x, y: b.y, N: b.N, rowSize: T * C * K };
    valSource = 'synthetic';
  }
  log(`pretrain: ${numSamples} synthetic windows x ${epochs} epochs (${chunksPerEpoch} chunk(s) of <= ${chunkSamples}), validation on ${val.N} ${valSource} windows`);

  const trainer = await createTrainer(pcfg, model, seed);
  const engine = trainerEngine(trainer);
  const schedule = scheduleConfigFrom(pcfg);
  const history: PretrainRecord[] = [];
  let state: LoopState = initialLoopState(schedule);
  let bestParams: Params = trainer.getParams(), best: PretrainRecord | undefined, seen = 0;
  let cached: WindowSet | undefined;
  const t1 = performance.now();
  try {
    outer: for (let pass = 0; pass < epochs; pass++) {
      const chunks = cached ? [cached] : corpusBatches({ ...corpus, numSamples, batchSize: chunkSamples, seed: corpus.seed + (o.fresh ? pass * 7919 : 0) });
      let chunkNo = 0;
      for (const b of chunks) {
        const set: WindowSet = 'rowSize' in b ? b : { x: b.x, y: b.y, N: b.N, rowSize: T * C * K };
        if (chunksPerEpoch === 1 && !o.fresh) cached = set;
        const round = state.epoch + 1;
        state = await trainLoop(engine, set, val, {
          epochs: round, batchSize: config.train.batch_size, seed, shuffle: config.train.shuffle, schedule, resume: state, signal: o.signal,
          onBatch: (done, total, loss) => o.onBatch?.(done, total, loss, round),
          onEpochEnd: async (r) => {
            seen += set.N;
            const rec: PretrainRecord = { ...r, round, pass: pass + 1, chunk: ++chunkNo, samples_seen: seen };
            history.push(rec);
            if (r.improved || !best) { best = rec; bestParams = trainer.getParams(); }
            writeJsonAtomic(join(o.outputDir, HISTORY_FILE), history);
            log(`pretrain: epoch ${pass + 1}/${epochs} chunk ${chunkNo}/${chunksPerEpoch}: train loss ${r.train_loss.toFixed(4)} acc ${r.train_acc.toFixed(3)} | ${valSource} val loss ${r.val_loss.toFixed(4)} acc ${r.val_acc.toFixed(3)}${r.improved ? ' *' : ''}`);
          },
        });
        if (state.stoppedEarly) break outer;
      }
    }
  } finally {
    await trainer.dispose();
  }
  const trainSeconds = (performance.now() - t1) / 1000;
  const modelPath = join(o.outputDir, PRETRAINED_FILE);
  writeSafetensors(modelPath, Object.fromEntries(paramSpecs(model).map((p) => [p.name, { dtype: 'F32' as const, shape: p.shape, data: bestParams[p.name]! }])), {
    format: 'pt', source: 'tokcast pretrain', model_config: JSON.stringify(model),
    pretrain: JSON.stringify({ num_samples: numSamples, epochs, seed, best_round: best!.round, best_val_loss: best!.val_loss, val_source: valSource }),
  });
  const historyPath = join(o.outputDir, HISTORY_FILE);
  writeJsonAtomic(historyPath, history);
  return {
    model, market, stats, history, best: best!, params: bestParams, valSource, valWindows: val.N,
    numSamples, epochs, seed, chunkSamples, chunksPerEpoch, rebalance: config.pretrain.rebalance, fitSeconds, trainSeconds,
    files: { model: modelPath, history: historyPath, stats: statsPath, market: marketPath, plot: plotPath },
  };
}
