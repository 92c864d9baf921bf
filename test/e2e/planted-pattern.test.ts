// End to end through steps 1-7 (csv source) on synthetic CSV markets: a planted lead-lag pattern the model must
// find (far above every naive baseline; the logistic regression on one-hot tokens, for which such a rule is linear,
// finds it too), pure noise where it must not claim significance, and seed reproducibility.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTinyCsvPipeline } from './tiny-csv-run.ts';
import { Rng } from '../../src/util/rng.ts';

const COINS = ['BTC', 'ETH', 'XRP'];
const HOURS = 1500;
const START = Date.parse('2022-01-01T00:00:00Z');
const SIGMA = 0.01;   // hourly log-return volatility of the random walks

/**
 * One CSV per coin in `dir`. planted: XRP's log return at hour t is ETH's at t-1 plus noise of 2% of SIGMA, so
 * XRP's next price token is (up to bin-edge noise) ETH's last one; BTC and ETH are independent random walks.
 * Without the plant all three are independent.
 */
function writeMarket(dir: string, seed: number, planted: boolean): void {
  const rng = new Rng(seed);
  const ret: Record<string, Float64Array> = {};
  for (const c of ['BTC', 'ETH']) ret[c] = Float64Array.from({ length: HOURS }, () => rng.normal() * SIGMA);
  ret.XRP = Float64Array.from({ length: HOURS }, (_, t) =>
    planted ? (t === 0 ? 0 : ret.ETH![t - 1]!) + rng.normal() * SIGMA * 0.02 : rng.normal() * SIGMA);
  mkdirSync(dir, { recursive: true });
  for (const c of COINS) {
    let close = 100;
    const lines = ['open_time,open,high,low,close,volume'];
    for (let t = 0; t < HOURS; t++) {
      const open = close;
      close = open * Math.exp(ret[c]![t]!);
      const high = Math.max(open, close) * (1 + Math.abs(rng.normal()) * 0.001);
      const low = Math.min(open, close) * (1 - Math.abs(rng.normal()) * 0.001);
      const volume = 1000 * Math.exp(rng.normal() * 0.3);
      lines.push(`${new Date(START + t * 3_600_000).toISOString().slice(0, 19)}Z,${open},${high},${low},${close},${volume}`);
    }
    writeFileSync(join(dir, `${c}USDT-1h.csv`), lines.join('\n') + '\n');
  }
}

const runPipeline = (dataDir: string, artifactsDir: string, seed = 7) => runTinyCsvPipeline(dataDir, artifactsDir, { seed, epochs: 6, horizon: 8 });

/** Epoch records without the wall-clock fields (seconds, samples/s), which legitimately differ between runs. */
const withoutTimes = (h: Record<string, unknown>[]) => h.map(({ seconds: _s, samples_per_s: _r, ...rest }) => rest);

const root = mkdtempSync(join(tmpdir(), 'tokcast-planted-'));
test.after(() => rmSync(root, { recursive: true, force: true }));

test('planted lead-lag: the model beats every naive baseline at hour 1, significantly, and matches the logistic regression; same seed, same numbers', async () => {
  const data = join(root, 'planted-data');
  writeMarket(data, 11, true);
  const a = await runPipeline(data, join(root, 'planted-a'));
  const c1 = a.report.comparison[0]!;
  assert.equal(c1.hour, 1);
  // XRP's next token is ETH's last token (V=3 quantile bins; only returns near a bin edge can flip): far above chance
  const acc1 = a.report.methods.model!.accuracy_by_hour[0]!.estimate;
  assert.ok(acc1 > 0.8, `hour-1 accuracy ${acc1}`);
  // "next XRP token = ETH's last token" is linear in the one-hot tokens: the logistic regression finds it as well, is
  // the best baseline on validation, and the model is not worse than it
  assert.equal(c1.best_baseline, 'logistic', JSON.stringify(c1));
  assert.ok(c1.baseline_accuracy > 0.8, `logistic hour-1 accuracy ${c1.baseline_accuracy}`);
  assert.equal(c1.model_worse, false, JSON.stringify(c1));
  // every other baseline (prior_random included): the model's interval is above theirs, by a wide margin
  for (const [name, m] of Object.entries(a.report.methods)) {
    if (name === 'model' || name === 'logistic') continue;
    assert.ok(m.accuracy_by_hour[0]!.high < a.report.methods.model!.accuracy_by_hour[0]!.low, `${name} at hour 1: ${JSON.stringify(m.accuracy_by_hour[0])}`);
    assert.ok(acc1 - m.accuracy_by_hour[0]!.estimate > 0.2, `${name} at hour 1: ${m.accuracy_by_hour[0]!.estimate} vs ${acc1}`);
  }
  // the pattern carries one hour only; from hour 2 on ETH's future is unknown, so no big gain should appear there
  assert.ok(a.report.methods.model!.accuracy_by_hour[2]!.estimate < 0.6, `hour-3 accuracy ${a.report.methods.model!.accuracy_by_hour[2]!.estimate}`);

  // reproducibility: the same config and seed in a fresh artifacts dir give identical numbers
  const b = await runPipeline(data, join(root, 'planted-b'));
  assert.deepEqual(withoutTimes(b.history), withoutTimes(a.history));
  assert.ok(a.history.length > 0);
  assert.deepEqual(b.report.methods.model!.accuracy_by_hour, a.report.methods.model!.accuracy_by_hour);
  assert.deepEqual(b.report.comparison, a.report.comparison);
});

test('pure noise: the model claims significance at no hour', async () => {
  const data = join(root, 'noise-data');
  writeMarket(data, 12, false);
  const { report } = await runPipeline(data, join(root, 'noise-run'));
  // Every hour is compared with the baseline that was best on validation, and "better"
  // needs the whole 95% interval of the difference above zero (a one-sided error of at most ~2.5% per hour under the
  // null; the baseline is fixed before the test split is read). With 8 hours the chance of
  // any false claim is below 8 x 2.5% = 20% for an arbitrary seed, and the fixed seeds make it deterministic; a
  // claim here would more likely mean leakage (e.g. future tokens in the input) than luck, which is what this guards.
  // (Checked once by hand on 12 other market/training seeds, 100-111: no hour claimed, hour-1 accuracy 0.27-0.39;
  // the planted market on seeds 100-105 gave hour 1, and only hour 1, with accuracy 0.98-1.00.)
  assert.deepEqual(report.comparison.filter((c) => c.model_better).map((c) => c.hour), []);
  // and nothing to learn: hour-1 accuracy stays near chance (3 roughly equal bins)
  const acc1 = report.methods.model!.accuracy_by_hour[0]!.estimate;
  assert.ok(acc1 < 0.45, `hour-1 accuracy ${acc1}`);
});
