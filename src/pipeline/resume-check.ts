// What `train --resume` compares: the keys that decide the data, the model and the training of a run, saved with
// checkpoint_last and compared with the current config and data before continuing (docs/pipeline.md#train).
import { z } from 'zod';
import type { Config } from '../config/schema.ts';
import { UserError } from '../util/errors.ts';
import { issuesLine } from '../util/zod-issues.ts';

/** Config sections whose keys change what training computes. */
const SECTIONS = ['data', 'clean', 'split', 'tokenize', 'sequences', 'model', 'train'] as const;
/** Keys that may differ on resume: how long to train, where and how fast (the result does not depend on them). */
const FREE = new Set(['train.epochs', 'train.threads', 'train.execution_provider', 'train.allow_cpu_fallback',
  'data.binance.max_weight_per_minute', 'data.binance.max_retries', 'data.binance.timeout_ms']);

export type Fingerprint = Record<string, string>;

function flatten(prefix: string, v: unknown, out: Fingerprint): void {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) flatten(prefix ? `${prefix}.${k}` : k, x, out);
  } else if (!FREE.has(prefix)) out[prefix] = JSON.stringify(v ?? null);
}

/** The run's keys as `key -> JSON value`, plus the identity of the training windows (step 5's artifact). */
export function resumeFingerprint(config: Config, windows: { sequences_created_at: string; data_hash: string | null }): Fingerprint {
  const out: Fingerprint = { seed: JSON.stringify(config.seed) };
  for (const s of SECTIONS) flatten(s, config[s], out);
  out['sequences (step 5 artifact created_at)'] = JSON.stringify(windows.sequences_created_at);
  if (windows.data_hash !== null) out['data files (run.json data_hash)'] = JSON.stringify(windows.data_hash);
  return out;
}

/** `key now (checkpoint: then)` for every key that differs; empty when the run may resume. */
export function resumeDifferences(saved: Fingerprint, now: Fingerprint): string[] {
  const keys = [...new Set([...Object.keys(saved), ...Object.keys(now)])].sort();
  return keys.filter((k) => saved[k] !== now[k]).map((k) => `${k} ${now[k] ?? '(absent)'} (checkpoint: ${saved[k] ?? '(absent)'})`);
}

const count = z.number().int().min(0);
const lossOrNone = z.number().nullable(); // Infinity is saved as null in JSON
/** The loop state saved in checkpoint_last (train/loop.ts LoopState), checked before a resume trusts it. */
export const loopStateSchema = z.object({
  epoch: count,
  globalStep: count,
  schedule: z.object({
    baseLr: z.number().positive(), plateauBest: lossOrNone, plateauBad: count, stopBest: lossOrNone, stopBad: count, reductions: count,
  }).strict(),
  history: z.array(z.object({ epoch: z.number().int().positive() }).loose()),
  bestValLoss: lossOrNone,
  bestEpoch: count,
  stoppedEarly: z.boolean(),
}).strict().refine((s) => s.history.length === s.epoch, { message: 'history must hold one row per finished epoch', path: ['history'] })
  .refine((s) => s.bestEpoch <= s.epoch, { message: 'bestEpoch is after the last finished epoch', path: ['bestEpoch'] });

/** The loop state of a checkpoint, or a UserError naming the file and the first bad keys. */
export function parseLoopState(raw: unknown, file: string): z.infer<typeof loopStateSchema> {
  const r = loopStateSchema.safeParse(raw);
  if (r.success) return r.data;
  const where = issuesLine(r.error, raw, { prefix: 'loop.' });
  throw new UserError(`${file}: not a valid training state (${where}); run \`tokcast pipeline train\` without --resume`);
}
