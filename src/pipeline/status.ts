// What an artifacts folder holds: its run profile and, for every step, done / stale / missing with the reason
// (`tokcast pipeline status`). A step is stale when an input ran again after it, an input is stale or missing, a file
// it lists is gone, or (step 1, csv) a data file changed since it was read.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { artifactPath, artifactSchema, integrityProblem, stepDir, type Artifact, type StepName } from './artifact.ts';
import { readRunProfile, type RunProfile } from './run-profile.ts';
import { readLock } from './lock.ts';
import { readJson } from '../util/fs.ts';
import { hashFile } from '../util/hash.ts';

export type StepState = 'done' | 'stale' | 'missing';
export interface StepStatus { step: StepName; state: StepState; created_at: string | null; why: string | null }
export interface FolderStatus { profile: RunProfile | null; profileError: string | null; steps: StepStatus[]; lock: ReturnType<typeof readLock> }

/** The steps in pipeline order (reset excluded: it makes no artifact later steps read). */
export const STATUS_STEPS: readonly StepName[] = ['download', 'clean', 'split', 'tokenize', 'sequences', 'pretrain', 'tune', 'train', 'evaluate', 'backtest', 'inference', 'walk_forward'];

/** csv: the data files whose size or hash differ from the profile's (or that are gone). */
export function changedDataFiles(profile: RunProfile): string[] {
  return profile.data_files.filter((f) => !existsSync(f.file) || (() => {
    const h = hashFile(f.file);
    return h.sha256 !== f.sha256 || h.bytes !== f.bytes;
  })()).map((f) => f.file);
}

export function folderStatus(artifactsDir: string): FolderStatus {
  let profile: RunProfile | null = null, profileError: string | null = null;
  try { profile = readRunProfile(artifactsDir); } catch (e) { profileError = (e as Error).message; }
  const byStep = new Map<StepName, StepStatus>();
  const steps = STATUS_STEPS.map((step) => {
    const st = stepStatus(artifactsDir, step, byStep, profile);
    byStep.set(step, st);
    return st;
  });
  return { profile, profileError, steps, lock: readLock(artifactsDir) };
}

function stepStatus(artifactsDir: string, step: StepName, done: Map<StepName, StepStatus>, profile: RunProfile | null): StepStatus {
  const path = artifactPath(artifactsDir, step);
  if (!existsSync(path)) return { step, state: 'missing', created_at: null, why: null };
  let raw: unknown;
  try { raw = readJson(path); } catch (e) { return { step, state: 'stale', created_at: null, why: (e as Error).message }; }
  const parsed = artifactSchema(step, z.unknown()).safeParse(raw);
  if (!parsed.success) return { step, state: 'stale', created_at: null, why: `${path}: not a valid ${step} artifact` };
  const a = parsed.data;
  const stale = (why: string): StepStatus => ({ step, state: 'stale', created_at: a.created_at, why });
  const problem = integrityProblem(artifactsDir, step, raw as Artifact<unknown>);
  if (problem) return stale(problem.replace(/; run `.*$/, ''));
  for (const f of a.files) if (!existsSync(join(stepDir(artifactsDir, step), f))) return stale(`its file ${f} is missing`);
  for (const input of a.inputs) {
    const up = done.get(input.step as StepName);
    if (!up) continue;
    if (up.state === 'missing') return stale(`its input ${input.step} is missing`);
    if (up.state === 'stale') return stale(`its input ${input.step} is stale`);
    if (up.created_at !== input.created_at) return stale(`${input.step} ran again after it (${up.created_at})`);
  }
  if (step === 'download' && profile) {
    const changed = changedDataFiles(profile);
    if (changed.length) return stale(`data changed since it was read: ${changed.join(', ')}`);
  }
  return { step, state: 'done', created_at: a.created_at, why: null };
}
