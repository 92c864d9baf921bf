// Step artifacts: `artifacts/step_NN_<name>/<name>_artifact.json`, schema-checked on write and read, written atomically.
// Every artifact records the config hash, the artifacts it was made from, timings, files and the step's statistics.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { readJson, writeJsonAtomic } from '../util/fs.ts';
import { UserError } from '../util/errors.ts';

export const STEP_DIRS = {
  reset: 'step_00_reset',
  download: 'step_01_download',
  clean: 'step_02_clean',
  split: 'step_03_split',
  tokenize: 'step_04_tokenize',
  sequences: 'step_05_sequences',
  tune: 'step_06a_tune',
  pretrain: 'step_06a_pretrain',
  train: 'step_06_train',
  evaluate: 'step_07_evaluate',
  inference: 'step_08_inference',
  backtest: 'step_09_backtest',
  walk_forward: 'step_10_walk_forward',
} as const;
export type StepName = keyof typeof STEP_DIRS;

export const ARTIFACT_VERSION = 1;

export const inputRefSchema = z.object({
  step: z.string(),
  path: z.string(),
  config_hash: z.string(),
  created_at: z.string(),
}).strict();
export type InputRef = z.infer<typeof inputRefSchema>;

/** The envelope shared by every step's artifact; `stats` is the step's own schema. */
export function artifactSchema<S extends z.ZodType>(step: StepName, stats: S) {
  return z.object({
    step: z.literal(step),
    version: z.literal(ARTIFACT_VERSION),
    created_at: z.string(),
    config_hash: z.string(),
    seed: z.number().int(),
    inputs: z.array(inputRefSchema),
    timings: z.object({ started_at: z.string(), finished_at: z.string(), seconds: z.number().min(0) }).strict(),
    /** files the step wrote, relative to its folder */
    files: z.array(z.string()),
    stats,
  }).strict();
}

export type Artifact<S> = {
  step: StepName; version: number; created_at: string; config_hash: string; seed: number;
  inputs: InputRef[]; timings: { started_at: string; finished_at: string; seconds: number };
  files: string[]; stats: S;
};

export function stepDir(artifactsDir: string, step: StepName): string {
  return join(artifactsDir, STEP_DIRS[step]);
}

export function artifactPath(artifactsDir: string, step: StepName): string {
  return join(stepDir(artifactsDir, step), `${step}_artifact.json`);
}

/** Validates and writes a step's artifact atomically; returns its path. */
export function writeArtifact<S extends z.ZodType>(artifactsDir: string, step: StepName, stats: S, artifact: Artifact<z.infer<S>>): string {
  const schema = artifactSchema(step, stats);
  const parsed = schema.safeParse(artifact);
  if (!parsed.success) throw new Error(`internal: ${step} artifact does not match its schema: ${parsed.error.message}`);
  const path = artifactPath(artifactsDir, step);
  writeJsonAtomic(path, parsed.data);
  return path;
}

/** Reads and validates a step's artifact; a missing one tells the user which command makes it. */
export function readArtifact<S extends z.ZodType>(artifactsDir: string, step: StepName, stats: S): Artifact<z.infer<S>> {
  const path = artifactPath(artifactsDir, step);
  if (!existsSync(path)) throw new UserError(`${path}: missing; run \`tokcast pipeline ${step}\` first`);
  const parsed = artifactSchema(step, stats).safeParse(readJson(path));
  if (!parsed.success) {
    const where = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new UserError(`${path}: not a valid ${step} artifact (${where}); rerun \`tokcast pipeline ${step}\``);
  }
  return parsed.data as Artifact<z.infer<S>>;
}

/** A reference to an input artifact, for the `inputs` list of the next one. */
export function inputRef(artifactsDir: string, step: StepName, a: { config_hash: string; created_at: string }): InputRef {
  return { step, path: artifactPath(artifactsDir, step), config_hash: a.config_hash, created_at: a.created_at };
}

/** Measures a step: call `finish()` at the end to get the timings block. */
export function startTimer(): { finish(): Artifact<unknown>['timings'] } {
  const started = new Date();
  const t0 = performance.now();
  return {
    finish: () => ({ started_at: started.toISOString(), finished_at: new Date().toISOString(), seconds: (performance.now() - t0) / 1000 }),
  };
}
