// Step 4 through its files: tokens.parquet = applyBins(edges.json) of the cleaned closes/volumes; edges from train only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runClean } from '../../../src/pipeline/steps/clean.ts';
import { runSplit } from '../../../src/pipeline/steps/split.ts';
import { runTokenize, TOKENS_FILE, EDGES_FILE, TOKEN_PLOT } from '../../../src/pipeline/steps/tokenize.ts';
import { stepDir } from '../../../src/pipeline/artifact.ts';
import { readParquet } from '../../../src/data/parquet.ts';
import { readEdgesFile, edgesOf } from '../../../src/tokenize/edges-file.ts';
import { applyBins, INVALID_TOKEN } from '../../../src/tokenize/bins.ts';
import { logReturns } from '../../../src/tokenize/returns.ts';
import { fixtureMarket, fixtureContext, writeDownload, COINS } from './clean-fixture.ts';
import type { StepContext } from '../../../src/pipeline/context.ts';
import type { MarketTable } from '../../../src/data/candles.ts';

async function through(ctx: StepContext, m: MarketTable, plot = false) {
  await writeDownload(ctx, m);
  await runClean(ctx);
  await runSplit(ctx);
  return runTokenize(ctx, { plot });
}

test('tokens.parquet holds applyBins(edges) of the log returns; edges.json has V-1 edges and ranges; PNG written', async () => {
  const ctx = fixtureContext({ tokenize: { num_bins: 4 } });
  const a = await through(ctx, fixtureMarket(), true);
  const dir = stepDir(ctx.artifactsDir, 'tokenize');
  assert.ok(existsSync(join(dir, TOKEN_PLOT)));
  const edges = readEdgesFile(join(dir, EDGES_FILE));
  assert.equal(edges.num_bins, 4);
  const tok = await readParquet(join(dir, TOKENS_FILE));
  const clean = await readParquet(join(stepDir(ctx.artifactsDir, 'clean'), 'clean.parquet'));
  for (const coin of COINS) {
    const e = edgesOf(edges, coin, 'price');
    assert.equal(e.length, 3);
    assert.equal(edges.per_coin[coin]!.price.ranges.length, 4);
    assert.equal(edges.per_coin[coin]!.price.ranges[0]![0], null);
    const want = applyBins(logReturns(clean[`${coin}_close`] as Float64Array, clean.segment as Int32Array), e);
    assert.deepEqual([...(tok[`${coin}_price`] as Uint8Array)], [...want]);
    assert.ok(edges.per_coin[coin]!.volume.floor > 0);
  }
  // two segments -> two invalid rows per channel; train spread within rounding
  assert.equal((tok.AAA_price as Uint8Array).filter((x) => x === INVALID_TOKEN).length, 2);
  assert.ok(a.stats.train_max_spread <= 1, `spread ${a.stats.train_max_spread}`);
  const d = a.stats.distribution.find((x) => x.coin === 'BBB' && x.channel === 'volume' && x.split === 'train')!;
  assert.equal(d.counts.length, 4);
});

test('changing validation-period data does not change edges.json; changing a training hour does', async () => {
  const m = fixtureMarket();
  const base = fixtureContext();
  await through(base, m);
  const e0 = readEdgesFile(join(stepDir(base.artifactsDir, 'tokenize'), EDGES_FILE));
  const m2 = fixtureMarket();
  for (const f of ['open', 'high', 'low', 'close'] as const) for (let c = 0; c < 3; c++) for (let i = 500; i < 600; i++) m2[f][c]![i] = m[f][c]![i]! * (1 + (i % 5) / 10);
  for (let c = 0; c < 3; c++) for (let i = 500; i < 600; i++) m2.volume[c]![i] = m.volume[c]![i]! * 7 + 1;
  const other = fixtureContext();
  await through(other, m2);
  const e1 = readEdgesFile(join(stepDir(other.artifactsDir, 'tokenize'), EDGES_FILE));
  assert.deepEqual(e1.per_coin, e0.per_coin);
  const m3 = fixtureMarket();
  const alt = fixtureMarket(600, 77);
  for (const f of ['open', 'high', 'low', 'close', 'volume'] as const) m3[f][1]!.set(alt[f][1]!.subarray(0, 250));
  const third = fixtureContext();
  await through(third, m3);
  const e2 = readEdgesFile(join(stepDir(third.artifactsDir, 'tokenize'), EDGES_FILE));
  assert.notDeepEqual(e2.per_coin.BBB!.price.edges, e0.per_coin.BBB!.price.edges);
});

test('edges.json read back through tokenizerOf gives the same tokens as tokens.parquet', async () => {
  const { tokenizerOf } = await import('../../../src/tokenize/edges-file.ts');
  const { applyTokenizer } = await import('../../../src/tokenize/tokenizer.ts');
  const ctx = fixtureContext();
  await through(ctx, fixtureMarket());
  const dir = stepDir(ctx.artifactsDir, 'tokenize');
  const clean = await readParquet(join(stepDir(ctx.artifactsDir, 'clean'), 'clean.parquet'));
  const tok = await readParquet(join(dir, TOKENS_FILE));
  const got = applyTokenizer(tokenizerOf(readEdgesFile(join(dir, EDGES_FILE))), COINS,
    COINS.map((c) => clean[`${c}_close`] as Float64Array), COINS.map((c) => clean[`${c}_volume`] as Float64Array), clean.segment as Int32Array);
  COINS.forEach((c, i) => {
    assert.deepEqual([...got.price[i]!], [...(tok[`${c}_price`] as Uint8Array)]);
    assert.deepEqual([...got.volume[i]!], [...(tok[`${c}_volume`] as Uint8Array)]);
  });
});
