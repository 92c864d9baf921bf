// tokcast's public library surface: re-exports only (the CLI is one client of these).

// config and pipeline
export { loadConfig, validateConfig, configHash } from './config/load.ts';
export { configSchema, DEFAULT_COINS, type Config } from './config/schema.ts';
export { makeContext, type StepContext } from './pipeline/context.ts';
export { silentReporter, type Reporter } from './util/reporter.ts';
export { readArtifact, writeArtifact, artifactPath, stepDir, STEP_DIRS, type Artifact } from './pipeline/artifact.ts';
export { PIPELINE_STEPS, loadStep, runAllPlan } from './pipeline/steps/index.ts';
export { runReset } from './pipeline/steps/reset.ts';
export { runDownload } from './pipeline/steps/download.ts';
export { runClean } from './pipeline/steps/clean.ts';
export { runSplit } from './pipeline/steps/split.ts';
export { runTokenize } from './pipeline/steps/tokenize.ts';
export { runSequences } from './pipeline/steps/sequences.ts';
export { runTrain } from './pipeline/steps/train.ts';
export { runEvaluate, evaluateWindows } from './pipeline/steps/evaluate.ts';
export { runInference } from './pipeline/steps/inference.ts';
export { runTuneStep, trainingObjective } from './pipeline/steps/tune.ts';
export { loadFreshWindows, loadLatestWindow } from './pipeline/fresh-data.ts';

// data and tokens
export type { CoinCandles, MarketTable } from './data/candles.ts';
export { loadCandles } from './data/sources.ts';
export { loadCsvFolder, parseCandleCsv } from './data/csv.ts';
export { BinanceClient } from './data/binance/rest.ts';
export { readParquet, writeParquet } from './data/parquet.ts';
export { cleanMarket } from './data/clean.ts';
export { fitBins, applyBins } from './tokenize/bins.ts';
export { buildWindows, windowStarts } from './tokenize/windows.ts';

// engine
export type { ModelConfig } from './model/config.ts';
export { initParams, countParams, type Params } from './model/params.ts';
export { exportModelOnnx } from './model/export.ts';
export { Trainer } from './train/engine.ts';
export { Forecaster } from './train/forecaster.ts';
export { trainLoop, type TrainEngine, type WindowSet } from './train/loop.ts';
export { readSafetensors, writeSafetensors } from './checkpoint/safetensors.ts';

// evaluation
export { persistence, majority, priorRandom, markov, fitMarkov, classPrior } from './evaluate/baselines.ts';
export { buildReport, type EvaluationReport } from './evaluate/report.ts';

// tuning (Optuna-class) and pretraining
export * from './tune/index.ts';
export { getParamImportances } from './tune/importance/index.ts';
export { runTuning } from './pipeline/tuning/run.ts';
export { applyBestParams } from './pipeline/tuning/apply.ts';
export { openStorage } from './tune/storage/url.ts';
export * as market from './market/index.ts';
export { renderPng, renderSvg } from './plots/render.ts';
