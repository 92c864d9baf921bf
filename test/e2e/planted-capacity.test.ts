// End to end through steps 1-7 (csv source) on synthetic CSV markets with a planted cross-coin rule two hours back:
// a nonlinear (XOR-like) rule that no model linear in the one-hot tokens can express, where the transformer must beat
// the logistic baseline by a wide margin, and a linear rule of the same shape, where both must come close to the
// Bayes accuracy. Proof that the model uses its capacity beyond additive per-token effects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EvaluationReport } from '../../src/evaluate/report.ts';
import { runTinyCsvPipeline } from './tiny-csv-run.ts';
import { Rng } from '../../src/util/rng.ts';

const COINS = ['BTC', 'ETH', 'XRP'];
const HOURS = 4000;
const START = Date.parse('2022-01-01T00:00:00Z');
const SIGMA = 0.01;          // hourly log-return volatility of the driver random walks
const EDGE = 0.430727 * SIGMA; // terciles of N(0, SIGMA^2): the quantile bins step 4 finds for BTC and ETH (up to sampling)
const NOISE = 0.1;           // share of hours whose XRP token is drawn uniformly instead of by the rule
/** Bayes hour-1 accuracy given the tokens: the rule's token, except NOISE of the hours, which hit it 1/3 of the time. */
const BAYES = 1 - NOISE + NOISE / 3;

type Rule = 'xor' | 'linear';

/**
 * One CSV per coin in `dir`. BTC and ETH are independent Gaussian random walks; a = BTC's token and b = ETH's token
 * (terciles down/steady/up = 0/1/2) at hour t-2 set XRP's token y at hour t:
 * - xor: y = (a + b) mod 3, the three-level XOR: either input alone says nothing about y (each y has probability 1/3
 *   given a, and given b), so a softmax linear in the one-hot tokens has nothing to fit and stays at chance;
 * - linear: y = a, which one-hot logistic regression expresses exactly.
 * With probability NOISE y is uniform instead. XRP's return is uniform inside y's third of [-1.5, 1.5] SIGMA, so its
 * quantile bins are those thirds and its token is y (up to sampling noise of the edges).
 */
function writeMarket(dir: string, seed: number, rule: Rule): void {
  const rng = new Rng(seed);
  const ret: Record<string, Float64Array> = {};
  for (const c of ['BTC', 'ETH']) ret[c] = Float64Array.from({ length: HOURS }, () => rng.normal() * SIGMA);
  const tok = (r: number) => (r < -EDGE ? 0 : r > EDGE ? 2 : 1);
  ret.XRP = Float64Array.from({ length: HOURS }, (_, t) => {
    const a = t < 2 ? rng.int(3) : tok(ret.BTC![t - 2]!), b = t < 2 ? rng.int(3) : tok(ret.ETH![t - 2]!);
    const rule_y = rule === 'xor' ? (a + b) % 3 : a;
    const y = rng.random() < NOISE ? rng.int(3) : rule_y;
    return (y - 1.5 + rng.random()) * SIGMA;
  });
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

const runPipeline = async (dataDir: string, artifactsDir: string, seed = 7): Promise<EvaluationReport> =>
  (await runTinyCsvPipeline(dataDir, artifactsDir, { seed, epochs: 25, horizon: 2 })).report;

const root = mkdtempSync(join(tmpdir(), 'tokcast-capacity-'));
test.after(() => rmSync(root, { recursive: true, force: true }));

const hour1 = (r: EvaluationReport, m: string) => r.methods[m]!.accuracy_by_hour[0]!;

// Measured (hour-1 accuracy on the test split, market seed = training seed, seeds 21-25; Bayes 0.933):
//   xor:    model 0.919 0.878 0.885 0.892 0.907, logistic 0.359 0.321 0.301 0.345 0.351
//   linear: model 0.904 0.873 0.923 0.895 0.930, logistic 0.904 0.875 0.923 0.895 0.930
// Below Bayes by up to 0.06 because the quantile edges step 4 fits on the training hours differ a little from the
// terciles the rule used, so a few percent of tokens near an edge disagree with the rule's; the noise share realised on
// the ~590 test windows adds about +-0.01.

test('planted XOR across coins: the model learns it, the logistic regression on one-hot tokens stays at chance', async () => {
  const data = join(root, 'xor-data');
  writeMarket(data, 21, 'xor');
  const r = await runPipeline(data, join(root, 'xor-run'), 21);
  const model = hour1(r, 'model'), logistic = hour1(r, 'logistic');
  assert.ok(model.estimate > 0.8, `model hour-1 accuracy ${JSON.stringify(model)} (Bayes ${BAYES})`);
  assert.ok(logistic.estimate < 0.45, `logistic hour-1 accuracy ${JSON.stringify(logistic)}`);
  assert.ok(model.estimate - logistic.estimate > 0.35, `model ${model.estimate} vs logistic ${logistic.estimate}`);
  assert.ok(model.low > logistic.high, `intervals overlap: model ${JSON.stringify(model)}, logistic ${JSON.stringify(logistic)}`);
  // and the report calls it: significantly better than the baseline chosen on validation at hour 1
  const c1 = r.comparison[0]!;
  assert.equal(c1.hour, 1);
  assert.equal(c1.model_better, true, JSON.stringify(c1));
});

test('planted linear rule across coins: model and logistic regression both come close to the Bayes accuracy', async () => {
  const data = join(root, 'linear-data');
  writeMarket(data, 21, 'linear');
  const r = await runPipeline(data, join(root, 'linear-run'), 21);
  const model = hour1(r, 'model'), logistic = hour1(r, 'logistic');
  for (const [name, m] of [['model', model], ['logistic', logistic]] as const) {
    assert.ok(m.estimate > BAYES - 0.085, `${name} hour-1 accuracy ${JSON.stringify(m)} (Bayes ${BAYES})`);
    assert.ok(m.estimate < BAYES + 0.04, `${name} hour-1 accuracy ${m.estimate} above Bayes ${BAYES}: leakage?`);
  }
  assert.ok(Math.abs(model.estimate - logistic.estimate) < 0.03, `model ${model.estimate} vs logistic ${logistic.estimate}`);
});
