import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WeightLimiter } from '../../../src/data/binance/limiter.ts';
import { fakeClock } from '../../fixtures/binance-server.ts';

test('a token bucket: a burst up to the per-minute weight, then the refill rate', async () => {
  const clock = fakeClock(0);
  const lim = new WeightLimiter(600, clock); // 10 weight a second
  for (let i = 0; i < 300; i++) await lim.acquire(2);
  assert.deepEqual(clock.sleeps, []);
  for (let i = 0; i < 60; i++) await lim.acquire(2);
  // 60 more requests of weight 2 at 10 weight/s take 12 s of waiting
  assert.equal(clock.sleeps.length, 60);
  assert.ok(Math.abs(clock.now() - 12_000) <= 60, `elapsed ${clock.now()}`);
});

test('the server count lowers what is left, never raises it', async () => {
  const clock = fakeClock(0);
  const lim = new WeightLimiter(1200, clock);
  lim.observeUsedWeight(100);
  assert.equal(lim.available(), 1100);
  lim.observeUsedWeight(10);
  assert.equal(lim.available(), 1100);
  lim.observeUsedWeight(1300); // another client on the IP used more than our limit: wait it off
  const waited = await lim.acquire(2);
  assert.equal(waited, Math.ceil(102 / (1200 / 60_000)));
});
