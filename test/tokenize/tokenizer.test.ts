// fitAndTokenize: edges and floors come from the training split only; train tokens are balanced; invalid stays 255.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitAndTokenize, tokenCounts, type TokenizerInput } from '../../src/tokenize/tokenizer.ts';
import { INVALID_TOKEN } from '../../src/tokenize/bins.ts';
import { SPLIT_CODE, EMBARGO } from '../../src/data/split.ts';
import { Rng } from '../../src/util/rng.ts';

function input(n: number, seed: number): TokenizerInput {
  const rng = new Rng(seed);
  const mk = (scale: number) => {
    const c = new Float64Array(n);
    let p = 100;
    for (let i = 0; i < n; i++) { p *= Math.exp(rng.normal() * scale); c[i] = p; }
    return c;
  };
  const split = new Uint8Array(n).map((_, i) => (i < n * 0.6 ? SPLIT_CODE.train : i < n * 0.62 ? EMBARGO : i < n * 0.8 ? SPLIT_CODE.val : SPLIT_CODE.test));
  const segment = new Int32Array(n).map((_, i) => (i < n / 3 ? 0 : 1));
  return {
    coins: ['AAA', 'BBB'], close: [mk(0.01), mk(0.03)],
    volume: [mk(0.3), mk(0.5).map((v, i) => (i % 7 === 0 ? 0 : v))], segment, split,
  };
}

test('edges and volume floors depend on the training rows only (changing val/test/embargo data changes nothing)', () => {
  const n = 3000;
  const a = input(n, 1);
  const b = input(n, 1);
  const other = input(n, 99);
  for (let c = 0; c < 2; c++) {
    for (let i = 0; i < n; i++) {
      if (a.split[i] !== SPLIT_CODE.train) { b.close[c]![i] = other.close[c]![i]! * 3; b.volume[c]![i] = other.volume[c]![i]! * 10; }
    }
  }
  // the first non-train row's change uses the last train row, so changing it must not matter either
  const fa = fitAndTokenize(a, 5), fb = fitAndTokenize(b, 5);
  for (const coin of ['AAA', 'BBB']) {
    assert.deepEqual([...fb.fitted[coin]!.priceEdges], [...fa.fitted[coin]!.priceEdges]);
    assert.deepEqual([...fb.fitted[coin]!.volumeEdges], [...fa.fitted[coin]!.volumeEdges]);
    assert.equal(fb.fitted[coin]!.volumeFloor, fa.fitted[coin]!.volumeFloor);
  }
  // ... while changing one training row does change them
  const c2 = input(n, 1);
  c2.close[0]![10] = c2.close[0]![10]! * 1.5;
  assert.notDeepEqual([...fitAndTokenize(c2, 5).fitted.AAA!.priceEdges], [...fa.fitted.AAA!.priceEdges]);
});

test('training tokens are balanced within rounding per coin and channel; segment starts are invalid', () => {
  const inp = input(3000, 2);
  for (const V of [3, 4, 10]) {
    const t = fitAndTokenize(inp, V);
    for (let c = 0; c < 2; c++) {
      for (const tokens of [t.price[c]!, t.volume[c]!]) {
        const { counts, invalid } = tokenCounts(tokens, inp.split, SPLIT_CODE.train, V);
        const n = counts.reduce((x, y) => x + y, 0);
        for (const k of counts) assert.ok(Math.abs(k - n / V) <= 1, `V=${V} counts ${counts}`);
        assert.equal(invalid, 2, 'rows 0 and the first row of segment 1 have no previous hour');
        assert.equal(tokens[0], INVALID_TOKEN);
        assert.equal(tokens[1000], INVALID_TOKEN);
      }
    }
  }
});

test('tokens = applyBins of the channel values under the fitted edges', () => {
  const inp = input(500, 3);
  const t = fitAndTokenize(inp, 3);
  const e = t.fitted.BBB!.priceEdges;
  for (let i = 0; i < 500; i++) {
    const r = t.priceChange[1]![i]!;
    const want = Number.isNaN(r) ? INVALID_TOKEN : (r >= e[0]! ? 1 : 0) + (r >= e[1]! ? 1 : 0);
    assert.equal(t.price[1]![i], want);
  }
});

test('V above 255 is refused with the config key named', () => {
  assert.throws(() => fitAndTokenize(input(100, 4), 256), /tokenize\.num_bins/);
});

test('applyTokenizer with the fitted edges reproduces the fitted tokens (what inference relies on)', async () => {
  const { applyTokenizer } = await import('../../src/tokenize/tokenizer.ts');
  const inp = input(800, 5);
  const t = fitAndTokenize(inp, 4);
  const again = applyTokenizer(t.fitted, inp.coins, inp.close, inp.volume, inp.segment);
  assert.deepEqual(again.price, t.price);
  assert.deepEqual(again.volume, t.volume);
  assert.throws(() => applyTokenizer(t.fitted, ['ZZZ'], inp.close, inp.volume, inp.segment), /no fitted edges for coin ZZZ/);
});
