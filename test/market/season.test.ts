import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hourOfDay, fitHourVol, fitHourLogVolume } from '../../src/market/season.ts';
import { MarketStream, simulateMarket } from '../../src/market/simulate.ts';
import { fitMarket } from '../../src/market/fit.ts';
import { pearson } from '../../src/market/stats.ts';
import { coin, market } from './helpers.ts';

const H = 3_600_000;
// a clear intraday profile: volatility ×(1 ± 0.3), log volume ± 0.4, peaking at 14 UTC
const prof = Array.from({ length: 24 }, (_, h) => Math.cos((2 * Math.PI * (h - 14)) / 24));
const rawVol = prof.map((c) => 1 + 0.3 * c), rms = Math.sqrt(rawVol.reduce((s, x) => s + x * x, 0) / 24);
const hourVol = rawVol.map((x) => x / rms), hourLogVolume = prof.map((c) => 0.4 * c);
const params = market([coin({ coin: 'A', hourVol, hourLogVolume }), coin({ coin: 'B' })], [[1, 0.6], [0.6, 1]], 30);

test('hourOfDay is the UTC hour; flat profiles when an hour has no data', () => {
  assert.deepEqual(Array.from(hourOfDay(Float64Array.from([0, 13 * H, 25 * H, Date.parse('2021-05-19T12:00:00Z')]))), [0, 13, 1, 12]);
  assert.deepEqual(fitHourVol(Float64Array.from([1, 2]), Uint8Array.from([0, 1])), new Array(24).fill(1));
  assert.deepEqual(fitHourLogVolume(Float64Array.from([1, 2]), Uint8Array.from([0, 1])), new Array(24).fill(0));
});

test('the stream follows the hour-of-day profile from startHour; fitMarket recovers it from open times', () => {
  const hours = 24 * 1200, start = Date.parse('2021-01-01T05:00:00Z');
  const sim = simulateMarket(params, { hours, seed: 4, startHour: 5 });
  const openTime = Float64Array.from({ length: hours }, (_, h) => start + h * H);
  const p = fitMarket({ coins: sim.coins, close: sim.close, volume: sim.volume, openTime }, { calibrateScale: false });
  const fv = p.coins[0].hourVol!, fs = p.coins[0].hourLogVolume!;
  // per-hour SEs with 1200 days: mean|r| ≈ 3 % relative → ~0.03 on s_h (vol clustering inflates it); S_h ≈ 0.025
  for (let h = 0; h < 24; h++) {
    assert.ok(Math.abs(fv[h] - hourVol[h]) < 0.1, `s_${h} ${fv[h]} vs ${hourVol[h]}`);
    assert.ok(Math.abs(fs[h] - hourLogVolume[h]) < 0.08, `S_${h} ${fs[h]} vs ${hourLogVolume[h]}`);
  }
  assert.ok(p.coins[1].hourVol!.every((x) => Math.abs(x - 1) < 0.1)); // the flat coin stays flat
  // without open times there is no profile
  const short = (a: Float64Array[]) => a.map((x) => x.slice(0, 3000));
  assert.equal(fitMarket({ coins: sim.coins, close: short(sim.close), volume: short(sim.volume) }, { calibrateScale: false }).coins[0].hourVol, undefined);
  // the stream's phase: startHour 5 → the 10th hour is 14 UTC
  const s = new MarketStream(params, 1, 200, 5);
  assert.equal(s.phase, 5);
  s.fill(9, new Float64Array(18), new Float64Array(18));
  assert.equal(s.phase, 14);
  assert.throws(() => new MarketStream(market([coin({ coin: 'X', hourVol: [1, 2] })], [[1]], 5), 1), /24 values/);
});

test('default market: simulated hour-of-day profiles of |return| and volume change follow the fitted ones', async () => {
  const { defaultMarketParams } = await import('../../src/market/defaults.ts');
  const p = defaultMarketParams(['BTC']);
  const s = new MarketStream(p, 9, 200, 0), hours = 24 * 4000;
  const ret = new Float64Array(hours), dlv = new Float64Array(hours);
  s.fill(hours, ret, dlv);
  const a = new Float64Array(24), v = new Float64Array(24);
  for (let h = 0; h < hours; h++) { a[h % 24] += Math.abs(ret[h]) / 4000; v[h % 24] += dlv[h] / 4000; }
  const sv = p.coins[0].hourVol!, sl = p.coins[0].hourLogVolume!;
  assert.ok(pearson(a, sv) > 0.85, `|r| profile corr ${pearson(a, sv)}`);
  const dS = sl.map((x, h) => x - sl[(h + 23) % 24]);
  assert.ok(pearson(v, dS) > 0.9, `volume-change profile corr ${pearson(v, dS)}`);
});
