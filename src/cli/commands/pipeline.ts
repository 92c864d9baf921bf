// `tokcast pipeline <step>`: every pipeline step as a subcommand, sharing the config and data flags.
// Only the flags are defined here; config, steps and their libraries load when a command runs (a fast --help).
import { Command, Option } from 'commander';
import type { Overrides } from '../../config/load.ts';
import { runAllPlan, type PipelineStep, type StepOptions } from '../../pipeline/steps/index.ts';
import { UserError } from '../../util/errors.ts';
import { calendarDate, integer, nonNegativeNumber, positiveInt, positiveNumber } from '../args.ts';

interface CommonFlags {
  config?: string; artifactsDir?: string; source?: string; dataDir?: string; coins?: string; targetCoin?: string;
  start?: string; end?: string; seed?: number; set?: string[]; quiet?: boolean; allowCpuFallback?: boolean;
}

/** The flags every pipeline command accepts; scripts and benchmarks depend on these names. */
function addCommonFlags(cmd: Command): Command {
  return cmd
    .option('--config <path>', 'config file', 'config.yaml')
    .option('--artifacts-dir <dir>', 'where step folders are written (default: config artifacts_dir)')
    .addOption(new Option('--source <source>', 'candle source').choices(['binance', 'csv', 'synthetic']))
    .option('--data-dir <dir>', 'folder with one CSV per coin (csv source)')
    .option('--coins <list>', 'comma-separated coins, e.g. BTC,ETH,XRP')
    .option('--target-coin <coin>', 'coin whose next price token is predicted')
    .option('--start <date>', 'first day (UTC), e.g. 2020-01-01', calendarDate)
    .option('--end <date>', 'last day (UTC, inclusive)', calendarDate)
    .option('--seed <n>', 'global seed', integer)
    .option('--set <key=value>', 'override any config key (repeatable), e.g. --set train.lr=0.001', (v: string, acc: string[] = []) => [...acc, v])
    .option('--allow-cpu-fallback', 'run on the CPU, with a warning, when train.execution_provider is not usable')
    .option('-q, --quiet', 'no progress bars');
}

/** Turns the common flags into config overrides. */
export async function overridesFrom(flags: CommonFlags): Promise<Overrides> {
  const { parseSet } = await import('../../config/load.ts');
  // --data-dir names a folder of CSVs: it implies --source csv
  if (flags.dataDir !== undefined && flags.source !== undefined && flags.source !== 'csv')
    throw new UserError(`--data-dir ${flags.dataDir}: a folder of CSVs is read by --source csv, not --source ${flags.source}; drop one of the two`);
  const o: Overrides = {
    'data.source': flags.source ?? (flags.dataDir !== undefined ? 'csv' : undefined),
    'data.data_dir': flags.dataDir,
    'data.coins': flags.coins?.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean),
    'data.target_coin': flags.targetCoin?.toUpperCase(),
    'data.start': flags.start,
    'data.end': flags.end,
    seed: flags.seed,
    artifacts_dir: flags.artifactsDir,
    'train.allow_cpu_fallback': flags.allowCpuFallback ? true : undefined,
  };
  for (const s of flags.set ?? []) {
    const [k, v] = parseSet(s);
    o[k] = v;
  }
  return o;
}

async function runSteps(steps: PipelineStep[], flags: CommonFlags, stepOpts: StepOptions, stopWhenMissing: boolean): Promise<void> {
  const overrides = await overridesFrom(flags);
  const { givenKeys, runPipelineCommand } = await import('./pipeline-run.ts');
  const given = givenKeys(overrides, {
    source: flags.source !== undefined || flags.dataDir !== undefined, data_dir: flags.dataDir !== undefined, coins: flags.coins !== undefined,
    target_coin: flags.targetCoin !== undefined, start: flags.start !== undefined, end: flags.end !== undefined,
  });
  await runPipelineCommand(steps, { configPath: flags.config ?? 'config.yaml', overrides, given, quiet: flags.quiet, stepOpts, stopWhenMissing });
}

/** Adds `tokcast pipeline ...` to the program. */
export function registerPipelineCommands(program: Command): void {
  const pipeline = program.command('pipeline').description('run the forecasting pipeline, one step or all');

  pipeline.command('status').description('the run profile (run.json) and which steps are done, stale or missing')
    .option('--config <path>', 'config file', 'config.yaml')
    .option('--artifacts-dir <dir>', 'the artifacts folder (default: config artifacts_dir)')
    .action(async (f: { config: string; artifactsDir?: string }) => (await import('./pipeline-status.ts')).printStatus(f));
  addCommonFlags(pipeline.command('reset').description('step 0: clear artifacts/ and the tuning study of this run (other studies stay unless --all)'))
    .option('--all', 'also delete study databases')
    .action(async (f) => runSteps(['reset'], f, { all: f.all }, false));
  addCommonFlags(pipeline.command('download').description('step 1: hourly OHLCV for the configured coins'))
    .action(async (f) => runSteps(['download'], f, {}, false));
  addCommonFlags(pipeline.command('clean').description('step 2: one hourly grid, gaps filled or dropped, glitches repaired'))
    .action(async (f) => runSteps(['clean'], f, {}, false));
  addCommonFlags(pipeline.command('split').description('step 3: temporal train/validation(/test) split'))
    .action(async (f) => runSteps(['split'], f, {}, false));
  addCommonFlags(pipeline.command('tokenize').description('step 4: returns to tokens with train-fitted quantile bins'))
    .action(async (f) => runSteps(['tokenize'], f, {}, false));
  addCommonFlags(pipeline.command('sequences').description('step 5: (N, T, C, K) windows and targets as safetensors'))
    .action(async (f) => runSteps(['sequences'], f, {}, false));
  addCommonFlags(pipeline.command('train').description('step 6: train the transformer'))
    .option('--epochs <n>', 'epochs (overrides train.epochs)', positiveInt)
    .option('--resume', 'continue an interrupted run from its last checkpoint (refused when settings or data differ)')
    .option('--force', 'with --resume: continue even when settings or data differ (with a warning)')
    .option('--no-pretrained', 'do not start from pretraining weights even if they exist')
    .action(async (f) => runSteps(['train'], { ...f, set: [...(f.set ?? []), ...(f.epochs ? [`train.epochs=${f.epochs}`] : [])] },
      { resume: f.resume, force: f.force, pretrained: f.pretrained }, false));
  addCommonFlags(pipeline.command('evaluate').description('step 7: H-hour forecasts on the test split vs baselines chosen on validation (or other candles with --out-of-sample)'))
    .option('--out-of-sample', 'evaluate on the candles given by --source/--data-dir/--start/--end instead of the validation split')
    .option('--horizon <h>', 'hours ahead', positiveInt)
    .action(async (f) => runSteps(['evaluate'], f, { outOfSample: f.outOfSample || Boolean(f.source || f.dataDir), horizon: f.horizon }, false));
  addCommonFlags(pipeline.command('inference').description('step 8: forecast the next H hours from the latest data'))
    .option('--csv <path>', 'read the latest candles from this folder of CSVs instead of the configured source')
    .option('--horizon <h>', 'hours ahead', positiveInt)
    .option('--paths <n>', 'Monte Carlo token paths for the return quantiles (default 2000)', positiveInt)
    .action(async (f) => runSteps(['inference'], f, { csv: f.csv, horizon: f.horizon, paths: f.paths }, false));
  addCommonFlags(pipeline.command('backtest').description('step 9: trade the hour-1 forecasts of the test split net of fees, beside buy-and-hold and the baselines'))
    .option('--fee-bps <bps>', 'fee per side in basis points (overrides backtest.fee_bps)', nonNegativeNumber)
    .option('--slippage-bps <bps>', 'slippage per side in basis points (overrides backtest.slippage_bps)', nonNegativeNumber)
    .option('--no-short', 'long or flat only (backtest.allow_short = false)')
    .action(async (f) => runSteps(['backtest'], { ...f, set: [...(f.set ?? []),
      ...(f.feeBps !== undefined ? [`backtest.fee_bps=${f.feeBps}`] : []), ...(f.slippageBps !== undefined ? [`backtest.slippage_bps=${f.slippageBps}`] : []),
      ...(f.short === false ? ['backtest.allow_short=false'] : [])] }, {}, false));
  addCommonFlags(pipeline.command('walk-forward').description('step 10: K expanding-window folds, each trained fresh and evaluated and backtested on its next block'))
    .option('--folds <k>', 'number of folds (overrides walk_forward.folds)', positiveInt)
    .option('--verbose', "also print every fold's own step logs")
    .action(async (f) => runSteps(['walk_forward'], f, { folds: f.folds, verbose: f.verbose }, false));
  addCommonFlags(pipeline.command('tune').description('step 6a: TPE search with median pruning over the configured space'))
    .option('--num-trials <n>', 'trials this run finishes (as Optuna\'s n_trials; earlier trials of the study do not count)', positiveInt)
    .option('--max-trials <n>', 'stop when the study holds this many complete, pruned or running trials, across all workers', positiveInt)
    .option('--epochs-per-trial <n>', 'epochs each trial trains', positiveInt)
    .option('--timeout-hours <h>', 'stop starting trials after this long', positiveNumber)
    .addOption(new Option('--budget <b>', 'preset trials x epochs: quick 10x10, standard 30x20, deep 50x50').choices(['quick', 'standard', 'deep']))
    .option('--storage <url>', 'study storage (SQLite path/URL or postgresql://...)')
    .option('--study-name <s>', 'study name')
    .option('--apply', 'write the best params into the config file')
    .option('--n-jobs <j>', 'trials run concurrently in this process', positiveInt)
    .option('--objectives <list>', 'val_loss (default) or val_loss,param_count: a multi-objective study with a Pareto front', (v: string) => v.split(',').map((x) => x.trim()))
    .action(async (f) => runSteps(['tune'], f, { objectives: f.objectives,
      numTrials: f.numTrials, maxTrials: f.maxTrials, epochsPerTrial: f.epochsPerTrial, timeoutHours: f.timeoutHours, budget: f.budget,
      storage: f.storage, studyName: f.studyName, apply: f.apply, nJobs: f.nJobs, configPath: f.config,
    }, false));
  addCommonFlags(pipeline.command('pretrain').description('step 6a: fit a market model, simulate, pretrain'))
    .option('--num-samples <n>', 'synthetic windows', positiveInt)
    .option('--epochs <n>', 'pretraining epochs', positiveInt)
    // here --seed seeds the synthetic market and pretraining (pretrain.seed), not the whole run
    .action(async (f) => runSteps(['pretrain'], { ...f, seed: undefined, set: [...(f.set ?? []), ...(f.seed !== undefined ? [`pretrain.seed=${f.seed}`] : [])] },
      { numSamples: f.numSamples, epochs: f.epochs }, false));
  addCommonFlags(pipeline.command('run-all').description('steps 0-7, backtest, inference in order (flows: --with-pretraining, --with-tuning)'))
    .option('--with-tuning', 'tune before training and train with the best params')
    .option('--with-pretraining', 'pretrain on synthetic data, then fine-tune')
    .option('--num-trials <n>', 'tuning trials this run finishes', positiveInt)
    .option('--max-trials <n>', 'stop tuning when the study holds this many complete, pruned or running trials', positiveInt)
    .option('--epochs-per-trial <n>', 'epochs per tuning trial', positiveInt)
    .addOption(new Option('--budget <b>', 'tuning preset trials x epochs: quick 10x10, standard 30x20, deep 50x50').choices(['quick', 'standard', 'deep']))
    .option('--storage <url>', 'tuning study storage (SQLite path/URL or postgresql://...)')
    .option('--study-name <s>', 'tuning study name (default: derived from the data, objective and search space)')
    .action(async (f) => runSteps(runAllPlan({ withTuning: f.withTuning, withPretraining: f.withPretraining }), f, {
      numTrials: f.numTrials, maxTrials: f.maxTrials, epochsPerTrial: f.epochsPerTrial, budget: f.budget, storage: f.storage, studyName: f.studyName, chained: true,
    }, true));
}
