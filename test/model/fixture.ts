// Parity fixture loading and comparison for test/model/*: flattens the nested JSON lists and, on a mismatch,
// reports the first elements side by side and the largest difference (llm.c test_gpt2.c style).
import { readFixtureJson } from '../fixtures/data.ts';
import assert from 'node:assert/strict';
import type { ModelConfig } from '../../src/model/config.ts';
import type { Params } from '../../src/model/params.ts';

type Nested = number | Nested[];

export interface FixtureStep {
  step: number;
  loss_before: number;
  grad_norm_preclip: number;
  clip_coef: number;
  params_after: Record<string, Float64Array>;
}

export interface Fixture {
  name: string;
  config: ModelConfig & { B: number };
  paramNames: string[];
  params: Record<string, Float64Array>;
  x: Int32Array;
  y: Int32Array;
  targets: Int32Array;
  pos: Float64Array;
  activations: { fused: Float64Array; h0: Float64Array; blocks: Float64Array[]; lnf: Float64Array };
  logits: Float64Array;
  loss: number;
  accLast: number;
  grads: Record<string, Float64Array>;
  optim: { lr: number; weight_decay: number; eps: number; beta1: number; beta2: number; max_norm: number; steps: number };
  steps: FixtureStep[];
}

export const FIXTURES = ['case_a_concat_all', 'case_b_concat_last', 'case_c_mean_all'];

export function flat(v: Nested): number[] {
  return Array.isArray(v) ? v.flatMap((x) => flat(x)) : [v];
}

const f64 = (v: Nested) => Float64Array.from(flat(v));
const i32 = (v: Nested) => Int32Array.from(flat(v));
const mapValues = (o: Record<string, Nested>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f64(v)]));

/** Loads one parity case from test/fixtures/parity. */
export function loadFixture(name: string): Fixture {
  const j = readFixtureJson('parity', `${name}.json`);
  return {
    name,
    config: j.config,
    paramNames: j.param_names,
    params: mapValues(j.params),
    x: i32(j.x),
    y: i32(j.y),
    targets: i32(j.targets),
    pos: f64(j.pos),
    activations: { fused: f64(j.activations.fused), h0: f64(j.activations.h0), blocks: j.activations.blocks.map(f64), lnf: f64(j.activations.lnf) },
    logits: f64(j.logits),
    loss: j.loss,
    accLast: j.acc_last,
    grads: mapValues(j.grads),
    optim: j.optim,
    steps: j.steps.map((s: Record<string, unknown>) => ({ ...s, params_after: mapValues(s.params_after as Record<string, Nested>) })),
  };
}

/** The fixture's float64 weights as float32 (exact: they were drawn in float32). */
export function toFloat32(p: Record<string, Float64Array>): Params {
  return Object.fromEntries(Object.entries(p).map(([k, v]) => [k, Float32Array.from(v)]));
}

/** Asserts |got - want| <= atol + rtol*|want| elementwise; the message shows the first elements and the worst one. */
export function assertClose(what: string, got: ArrayLike<number>, want: ArrayLike<number>, atol: number, rtol = 0): number {
  assert.equal(got.length, want.length, `${what}: ${got.length} values, expected ${want.length}`);
  let worst = -1, worstDiff = 0, bad = 0;
  for (let i = 0; i < got.length; i++) {
    const diff = Math.abs(got[i] - want[i]);
    if (!(diff <= atol + rtol * Math.abs(want[i]))) bad++;
    if (!(diff <= worstDiff) || worst < 0) { worstDiff = diff; worst = i; }
  }
  if (bad > 0) {
    const rows = Array.from({ length: Math.min(6, got.length) }, (_, i) => `  [${i}] ours ${got[i].toPrecision(9)}  ref ${want[i].toPrecision(9)}`);
    assert.fail(`${what}: ${bad}/${got.length} elements outside atol ${atol} rtol ${rtol}; largest diff ${worstDiff.toExponential(3)} ` +
      `at [${worst}] (ours ${got[worst]}, ref ${want[worst]})\n${rows.join('\n')}`);
  }
  return worstDiff;
}
