import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/util/rng.ts';

test('same seed gives the same stream, different seeds differ', () => {
  const a = new Rng(42), b = new Rng(42), c = new Rng(43);
  const xa = Array.from({ length: 5 }, () => a.random());
  const xb = Array.from({ length: 5 }, () => b.random());
  const xc = Array.from({ length: 5 }, () => c.random());
  assert.deepEqual(xa, xb);
  assert.notDeepEqual(xa, xc);
});

test('uniform, normal and student-t have the right moments', () => {
  const r = new Rng(1);
  const n = 200_000;
  let su = 0, sn = 0, sn2 = 0, st2 = 0;
  for (let i = 0; i < n; i++) {
    su += r.random();
    const z = r.normal();
    sn += z; sn2 += z * z;
    const t = r.studentT(5);
    st2 += t * t;
  }
  assert.ok(Math.abs(su / n - 0.5) < 0.005);
  assert.ok(Math.abs(sn / n) < 0.01);
  assert.ok(Math.abs(sn2 / n - 1) < 0.02);
  assert.ok(Math.abs(st2 / n - 5 / 3) < 0.1, `t(5) variance ${st2 / n}`);
});

test('int stays in range and shuffle is a permutation', () => {
  const r = new Rng(7);
  for (let i = 0; i < 1000; i++) { const k = r.int(3); assert.ok(k >= 0 && k < 3); }
  const a = [0, 1, 2, 3, 4, 5, 6, 7];
  r.shuffle(a);
  assert.deepEqual([...a].sort(), [0, 1, 2, 3, 4, 5, 6, 7]);
});

test('fromKey: the same key repeats, any differing part (or a different split of the same text) gives an unrelated stream', () => {
  const draw = (r: Rng) => Array.from({ length: 4 }, () => r.nextU32());
  assert.deepEqual(draw(Rng.fromKey(42, 'study', 3)), draw(Rng.fromKey(42, 'study', 3)));
  const keys: (string | number)[][] = [[42, 'study', 3], [43, 'study', 3], [42, 'study', 4], [42, 'studx', 3], ['42', 'study', 3], [42, 'stud', 'y3'], [42, 'study3']];
  const firsts = keys.map((k) => draw(Rng.fromKey(...k)).join(','));
  assert.equal(new Set(firsts).size, keys.length);
});
