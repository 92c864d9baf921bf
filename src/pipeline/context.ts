// What every pipeline step receives: the validated config, where artifacts live, and a reporter for progress.
import type { Config } from '../config/schema.ts';
import { configHash } from '../config/load.ts';

/** Progress and log sink; the CLI implements it (bars on a TTY, plain lines otherwise). The engine never prints. */
export interface Reporter {
  /** a one-line message for the user (stderr) */
  log(message: string): void;
  /** start a bounded task; returns a handle to advance and finish it */
  progress(label: string, total: number, unit?: string): ProgressHandle;
}
export interface ProgressHandle {
  tick(n?: number, info?: Record<string, string | number>): void;
  done(): void;
}

export const silentReporter: Reporter = {
  log: () => {},
  progress: () => ({ tick: () => {}, done: () => {} }),
};

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
