// What every pipeline step receives: the validated config, where artifacts live, and a reporter for progress.
import type { Config } from '../config/schema.ts';
import { configHash } from '../config/load.ts';
import { silentReporter, type Reporter } from '../util/reporter.ts';

export interface StepContext {
  config: Config;
  configHash: string;
  artifactsDir: string;
  reporter: Reporter;
  /** aborted when the user interrupts (Ctrl-C): a step that can stop cleanly watches it */
  signal?: AbortSignal;
}

export function makeContext(config: Config, reporter: Reporter = silentReporter, artifactsDir = config.artifacts_dir): StepContext {
  return { config, configHash: configHash(config), artifactsDir, reporter };
}
