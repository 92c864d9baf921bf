// Step artifacts: `artifacts/step_NN_<name>/<name>_artifact.json`, schema-checked on write and read, written atomically.
// Every artifact records the config hash, the artifacts it was made from, timings, files (with their size and sha256)
// and the step's statistics, plus a checksum of itself; a read refuses an edited artifact or a changed file.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson } from '../config/load.ts';
import { hashFile, sha256Hex } from '../util/hash.ts';
import { z } from 'zod';
import { readJson, writeJsonAtomic } from '../util/fs.ts';
import { UserError } from '../util/errors.ts';
import { issuesLine } from '../util/zod-issues.ts';

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

const HEX64 = /^[0-9a-f]{64}$/;
const fileHashSchema = z.object({ bytes: z.number().int().min(0), sha256: z.string().regex(HEX64) }).strict();
export type FileHash = z.infer<typeof fileHashSchema>;

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
    /** files the step wrote, relative to its folder (a folder ends with `/`) */
    files: z.array(z.string()),
    /** size and sha256 of every listed file (folders carry their own manifest); absent in artifacts of older versions */
    hashes: z.record(z.string(), fileHashSchema).optional(),
    stats,
    /** sha256 of the artifact's canonical JSON without this field: a hand edit is refused */
    checksum: z.string().regex(HEX64).optional(),
  }).strict();
}

export type Artifact<S> = {
  step: StepName; version: number; created_at: string; config_hash: string; seed: number;
  inputs: InputRef[]; timings: { started_at: string; finished_at: string; seconds: number };
  files: string[]; hashes?: Record<string, FileHash>; stats: S; checksum?: string;
};

export function stepDir(artifactsDir: string, step: StepName): string {
  return join(artifactsDir, STEP_DIRS[step]);
}

export function artifactPath(artifactsDir: string, step: StepName): string {
  return join(stepDir(artifactsDir, step), `${step}_artifact.json`);
}

/** The checksum of an artifact as read back from JSON, without its `checksum` field. */
function checksumOf(a: Record<string, unknown>): string {
  const { checksum: _, ...rest } = JSON.parse(JSON.stringify(a)) as Record<string, unknown>;
  return sha256Hex(canonicalJson(rest));
}

/** Size and sha256 of the listed files that are files (folders end with `/`). */
function hashesOf(dir: string, files: string[]): Record<string, FileHash> {
  const out: Record<string, FileHash> = {};
  for (const f of files) if (!f.endsWith('/') && existsSync(join(dir, f)) && statSync(join(dir, f)).isFile()) out[f] = hashFile(join(dir, f));
  return out;
}

/** Validates and writes a step's artifact atomically (with its files' hashes and its checksum); returns its path. */
export function writeArtifact<S extends z.ZodType>(artifactsDir: string, step: StepName, stats: S, artifact: Artifact<z.infer<S>>): string {
  const schema = artifactSchema(step, stats);
  const withHashes = { ...artifact, hashes: hashesOf(stepDir(artifactsDir, step), artifact.files), checksum: undefined };
  const parsed = schema.safeParse(withHashes);
  if (!parsed.success) throw new Error(`internal: ${step} artifact does not match its schema: ${parsed.error.message}`);
  const data = parsed.data as Record<string, unknown>;
  const path = artifactPath(artifactsDir, step);
  writeJsonAtomic(path, { ...data, checksum: checksumOf(data) });
  return path;
}

/** The first problem with a valid artifact's integrity (edited JSON, a listed file gone or changed), or null; `a` as read. */
export function integrityProblem(artifactsDir: string, step: StepName, a: Pick<Artifact<unknown>, 'hashes' | 'checksum'>): string | null {
  const path = artifactPath(artifactsDir, step);
  const again = `run \`tokcast pipeline ${step}\` again, or \`tokcast pipeline reset\``;
  if (a.checksum !== undefined && checksumOf(a as unknown as Record<string, unknown>) !== a.checksum) return `${path}: edited since ${step} wrote it (its checksum differs); ${again}`;
  const dir = stepDir(artifactsDir, step);
  for (const [f, h] of Object.entries(a.hashes ?? {})) {
    const p = join(dir, f);
    if (!existsSync(p)) return `${p}: missing (written by ${step}); ${again}`;
    const now = hashFile(p);
    if (now.bytes !== h.bytes || now.sha256 !== h.sha256) {
      return `${p}: changed since ${step} ran (${now.bytes} bytes, ${step} wrote ${h.bytes}${now.bytes === h.bytes ? '; sha256 differs' : ''}); ${again}`;
    }
  }
  return null;
}

/** Reads and validates a step's artifact and checks its files' hashes; a missing one tells the user which command makes it. */
export function readArtifact<S extends z.ZodType>(artifactsDir: string, step: StepName, stats: S): Artifact<z.infer<S>> {
  const path = artifactPath(artifactsDir, step);
  if (!existsSync(path)) throw new UserError(`${path}: missing; run \`tokcast pipeline ${step}\` first`);
  let raw: unknown;
  try {
    raw = readJson(path);
  } catch (e) {
    throw new UserError(`${(e as Error).message}; rerun \`tokcast pipeline ${step}\``);
  }
  const parsed = artifactSchema(step, stats).safeParse(raw);
  if (!parsed.success) {
    const where = issuesLine(parsed.error, raw);
    throw new UserError(`${path}: not a valid ${step} artifact (${where}); rerun \`tokcast pipeline ${step}\``);
  }
  const a = parsed.data as Artifact<z.infer<S>>;
  const problem = integrityProblem(artifactsDir, step, raw as Artifact<unknown>);
  if (problem) throw new UserError(problem);
  return a;
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
