// runPretraining on a tiny synthetic pipeline: the stats file against independent computations and the known market,
// streaming in chunks, determinism, the saved weights (docs/model.md names, F32, loadable by step 6), synthetic validation.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tinyPipeline } from '../steps/tiny-pipeline.ts';
import type { StepContext } from '../../../src/pipeline/context.ts';
import { artifactPath, stepDir } from '../../../src/pipeline/artifact.ts';
import { runPretraining, PRETRAINED_FILE, STATS_FILE, SAMPLES_PLOT, HISTORY_FILE, type PretrainResult } from '../../../src/pipeline/pretraining/run.ts';
import { readPretrained } from '../../../src/pipeline/steps/train.ts';
import { readSafetensors } from '../../../src/checkpoint/safetensors.ts';
import { readParquet } from '../../../src/data/parquet.ts';
import { defaultMarketParams } from '../../../src/market/defaults.ts';
import { moments, frobeniusDiff } from '../../../src/market/stats.ts';
import { paramSpecs } from '../../../src/model/params.ts';
import { logReturns } from '../../../src/tokenize/returns.ts';

let ctx: StepContext;
let fitted: PretrainResult;
const out = () => mkdtempSync(join(tmpdir(), 'tokcast-pre-'));

before(async () => {
  // ~85 days of the built-in market (known params) so the fit has something to recover
  ctx = await tinyPipeline({ data: { end: '2022-03-25' }, pretrain: { num_samples: 1500, epochs: 2 } });
  fitted = await runPretraining({ config: ctx.config, tokenizeArtifact: artifactPath(ctx.artifactsDir, 'tokenize'), outputDir: out(), statsHours: 60_000 });
});

test('files exist; stats have moments, ACFs at lags 1-24, correlations, token distributions and transitions', () => {
  const f = fitted.files;
  for (const p of [f.model, f.history, f.stats, f.market, f.plot!]) assert.ok(existsSync(p), p);
  assert.ok(f.plot!.endsWith(SAMPLES_PLOT) && f.model.endsWith(PRETRAINED_FILE) && f.stats.endsWith(STATS_FILE) && f.history.endsWith(HISTORY_FILE));
  const s = JSON.parse(readFileSync(f.stats, 'utf8'));
  assert.deepEqual(s.coins, ['BTC', 'ETH', 'XRP']);
  assert.equal(s.synthetic.hours, 60_000);
  for (const pc of s.comparison.perCoin) {
    for (const side of [pc.real, pc.synthetic]) {
      assert.ok(side.moments.std > 0 && Number.isFinite(side.moments.skew) && side.moments.kurtosis > -1);
      assert.equal(side.acf.length, 24);
      assert.equal(side.absAcf.length, 24);
      assert.ok(side.absAcf[0] > 0, 'volatility clustering at lag 1');
      assert.ok(side.volumeReturnCorrelation > 0, 'volume rises with |return|');
    }
    for (const tk of [pc.priceTokens, pc.volumeTokens]) {
      assert.equal(tk.real.length, 3);
      assert.ok(Math.abs(tk.real.reduce((a: number, b: number) => a + b, 0) - 1) < 1e-9);
      assert.ok(Math.abs(tk.synthetic.reduce((a: number, b: number) => a + b, 0) - 1) < 1e-9);
      for (let r = 0; r < 3; r++) assert.ok(Math.abs(tk.syntheticTransition.slice(3 * r, 3 * r + 3).reduce((a: number, b: number) => a + b, 0) - 1) < 1e-9);
      assert.ok(tk.tv >= 0 && tk.tv <= 1 && tk.transitionTv >= 0 && tk.transitionTv <= 1);
    }
  }
  assert.equal(s.comparison.correlation.real.length, 3);
  assert.ok(Math.abs(s.summary.corr_frobenius - frobeniusDiff(s.comparison.correlation.real, s.comparison.correlation.synthetic)) < 1e-12);
});

test('the real side is the training split of clean.parquet (step 4 definitions); the synthetic side matches it', async () => {
  const cols = await readParquet(join(stepDir(ctx.artifactsDir, 'clean'), 'clean.parquet'), { columns: ['BTC_close', 'segment'] });
  const split = (await readParquet(join(stepDir(ctx.artifactsDir, 'split'), 'split.parquet'), { columns: ['split'] })).split as Uint8Array;
  const r = logReturns(cols.BTC_close as Float64Array, cols.segment as Int32Array).filter((_, t) => split[t] === 0);
  const s = JSON.parse(readFileSync(fitted.files.stats, 'utf8'));
  const btc = s.comparison.perCoin[0];
  assert.ok(Math.abs(btc.real.moments.std - moments(r).std) < 1e-12);
  assert.equal(btc.real.moments.n, moments(r).n);
  // the fitted market reproduces what the data was simulated from: volatility, tertile tokens, rank correlations
  for (const pc of s.comparison.perCoin) {
    assert.ok(Math.abs(pc.synthetic.moments.std / pc.real.moments.std - 1) < 0.25, `${pc.coin} std ${pc.synthetic.moments.std} vs ${pc.real.moments.std}`);
    assert.ok(pc.priceTokens.tv < 0.08, `${pc.coin} token TV ${pc.priceTokens.tv}`);
  }
  assert.ok(s.summary.rank_corr_frobenius < 0.15, `rank corr error ${s.summary.rank_corr_frobenius}`);
  // the fitted copula is near the known one it was simulated from
  const truth = defaultMarketParams(['BTC', 'ETH', 'XRP']).copulaCorr;
  assert.ok(frobeniusDiff(fitted.market.copulaCorr, truth) < 0.2, `copula ${JSON.stringify(fitted.market.copulaCorr)}`);
});

test('weights: docs/model.md names and shapes, F32, the best round, loadable by step 6 (readPretrained)', () => {
  const f = readSafetensors(fitted.files.model);
  const specs = paramSpecs(fitted.model);
  assert.deepEqual(Object.keys(f.tensors).sort(), specs.map((p) => p.name).sort());
  for (const p of specs) {
    assert.equal(f.tensors[p.name]!.dtype, 'F32');
    assert.deepEqual(f.tensors[p.name]!.shape, p.shape);
    assert.deepEqual(f.tensors[p.name]!.data, fitted.params[p.name]);
  }
  assert.deepEqual(JSON.parse(f.metadata.model_config!), fitted.model);
  const loaded = readPretrained(fitted.files.model, fitted.model);
  assert.equal(Object.keys(loaded).length, specs.length);
  assert.equal(fitted.valSource, 'real');
  assert.equal(fitted.history.length, 2);
  assert.equal(fitted.best.val_loss, Math.min(...fitted.history.map((h) => h.val_loss)));
});

test('streaming: chunks of the corpus are separate rounds, the same seed repeats exactly, fresh draws differ', async () => {
  const market = fitted.market;
  const base = { config: ctx.config, tokenizeArtifact: artifactPath(ctx.artifactsDir, 'tokenize'), marketParams: market, statsHours: 2000, plot: false, numSamples: 600, epochs: 2, chunkSamples: 250 };
  const a = await runPretraining({ ...base, outputDir: out() });
  assert.equal(a.chunksPerEpoch, 3);
  assert.deepEqual(a.history.map((h) => [h.pass, h.chunk, h.round, h.samples_seen]), [[1, 1, 1, 250], [1, 2, 2, 500], [1, 3, 3, 600], [2, 1, 4, 850], [2, 2, 5, 1100], [2, 3, 6, 1200]]);
  const b = await runPretraining({ ...base, outputDir: out() });
  assert.deepEqual(b.history.map((h) => h.train_loss), a.history.map((h) => h.train_loss));
  const c = await runPretraining({ ...base, outputDir: out(), fresh: true });
  assert.deepEqual(c.history[2]!.train_loss, a.history[2]!.train_loss, 'the first pass is the same corpus');
  assert.notDeepEqual(c.history[3]!.train_loss, a.history[3]!.train_loss, 'the second pass draws new windows');
});

test('without step 5 the validation set is held-out synthetic windows', async () => {
  const r = await runPretraining({
    config: ctx.config, tokenizeArtifact: artifactPath(ctx.artifactsDir, 'tokenize'), outputDir: out(), sequencesArtifact: null,
    marketParams: fitted.market, statsHours: 5000, plot: false, numSamples: 500, epochs: 1,
  });
  assert.equal(r.valSource, 'synthetic');
  assert.equal(r.valWindows, 500);
  assert.ok(Number.isFinite(r.best.val_loss));
});
