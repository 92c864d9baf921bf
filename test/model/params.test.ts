// Tests the parameter table against the parity fixtures' names, shapes and decay set, and the init rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFixtureJson } from '../fixtures/data.ts';
import { checkParams, countParams, initParams, paramSpecs } from '../../src/model/params.ts';
import type { ModelConfig } from '../../src/model/config.ts';

for (const file of ['case_a_concat_all', 'case_c_mean_all']) {
  test(`names, order, shapes and decay match ${file}`, () => {
    const fx = readFixtureJson('parity', `${file}.json`);
    const specs = paramSpecs(fx.config as ModelConfig);
    assert.deepEqual(specs.map((s) => s.name), fx.param_names);
    for (const s of specs) assert.deepEqual(s.shape, fx.param_shapes[s.name], s.name);
    assert.deepEqual(specs.filter((s) => s.decay).map((s) => s.name), fx.decayed_params);
  });
}

const cfg: ModelConfig = {
  V: 3, O: 3, C: 10, K: 2, T: 24, e: 32, d: 128, H: 4, N: 4, F: 512,
  dropout: 0.1, coin_mixing: 'concat', loss_positions: 'all', label_smoothing: 0.1, target_coin: 3,
};

test('init: weights normal(0, 0.02), biases 0, gains 1, reproducible from the seed', () => {
  const p = initParams(cfg, 7);
  const q = initParams(cfg, 7);
  const r = initParams(cfg, 8);
  assert.deepEqual(p['blocks.2.mlp.w1'], q['blocks.2.mlp.w1']);
  assert.notDeepEqual(p['blocks.2.mlp.w1'], r['blocks.2.mlp.w1']);
  const w = p['blocks.2.mlp.w1'];
  let s = 0, s2 = 0;
  for (const v of w) { s += v; s2 += v * v; }
  const mean = s / w.length, std = Math.sqrt(s2 / w.length - mean * mean);
  assert.ok(Math.abs(mean) < 0.002, `mean ${mean}`);
  assert.ok(Math.abs(std - 0.02) < 0.001, `std ${std}`);
  assert.ok(p['blocks.0.ln1.g'].every((v) => v === 1));
  assert.ok(p['blocks.0.attn.bq'].every((v) => v === 0));
  assert.ok(p['lnf.b'].every((v) => v === 0));
  assert.equal(Object.values(p).reduce((n, a) => n + a.length, 0), countParams(cfg));
  assert.deepEqual(checkParams(cfg, p), []);
});

test('checkParams names missing, wrong-sized and unexpected parameters', () => {
  const p: Record<string, Float32Array> = { ...initParams(cfg, 1) };
  delete p['head.b'];
  p['fuse.w'] = new Float32Array(3);
  p['extra'] = new Float32Array(1);
  const problems = checkParams(cfg, p).join('\n');
  assert.match(problems, /missing parameter head\.b/);
  assert.match(problems, /fuse\.w has 3 values/);
  assert.match(problems, /unexpected parameter extra/);
});
