// The step registry: maps a step name to its runner, loaded lazily so a missing step says so instead of crashing.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { StepContext } from '../context.ts';

export type StepOptions = Record<string, unknown>;
export type StepRunner = (ctx: StepContext, opts?: StepOptions) => Promise<unknown>;

/** Steps in pipeline order, with the module and export that run each. */
export const PIPELINE_STEPS = [
  { name: 'reset', file: 'reset.ts', fn: 'runReset' },
  { name: 'download', file: 'download.ts', fn: 'runDownload' },
  { name: 'clean', file: 'clean.ts', fn: 'runClean' },
  { name: 'split', file: 'split.ts', fn: 'runSplit' },
  { name: 'tokenize', file: 'tokenize.ts', fn: 'runTokenize' },
  { name: 'sequences', file: 'sequences.ts', fn: 'runSequences' },
  { name: 'pretrain', file: 'pretrain.ts', fn: 'runPretrainStep' },
  { name: 'tune', file: 'tune.ts', fn: 'runTuneStep' },
  { name: 'train', file: 'train.ts', fn: 'runTrain' },
  { name: 'evaluate', file: 'evaluate.ts', fn: 'runEvaluate' },
  { name: 'inference', file: 'inference.ts', fn: 'runInference' },
  { name: 'backtest', file: 'backtest.ts', fn: 'runBacktest' },
  { name: 'walk_forward', file: 'walk-forward.ts', fn: 'runWalkForward' },
] as const;
export type PipelineStep = (typeof PIPELINE_STEPS)[number]['name'];

/** True when this build has the step's module. */
export function hasStep(name: PipelineStep): boolean {
  const s = PIPELINE_STEPS.find((x) => x.name === name)!;
  return existsSync(fileURLToPath(new URL(`./${s.file}`, import.meta.url)));
}

/** Loads a step's runner; throws a clear error when the step does not exist in this build. */
export async function loadStep(name: PipelineStep): Promise<StepRunner> {
  const s = PIPELINE_STEPS.find((x) => x.name === name);
  if (!s) throw new Error(`unknown step ${name}`);
  if (!hasStep(name)) throw new Error(`step ${name} is not available in this build`);
  const mod = (await import(new URL(`./${s.file}`, import.meta.url).href)) as Record<string, unknown>;
  const fn = mod[s.fn];
  if (typeof fn !== 'function') throw new Error(`internal: ${s.file} does not export ${s.fn}`);
  return fn as StepRunner;
}

/** The steps `run-all` runs for the chosen flow (docs/architecture.md#steps: 5 -> [6a pretrain] -> [6a tune] -> 6 -> 7 -> 9 -> 8). */
export function runAllPlan(opts: { withTuning?: boolean; withPretraining?: boolean }): PipelineStep[] {
  const plan: PipelineStep[] = ['reset', 'download', 'clean', 'split', 'tokenize', 'sequences'];
  if (opts.withPretraining) plan.push('pretrain');
  if (opts.withTuning) plan.push('tune');
  plan.push('train', 'evaluate', 'backtest', 'inference');
  return plan;
}
