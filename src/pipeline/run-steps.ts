// Runs pipeline steps in one artifacts folder: sweeps a crashed run's leftovers, then gives each step the config its
// run profile (run.json) implies, refusing flags that contradict it. The CLI takes the folder's lock around this.
import type { Config } from '../config/schema.ts';
import { makeContext, type StepContext } from './context.ts';
import type { Reporter } from '../util/reporter.ts';
import { loadStep, hasStep, type PipelineStep, type StepOptions } from './steps/index.ts';
import { readRunProfile, resolveWithProfile, type IdentityKey } from './run-profile.ts';
import { sweepLeftovers } from './sweep.ts';

export interface RunStepsOptions {
  config: Config;
  reporter: Reporter;
  /** the data keys set on the command line (key -> the flag as typed), checked against the run profile */
  given?: Partial<Record<IdentityKey, string>>;
  stepOpts?: StepOptions;
  /** stop (with a note) at the first step this build lacks instead of failing (run-all) */
  stopWhenMissing?: boolean;
  /** aborted on Ctrl-C: steps that can stop cleanly (train) watch it */
  signal?: AbortSignal;
  onStep?: (step: PipelineStep) => void;
  /** clear a killed run's leftovers first (not when other processes may be writing: tuning workers sharing the folder) */
  sweep?: boolean;
}

/** Data keys a step may take from the command line although the run profile says otherwise. */
export function freeKeys(step: PipelineStep, opts: StepOptions): IdentityKey[] {
  if (step === 'evaluate' && opts.outOfSample) return ['source', 'data_dir', 'start', 'end'];
  if (step === 'inference') return ['start', 'end'];
  return [];
}

/** What else the user may have meant by a data flag on this step. */
function hintFor(step: PipelineStep): string {
  if (step === 'evaluate') return 'to evaluate the model on other candles, add --out-of-sample';
  if (step === 'inference') return 'to forecast from another folder of CSVs, use --csv DIR';
  return '';
}

/** The context of one step: the config with the folder's run profile applied (none yet: the config as it is). */
export function stepContext(step: PipelineStep, o: RunStepsOptions): StepContext {
  const base = makeContext(o.config, o.reporter);
  const profile = step === 'reset' ? null : readRunProfile(base.artifactsDir);
  if (!profile) return { ...base, signal: o.signal };
  const { config, fromProfile } = resolveWithProfile(o.config, profile, o.given ?? {}, freeKeys(step, o.stepOpts ?? {}), base.artifactsDir, hintFor(step));
  if (fromProfile.length) {
    o.reporter.log(`${step}: this run's ${fromProfile.map((f) => `${f.key} ${f.run}`).join(', ')} (run.json; the config says ` +
      `${fromProfile.map((f) => f.config).join(', ')}); \`tokcast pipeline reset\` starts another run`);
  }
  return { ...makeContext(config, o.reporter, base.artifactsDir), signal: o.signal };
}

/** Runs `steps` in order; each step's context is made just before it runs (step 1 writes the profile the next ones read). */
export async function runSteps(steps: PipelineStep[], o: RunStepsOptions): Promise<void> {
  const { reporter } = o;
  if (o.sweep !== false) for (const line of sweepLeftovers(o.config.artifacts_dir)) reporter.log(`cleanup: ${line}`);
  let config = o.config; // a chained tune step hands its best params on through its context's config
  for (const step of steps) {
    if (o.stopWhenMissing && !hasStep(step)) {
      reporter.log(`run-all: step ${step} is not available in this build; stopping after the steps above`);
      return;
    }
    const ctx = stepContext(step, { ...o, config });
    o.onStep?.(step);
    const t0 = performance.now();
    // headers only where several steps run: a single step's own lines (and its error) stand alone
    const headers = steps.length > 1;
    if (headers) reporter.log(`== ${step}`);
    const run = await loadStep(step);
    await run(ctx, o.stepOpts ?? {});
    config = ctx.config;
    if (headers) reporter.log(`== ${step} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
}
