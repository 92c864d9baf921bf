import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSynthetic } from '../../src/data/synthetic.ts';
import { HOUR_MS } from '../../src/data/candles.ts';

const start = Date.parse('2021-01-01T00:00Z'), end = Date.parse('2021-12-31T23:00Z');
const coins = ['BTC', 'ETH', 'SOL', 'FOO'];

function logReturns(c: Float64Array): Float64Array {
  const r = new Float64Array(c.length - 1);
  for (let i = 1; i < c.length; i++) r[i - 1] = Math.log(c[i] / c[i - 1]);
  return r;
}
function corr(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i] / n; mb += b[i] / n; }
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) { sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) ** 2; sbb += (b[i] - mb) ** 2; }
  return sab / Math.sqrt(saa * sbb);
}

test('seeded: the same seed gives the same candles, another seed others', () => {
  const a = loadSynthetic({ coins, start, end, seed: 7 });
  const b = loadSynthetic({ coins, start, end, seed: 7 });
  const c = loadSynthetic({ coins, start, end, seed: 8 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a[0].close, c[0].close);
});

test('every hour of [start, end] once, in order, for every coin', () => {
  const cs = loadSynthetic({ coins, start, end, seed: 1 });
  assert.deepEqual(cs.map((c) => c.coin), coins);
  for (const c of cs) {
    assert.equal(c.openTime.length, 365 * 24);
    assert.equal(c.openTime[0], start);
    for (let i = 1; i < c.openTime.length; i++) assert.equal(c.openTime[i] - c.openTime[i - 1], HOUR_MS);
  }
});

test('plausible: positive prices, consistent OHLC, positive volume, correlated coins, volatility clustering', () => {
  const cs = loadSynthetic({ coins, start, end, seed: 3 });
  for (const c of cs) {
    for (let i = 0; i < c.openTime.length; i++) {
      assert.ok(c.low[i] > 0 && c.volume[i] > 0 && Number.isFinite(c.high[i]), `${c.coin} hour ${i}`);
      assert.ok(c.high[i] >= Math.max(c.open[i], c.close[i]) && c.low[i] <= Math.min(c.open[i], c.close[i]), `${c.coin} hour ${i}`);
    }
    const r = logReturns(c.close);
    const sd = Math.sqrt(r.reduce((s, x) => s + x * x, 0) / r.length);
    assert.ok(sd > 0.002 && sd < 0.05, `${c.coin} hourly std ${sd}`);
    const abs = r.map(Math.abs);
    const ac = corr(abs.subarray(0, -1), abs.subarray(1));
    assert.ok(ac > 0.05, `${c.coin} |r| autocorrelation ${ac} (volatility clustering)`);
  }
  const rBtc = logReturns(cs[0].close), rEth = logReturns(cs[1].close);
  const rho = corr(rBtc, rEth);
  assert.ok(rho > 0.3 && rho < 0.98, `BTC-ETH return correlation ${rho}`);
  const vol = cs[0].volume.map(Math.log);
  assert.ok(corr(rBtc.map(Math.abs), vol.subarray(1)) > 0, 'volume rises with |return|');
});
