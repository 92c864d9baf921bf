// fitBins / applyBins: quantile edges, token = #edges <= v, the tie rule (strict edges, equal values share a token,
// best balance by brute force on small tied samples), NaN -> INVALID_TOKEN.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitBins, applyBins, binRanges, nextUp, INVALID_TOKEN } from '../../src/tokenize/bins.ts';
import { Rng } from '../../src/util/rng.ts';

function counts(tokens: Uint8Array, V: number): number[] {
  const c = new Array<number>(V).fill(0);
  for (const t of tokens) if (t !== INVALID_TOKEN) c[t]!++;
  return c;
}
function assertStrict(edges: Float64Array): void {
  for (let i = 1; i < edges.length; i++) assert.ok(edges[i]! > edges[i - 1]!, `edges[${i}]=${edges[i]} !> ${edges[i - 1]}`);
}
function sse(c: number[], n: number): number {
  return c.reduce((a, x) => a + (x - n / c.length) ** 2, 0);
}

test('token(v) is the number of edges <= v; NaN is invalid; infinities go to the end bins', () => {
  const edges = new Float64Array([-1, 0, 2]);
  const t = applyBins(new Float64Array([-5, -1, -0.5, 0, 1.999, 2, 9, NaN, -Infinity, Infinity]), edges);
  assert.deepEqual([...t], [0, 1, 1, 2, 2, 3, 3, INVALID_TOKEN, 0, 3]);
  assert.deepEqual(binRanges(edges), [[-Infinity, -1], [-1, 0], [0, 2], [2, Infinity]]);
  const out = new Uint8Array(3).fill(7);
  assert.equal(applyBins(new Float64Array([1]), edges, out), out);
  assert.deepEqual([...out], [2, 7, 7]);
});

test('continuous data: V-1 strictly increasing edges, every bin within one of n/V, NaN ignored', () => {
  const rng = new Rng(1);
  for (const [n, V] of [[1000, 3], [997, 7], [5000, 256 - 1], [10, 10], [31, 4]] as const) {
    const v = new Float64Array(n + 5).map(() => rng.normal() * 0.01);
    v.fill(NaN, n);
    const edges = fitBins(v, V);
    assert.equal(edges.length, V - 1);
    assertStrict(edges);
    const c = counts(applyBins(v, edges), V);
    assert.equal(c.reduce((a, b) => a + b), n);
    for (const x of c) assert.ok(Math.abs(x - n / V) <= 1, `n=${n} V=${V}: counts ${c}`);
  }
});

test('tie rule: a heavy value gets its own bin, the rest is split evenly around it; equal values share a token', () => {
  // 20 negatives, 60 zeros, 20 positives (a flat, stablecoin-like stretch)
  const v = new Float64Array(100);
  for (let i = 0; i < 20; i++) { v[i] = -(i + 1) * 1e-3; v[80 + i] = (i + 1) * 1e-3; }
  const e3 = fitBins(v, 3);
  assertStrict(e3);
  assert.deepEqual(counts(applyBins(v, e3), 3), [20, 60, 20]);
  assert.ok(e3[0]! < 0 && e3[1]! > 0 && e3[0]! > -1e-3 && e3[1]! < 1e-3, `edges between distinct values: ${e3}`);
  const e5 = fitBins(v, 5);
  assertStrict(e5);
  assert.deepEqual(counts(applyBins(v, e5), 5), [10, 10, 60, 10, 10]);
});

test('tie rule: the DP split is as balanced as brute force over all cuts between distinct values', () => {
  const rng = new Rng(7);
  for (let trial = 0; trial < 200; trial++) {
    const n = 8 + rng.int(31);
    const V = 2 + rng.int(4);
    const levels = 2 + rng.int(9);
    const v = new Float64Array(n).map(() => rng.int(levels) * (rng.random() < 0.5 ? 1 : 0.5));
    const edges = fitBins(v, V);
    assert.equal(edges.length, V - 1);
    assertStrict(edges);
    const got = sse(counts(applyBins(v, edges), V), n);
    // brute force: any V-1 cut positions among 0, the distinct-value boundaries, and n (repeats allowed)
    const sorted = [...v].sort((a, b) => a - b);
    const cuts = [0];
    for (let k = 1; k < n; k++) if (sorted[k - 1]! < sorted[k]!) cuts.push(k);
    cuts.push(n);
    let best = Infinity;
    const rec = (start: number, left: number, prevPos: number, acc: number): void => {
      if (left === 0) { best = Math.min(best, acc + (n - prevPos - n / V) ** 2); return; }
      for (let i = start; i < cuts.length; i++) rec(i, left - 1, cuts[i]!, acc + (cuts[i]! - prevPos - n / V) ** 2);
    };
    rec(0, V - 1, 0, 0);
    assert.ok(Math.abs(got - best) < 1e-9, `trial ${trial}: n=${n} V=${V} levels=${levels}: sse ${got}, best ${best}`);
    // equal values share a token
    const t = applyBins(v, edges);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (v[i] === v[j]) assert.equal(t[i], t[j]);
  }
});

test('fewer distinct values than bins: still V-1 strictly increasing edges; a constant sits in a middle bin', () => {
  const zeros = new Float64Array(50);
  const e = fitBins(zeros, 3);
  assertStrict(e);
  assert.deepEqual([...e], [0, nextUp(0)]);
  assert.deepEqual([...applyBins(new Float64Array([-1e-9, 0, 1e-300]), e)], [0, 1, 2]);
  const e9 = fitBins(new Float64Array([1, 1, 2, 2, 2]), 9);
  assert.equal(e9.length, 8);
  assertStrict(e9);
  const t = applyBins(new Float64Array([1, 2]), e9);
  assert.ok(t[0]! < t[1]!);
});

test('adjacent floats: edges stay strictly between distinct values when the midpoint rounds', () => {
  const a = 1, b = nextUp(1);
  const v = new Float64Array([a, a, a, b, b, b]);
  const e = fitBins(v, 2);
  assert.deepEqual(counts(applyBins(v, e), 2), [3, 3]);
  assert.ok(e[0]! > a && e[0]! <= b);
});

test('errors: no finite values, bad V', () => {
  assert.throws(() => fitBins(new Float64Array([NaN, Infinity]), 3), /no finite values/);
  assert.throws(() => fitBins(new Float64Array([1, 2]), 1), /V must be/);
  assert.throws(() => fitBins(new Float64Array([1, 2]), 256), /V must be/);
});

test('large V with heavy ties stays fast enough and balanced', () => {
  const rng = new Rng(3);
  const n = 30000;
  const v = new Float64Array(n).map(() => (rng.random() < 0.3 ? 0 : Math.round(rng.normal() * 1000) / 1e5));
  const t0 = performance.now();
  const edges = fitBins(v, 64);
  const ms = performance.now() - t0;
  assertStrict(edges);
  const c = counts(applyBins(v, edges), 64);
  const zeroTok = applyBins(new Float64Array([0]), edges)[0]!;
  assert.ok(c[zeroTok]! >= 0.3 * n * 0.9, 'the heavy zero bin holds the zeros');
  assert.ok(ms < 20000);
});
