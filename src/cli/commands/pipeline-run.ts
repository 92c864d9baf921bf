// The CLI side of running pipeline steps: the folder's lock, Ctrl-C / SIGTERM (exit 130), and which data keys the user set.
import { loadConfig, type Overrides } from '../../config/load.ts';
import type { Config } from '../../config/schema.ts';
import { checkSource } from '../../data/sources.ts';
import { acquireLock } from '../../pipeline/lock.ts';
import { runSteps } from '../../pipeline/run-steps.ts';
import { IDENTITY_FLAG, IDENTITY_KEYS, type IdentityKey } from '../../pipeline/run-profile.ts';
import type { PipelineStep, StepOptions } from '../../pipeline/steps/index.ts';
import { InterruptedError } from '../../util/interrupt.ts';
import { consoleReporter } from '../output.ts';

/**
 * Steps that stop cleanly on the first Ctrl-C (train at the next batch; tune fails its running trial and writes its
 * outputs); the others stop at once (every file is written whole or not).
 */
const GRACEFUL: ReadonlySet<PipelineStep> = new Set(['train', 'tune']);

/** The data keys set on this command line, each with the flag that set it (checked against the run profile). */
export function givenKeys(overrides: Overrides, flagSet: Partial<Record<IdentityKey, boolean>>): Partial<Record<IdentityKey, string>> {
  const given: Partial<Record<IdentityKey, string>> = {};
  for (const key of IDENTITY_KEYS) {
    if (flagSet[key]) given[key] = IDENTITY_FLAG[key];
    else if (overrides[`data.${key}`] !== undefined) given[key] = `--set data.${key}`;
  }
  return given;
}

/** Settings that cannot work are refused before the lock or any step: the candle source, a tune storage URL. */
async function preflight(steps: PipelineStep[], config: Config, stepOpts: StepOptions): Promise<void> {
  checkSource(config.data);
  if (steps.includes('tune')) {
    const { parseStorageUrl } = await import('../../tune/storage/url.ts');
    parseStorageUrl((stepOpts.storage as string | undefined) ?? config.tune.storage);
  }
}

const say = (m: string) => process.stderr.write(`tokcast: ${m}\n`);

/** Loads the config, locks the artifacts folder and runs the steps; an interrupt exits 130 with one line. */
export async function runPipelineCommand(steps: PipelineStep[], o: {
  configPath: string; overrides: Overrides; given: Partial<Record<IdentityKey, string>>; quiet?: boolean;
  stepOpts: StepOptions; stopWhenMissing: boolean;
}): Promise<void> {
  const config = loadConfig(o.configPath, o.overrides);
  await preflight(steps, config, o.stepOpts);
  const reporter = consoleReporter({ quiet: o.quiet });
  // `pipeline tune` alone: workers sharing a study may share the folder (a shared lock; no sweep of their temp files)
  const shared = steps.length === 1 && steps[0] === 'tune';
  const release = acquireLock(config.artifacts_dir, `tokcast ${process.argv.slice(2).join(' ')}`, (m) => say(`note: ${m}`), shared ? 'shared' : 'exclusive');
  const ac = new AbortController();
  let current: PipelineStep | null = null;
  const stop = (why: string): never => {
    say(why);
    release();
    process.exit(130);
  };
  const onSignal = (sig: NodeJS.Signals) => {
    if (current && GRACEFUL.has(current) && !ac.signal.aborted) {
      ac.abort();
      say(`interrupted (${sig}): ${current === 'tune' ? 'tune marks the running trial FAIL and stops' : `${current} stops after the current batch`} (press Ctrl-C again to stop at once)`);
      return;
    }
    stop(`interrupted (${sig})${current ? ` during ${current}` : ''}: files already written are whole; ` +
      `\`tokcast pipeline status\` shows which steps are done, rerun the rest`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', release);
  try {
    await runSteps(steps, {
      config, reporter, given: o.given, stepOpts: o.stepOpts, sweep: !shared, stopWhenMissing: o.stopWhenMissing, signal: ac.signal,
      onStep: (s) => { current = s; },
    });
  } catch (e) {
    if (e instanceof InterruptedError) stop(`interrupted: ${e.message}`);
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', release);
    release();
  }
}
