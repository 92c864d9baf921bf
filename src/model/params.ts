// The named parameter table of docs/model.md#parameter-names and #initialisation: names, shapes, decay and init.
// Canonical order is the parity fixtures' `param_names`; matrices are stored (in, out).
import { Rng } from '../util/rng.ts';
import { CHANNELS, fuseInputWidth, type ModelConfig } from './config.ts';

export type ParamInit = 'normal' | 'zeros' | 'ones';

/** One parameter: its docs/model.md#parameter-names name, storage shape, whether AdamW decays it (>= 2-D) and its init. */
export interface ParamSpec {
  name: string;
  shape: number[];
  decay: boolean;
  init: ParamInit;
}

/** Named parameter values, float32, row-major, keyed by docs/model.md#parameter-names name. */
export type Params = Record<string, Float32Array>;

function spec(name: string, shape: number[], init?: ParamInit): ParamSpec {
  const decay = shape.length >= 2;
  return { name, shape, decay, init: init ?? (decay ? 'normal' : 'zeros') };
}

/** All parameters of a model in canonical order. */
export function paramSpecs(cfg: ModelConfig): ParamSpec[] {
  const { V, O, d, F, e } = cfg;
  const out: ParamSpec[] = [];
  for (let k = 0; k < cfg.K; k++) out.push(spec(`embed.${CHANNELS[k]}`, [V, e]));
  out.push(spec('fuse.w', [fuseInputWidth(cfg), d]), spec('fuse.b', [d]));
  for (let i = 0; i < cfg.N; i++) {
    const p = `blocks.${i}`;
    out.push(spec(`${p}.ln1.g`, [d], 'ones'), spec(`${p}.ln1.b`, [d]));
    for (const w of ['q', 'k', 'v', 'o']) out.push(spec(`${p}.attn.w${w}`, [d, d]), spec(`${p}.attn.b${w}`, [d]));
    out.push(spec(`${p}.ln2.g`, [d], 'ones'), spec(`${p}.ln2.b`, [d]));
    out.push(spec(`${p}.mlp.w1`, [d, F]), spec(`${p}.mlp.b1`, [F]), spec(`${p}.mlp.w2`, [F, d]), spec(`${p}.mlp.b2`, [d]));
  }
  out.push(spec('lnf.g', [d], 'ones'), spec('lnf.b', [d]));
  out.push(spec('head.w', [d, O]), spec('head.b', [O]));
  return out;
}

/** Number of elements of a shape. */
export function sizeOf(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Total number of scalar parameters. */
export function countParams(cfg: ModelConfig): number {
  return paramSpecs(cfg).reduce((n, s) => n + sizeOf(s.shape), 0);
}

/** Fresh parameters: weights and embeddings normal(0, 0.02), biases 0, LayerNorm gains 1, drawn in canonical order. */
export function initParams(cfg: ModelConfig, seed: number): Params {
  const rng = new Rng(seed);
  const out: Params = {};
  for (const s of paramSpecs(cfg)) {
    const a = new Float32Array(sizeOf(s.shape));
    if (s.init === 'ones') a.fill(1);
    else if (s.init === 'normal') for (let i = 0; i < a.length; i++) a[i] = 0.02 * rng.normal();
    out[s.name] = a;
  }
  return out;
}

/** Checks that `params` has exactly the table's names with the right sizes; returns a list of problems (empty = ok). */
export function checkParams(cfg: ModelConfig, params: Record<string, { length: number }>, shapes?: Record<string, number[]>): string[] {
  const problems: string[] = [];
  const specs = paramSpecs(cfg);
  const known = new Set(specs.map((s) => s.name));
  for (const s of specs) {
    const p = params[s.name];
    if (!p) problems.push(`missing parameter ${s.name} [${s.shape.join(', ')}]`);
    else if (shapes && shapes[s.name] && shapes[s.name].join(',') !== s.shape.join(',')) {
      problems.push(`${s.name} has shape [${shapes[s.name].join(', ')}], the model needs [${s.shape.join(', ')}]`);
    } else if (p.length !== sizeOf(s.shape)) problems.push(`${s.name} has ${p.length} values, the model needs ${sizeOf(s.shape)} [${s.shape.join(', ')}]`);
  }
  for (const name of Object.keys(params)) if (!known.has(name)) problems.push(`unexpected parameter ${name}`);
  return problems;
}

/** A parameter's place in the flat vector that holds all parameters in canonical order. */
export interface ParamSlot extends ParamSpec {
  offset: number;
  size: number;
}

/** Offsets of every parameter in the flat vector, and its total length. */
export function paramLayout(cfg: ModelConfig): { slots: ParamSlot[]; total: number } {
  let offset = 0;
  const slots = paramSpecs(cfg).map((s) => {
    const slot = { ...s, offset, size: sizeOf(s.shape) };
    offset += slot.size;
    return slot;
  });
  return { slots, total: offset };
}

/** Copies named parameters into one flat vector in canonical order. */
export function packParams(cfg: ModelConfig, params: Params): Float32Array {
  const { slots, total } = paramLayout(cfg);
  const out = new Float32Array(total);
  for (const s of slots) {
    const p = params[s.name];
    if (!p || p.length !== s.size) throw new Error(`packParams: ${s.name} needs ${s.size} values, got ${p?.length ?? 'none'}`);
    out.set(p, s.offset);
  }
  return out;
}

/** Named views (no copy) into a flat parameter vector. */
export function unpackParams(cfg: ModelConfig, flat: Float32Array): Params {
  const { slots, total } = paramLayout(cfg);
  if (flat.length !== total) throw new Error(`unpackParams: flat vector has ${flat.length} values, the model needs ${total}`);
  const out: Params = {};
  for (const s of slots) out[s.name] = flat.subarray(s.offset, s.offset + s.size);
  return out;
}

/** 1 for decayed (>= 2-D) parameters, 0 for the rest, laid out like the flat vector. */
export function decayMask(cfg: ModelConfig): Float32Array {
  const { slots, total } = paramLayout(cfg);
  const out = new Float32Array(total);
  for (const s of slots) if (s.decay) out.fill(1, s.offset, s.offset + s.size);
  return out;
}
