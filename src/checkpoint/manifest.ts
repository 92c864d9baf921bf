// A training checkpoint folder: model.safetensors (docs/model.md#parameter-names, loadable by PyTorch users), optimizer.safetensors
// (AdamW m and v) and checkpoint.json (config, step, file hashes), written so a crash never leaves a mixed set.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic, readJson } from '../util/fs.ts';
import { UserError } from '../util/errors.ts';
import { decodeSafetensors, encodeSafetensors, type SafeTensor } from './safetensors.ts';
import { validateModelConfig, type ModelConfig } from '../model/config.ts';
import { checkParams, paramSpecs, type Params } from '../model/params.ts';
import type { OptimConfig } from '../model/optim-config.ts';
import { issuesLine } from '../util/zod-issues.ts';

export type { OptimConfig };

export const CHECKPOINT_FORMAT = 'tokcast-checkpoint';
export const CHECKPOINT_VERSION = 1;
export const MODEL_FILE = 'model.safetensors';
export const OPTIMIZER_FILE = 'optimizer.safetensors';
export const MANIFEST_FILE = 'checkpoint.json';

/** AdamW state: first and second moments per parameter and the number of steps taken. */
export interface OptimState {
  step: number;
  m: Params;
  v: Params;
}

export interface Checkpoint {
  modelConfig: ModelConfig;
  optimConfig?: OptimConfig;
  params: Params;
  /** absent for weights-only checkpoints (e.g. pretrained or exported models) */
  optimizer?: OptimState;
  /** free-form JSON the training loop wants back (epoch, best loss, lr, ...) */
  extra?: Record<string, unknown>;
}

interface Manifest {
  format: string;
  version: number;
  model_config: ModelConfig;
  optim_config: OptimConfig | null;
  step: number;
  param_names: string[];
  files: Record<string, { sha256: string; bytes: number }>;
  extra: Record<string, unknown>;
}

/** checkpoint.json as read: types and ranges (the model config is validated by validateModelConfig). */
const manifestSchema = z.object({
  format: z.literal(CHECKPOINT_FORMAT),
  version: z.literal(CHECKPOINT_VERSION),
  model_config: z.record(z.string(), z.unknown()),
  optim_config: z.record(z.string(), z.unknown()).nullable(),
  step: z.number().int().min(0),
  param_names: z.array(z.string()),
  files: z.record(z.string(), z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().min(0) }).strict()),
  extra: z.record(z.string(), z.unknown()),
}).strict();

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function toTensors(cfg: ModelConfig, params: Params, prefix = ''): Record<string, SafeTensor> {
  const out: Record<string, SafeTensor> = {};
  for (const s of paramSpecs(cfg)) out[prefix + s.name] = { dtype: 'F32', shape: s.shape, data: params[s.name] };
  return out;
}

/** Writes a checkpoint folder; the manifest is written last, so readers never pair it with half-written tensors. */
export function saveCheckpoint(dir: string, ck: Checkpoint): void {
  const cfg = validateModelConfig(ck.modelConfig);
  const problems = checkParams(cfg, ck.params);
  if (problems.length) throw new Error(`saveCheckpoint ${dir}: ${problems.join('; ')}`);
  const files: Manifest['files'] = {};
  const model = encodeSafetensors(toTensors(cfg, ck.params), { format: 'pt', source: 'tokcast' });
  writeFileAtomic(join(dir, MODEL_FILE), model);
  files[MODEL_FILE] = { sha256: sha256(model), bytes: model.length };
  if (ck.optimizer) {
    const o = ck.optimizer;
    for (const [which, p] of [['m', o.m], ['v', o.v]] as const) {
      const bad = checkParams(cfg, p);
      if (bad.length) throw new Error(`saveCheckpoint ${dir}: optimizer ${which}: ${bad.join('; ')}`);
    }
    const opt = encodeSafetensors({ ...toTensors(cfg, o.m, 'm.'), ...toTensors(cfg, o.v, 'v.') }, { step: String(o.step) });
    writeFileAtomic(join(dir, OPTIMIZER_FILE), opt);
    files[OPTIMIZER_FILE] = { sha256: sha256(opt), bytes: opt.length };
  }
  const manifest: Manifest = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    model_config: cfg,
    optim_config: ck.optimConfig ?? null,
    step: ck.optimizer?.step ?? 0,
    param_names: paramSpecs(cfg).map((s) => s.name),
    files,
    extra: ck.extra ?? {},
  };
  writeJsonAtomic(join(dir, MANIFEST_FILE), manifest);
}

const SHAPE_KEYS = ['V', 'O', 'C', 'K', 'T', 'e', 'd', 'H', 'N', 'F', 'coin_mixing'] as const;

/**
 * Reads a checkpoint folder, refusing it with the reason when a file is missing or corrupt, the hashes disagree
 * with the manifest, or (when `expect` is given) its shapes differ from the expected model config.
 */
export function loadCheckpoint(dir: string, expect?: ModelConfig): Checkpoint {
  const mpath = join(dir, MANIFEST_FILE);
  const refuse = (why: string): never => {
    throw new UserError(`checkpoint ${dir} refused: ${why}`);
  };
  if (!existsSync(mpath)) refuse(`no ${MANIFEST_FILE}`);
  let raw: Partial<Manifest>;
  try { raw = readJson(mpath) as Partial<Manifest>; } catch (e) { return refuse((e as Error).message.replace(`${mpath}: `, `${MANIFEST_FILE} `)); }
  if (raw?.format !== CHECKPOINT_FORMAT) refuse(`${MANIFEST_FILE} has format ${JSON.stringify(raw?.format)}, expected "${CHECKPOINT_FORMAT}"`);
  if (raw.version !== CHECKPOINT_VERSION) refuse(`${MANIFEST_FILE} has version ${raw.version}, this tokcast reads ${CHECKPOINT_VERSION}`);
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) refuse(`${MANIFEST_FILE}: ${issuesLine(parsed.error!, raw)}`);
  const m = parsed.data as unknown as Manifest;
  const cfg = validateModelConfig(m.model_config as ModelConfig, `${mpath} model_config`);
  if (expect) {
    const diff = SHAPE_KEYS.filter((k) => expect[k] !== cfg[k]).map((k) => `${k} ${String(cfg[k])} (expected ${String(expect[k])})`);
    if (diff.length) refuse(`model shape mismatch: ${diff.join(', ')}`);
  }
  const read = (name: string): Uint8Array => {
    const info = m.files?.[name];
    if (!info) refuse(`${MANIFEST_FILE} does not list ${name}`);
    const path = join(dir, name);
    if (!existsSync(path)) refuse(`${name} is missing`);
    const bytes = readFileSync(path);
    if (bytes.length !== info!.bytes || sha256(bytes) !== info!.sha256) {
      refuse(`${name} does not match the manifest (${bytes.length} bytes, expected ${info!.bytes}; sha256 differs or the file was replaced)`);
    }
    return bytes;
  };
  const tensorsToParams = (tensors: Record<string, SafeTensor>, prefix: string, what: string): Params => {
    const out: Params = {};
    const shapes: Record<string, number[]> = {};
    for (const [k, t] of Object.entries(tensors)) {
      if (!k.startsWith(prefix)) continue;
      if (t.dtype !== 'F32') refuse(`${what} tensor ${k} is ${t.dtype}, expected F32`);
      out[k.slice(prefix.length)] = t.data as Float32Array;
      shapes[k.slice(prefix.length)] = t.shape;
    }
    const problems = checkParams(cfg, out, shapes);
    if (problems.length) refuse(`${what}: ${problems.join('; ')}`);
    return out;
  };
  const model = decodeSafetensors(read(MODEL_FILE), join(dir, MODEL_FILE));
  const ck: Checkpoint = {
    modelConfig: cfg,
    optimConfig: m.optim_config ?? undefined,
    params: tensorsToParams(model.tensors, '', MODEL_FILE),
    extra: m.extra ?? {},
  };
  if (m.files?.[OPTIMIZER_FILE]) {
    const opt = decodeSafetensors(read(OPTIMIZER_FILE), join(dir, OPTIMIZER_FILE));
    const step = Number(opt.metadata.step);
    if (!Number.isInteger(step) || step !== m.step) refuse(`${OPTIMIZER_FILE} step ${opt.metadata.step} differs from the manifest's ${m.step}`);
    ck.optimizer = { step, m: tensorsToParams(opt.tensors, 'm.', `${OPTIMIZER_FILE} m`), v: tensorsToParams(opt.tensors, 'v.', `${OPTIMIZER_FILE} v`) };
  }
  return ck;
}
