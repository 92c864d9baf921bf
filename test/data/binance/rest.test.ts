import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { BinanceClient, parseKlines, UNREACHABLE_BUDGET_MS } from '../../../src/data/binance/rest.ts';
import { loadCsvFolder } from '../../../src/data/csv.ts';
import { UserError } from '../../../src/util/errors.ts';
import { startBinanceFixture, fakeClock, CANDLES, type BinanceFixture } from '../../fixtures/binance-server.ts';

const HOUR = 3_600_000;
const T0 = Date.parse('2020-02-09T00:00:00Z'); // 02h is a real gap
let fx: BinanceFixture;
before(async () => { fx = await startBinanceFixture(); });
after(async () => { await fx.close(); });

function client(extra: Partial<ConstructorParameters<typeof BinanceClient>[0]> = {}) {
  const clock = fakeClock();
  const retries: { attempt: number; delayMs: number; reason: string }[] = [];
  const c = new BinanceClient({ baseUrl: fx.baseUrl, maxRetries: 4, timeoutMs: 3000, clock, random: () => 0.5, onRetry: (r) => retries.push(r), ...extra });
  return { c, clock, retries };
}
function reset(...faults: BinanceFixture['faults']) { fx.requests.length = 0; fx.faults.length = 0; fx.faults.push(...faults); fx.usedWeight = null; }

test('klines come back exactly as the source rows, gaps included', async () => {
  reset();
  const { c } = client();
  const rows = await c.klines('BTCUSDT', T0, T0 + 5 * HOUR);
  assert.deepEqual(rows.map((k) => (k.openTime - T0) / HOUR), [0, 1, 3, 4, 5]);
  const [btc] = loadCsvFolder({ dir: CANDLES, coins: ['BTC'], quote: 'USDT', startMs: T0, endMs: T0 + 5 * HOUR });
  assert.deepEqual(rows.map((k) => [k.open, k.high, k.low, k.close, k.volume]), [...btc.openTime].map((_, i) => [btc.open[i], btc.high[i], btc.low[i], btc.close[i], btc.volume[i]]));
  assert.equal(fx.requests.length, 1);
  assert.deepEqual({ ...fx.requests[0], rows: undefined }, { symbol: 'BTCUSDT', startTime: T0, endTime: T0 + 5 * HOUR, limit: 1000, fault: null, rows: undefined });
});

test('pagination by startTime: 1000 candles a page, covered ranges chain without holes', async () => {
  reset();
  const { c } = client();
  const start = Date.parse('2020-01-01T00:00Z'), end = Date.parse('2020-04-30T23:00Z');
  const pages = [];
  for await (const p of c.pages('ETHUSDT', start, end)) pages.push(p);
  assert.equal(pages.length, 3);
  assert.deepEqual(pages.map((p) => p.rows.length), [1000, 1000, 2904 - 2000 - 9]); // 121 days, 9 missing hours before May
  assert.equal(pages[0].from, start);
  for (let i = 1; i < pages.length; i++) assert.equal(pages[i].from, pages[i - 1].coveredTo + HOUR);
  assert.equal(pages[2].coveredTo, end);
  assert.deepEqual(fx.requests.map((r) => r.startTime), pages.map((p) => p.from));
});

test('429 and 418 honour Retry-After; 5xx backs off exponentially with jitter', async () => {
  reset({ kind: 'status', status: 429, retryAfter: 7 }, { kind: 'status', status: 418, retryAfter: 30 }, { kind: 'status', status: 500 }, { kind: 'status', status: 503 });
  const { c, clock, retries } = client({ baseBackoffMs: 1000 });
  const rows = await c.klines('BTCUSDT', T0, T0 + 2 * HOUR);
  assert.equal(rows.length, 2);
  assert.equal(fx.requests.length, 5);
  assert.deepEqual(retries.map((r) => r.delayMs), [7000, 30000, 4000 * 0.75, 8000 * 0.75]);
  assert.match(retries[0].reason, /HTTP 429/);
  assert.match(retries[1].reason, /HTTP 418/);
  assert.deepEqual(clock.sleeps, [7000, 30000, 3000, 6000]);
});

test('connection drops, timeouts, truncated and cut bodies, garbage are retried', async () => {
  reset({ kind: 'drop' }, { kind: 'slow', delayMs: 1500 }, { kind: 'truncate' }, { kind: 'cut' }, { kind: 'garbage' }, { kind: 'stall', delayMs: 1500 });
  const { c, retries } = client({ maxRetries: 6, timeoutMs: 300 });
  const rows = await c.klines('BTCUSDT', T0, T0 + 2 * HOUR);
  assert.equal(rows.length, 2);
  assert.equal(fx.requests.length, 7);
  const reasons = retries.map((r) => r.reason);
  assert.equal(reasons.length, 6);
  assert.match(reasons[1], /timed out after 300 ms/);
  assert.match(reasons[2], /invalid JSON body/);
  assert.match(reasons[4], /invalid JSON|unexpected body/);
  assert.match(reasons[5], /timed out after 300 ms/, 'a body that stalls midway times out too');
});

test('gives up after max_retries with the last reason and a hint to rerun', async () => {
  reset(...Array.from({ length: 3 }, () => ({ kind: 'status' as const, status: 502 })));
  const { c } = client({ maxRetries: 2 });
  await assert.rejects(c.klines('BTCUSDT', T0, T0 + HOUR), (e: unknown) => e instanceof UserError && /gave up after 3 attempts \(last: HTTP 502\).*rerun to resume/.test(e.message));
  assert.equal(fx.requests.length, 3);
});

/** A fetch that fails like undici does when the host cannot be reached: TypeError('fetch failed') with the errno as its cause. */
function unreachableFetch(code: string, calls: string[]): typeof fetch {
  return async (input) => {
    calls.push(String(input));
    const cause = Object.assign(new Error(`getaddrinfo ${code} api.example.invalid`), { code, syscall: 'getaddrinfo', hostname: 'api.example.invalid' });
    throw new TypeError('fetch failed', { cause });
  };
}

/** A local port nothing listens on (bound once, then released). */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

for (const code of ['ENOTFOUND', 'EAI_AGAIN']) {
  test(`a DNS failure (${code}) stops within ${UNREACHABLE_BUDGET_MS / 1000} s of clock time, naming the host and the cause`, async () => {
    const calls: string[] = [];
    const { c, clock } = client({ baseUrl: 'https://api.example.invalid', maxRetries: 8, baseBackoffMs: 1000, fetch: unreachableFetch(code, calls) });
    const t0 = clock.now();
    await assert.rejects(c.klines('BTCUSDT', T0, T0 + HOUR), (e: Error) => {
      assert.ok(e instanceof UserError);
      assert.match(e.message, /api\.example\.invalid: cannot reach the host/);
      assert.ok(e.message.includes(code), e.message);
      assert.match(e.message, /check the network connection and data\.binance\.base_url/);
      return true;
    });
    assert.ok(clock.now() - t0 <= 10_000, `waited ${clock.now() - t0} ms of clock time`);
    assert.ok(calls.length >= 2 && calls.length < 9, `${calls.length} requests: a short retry, not the full max_retries`);
  });
}

test('a refused connection (nothing listening) stops within the budget; 5xx still gets the full backoff', async () => {
  const closed = await closedPort();
  const { c, clock } = client({ baseUrl: `http://127.0.0.1:${closed}`, maxRetries: 8, baseBackoffMs: 1000 });
  await assert.rejects(c.klines('BTCUSDT', T0, T0 + HOUR), new RegExp(`127\\.0\\.0\\.1:${closed}: cannot reach the host .*ECONNREFUSED`));
  assert.ok(clock.now() - Date.parse('2024-06-01T00:00:00Z') <= 10_000);
  reset(...Array.from({ length: 9 }, () => ({ kind: 'status' as const, status: 503 })));
  const slow = client({ maxRetries: 8, baseBackoffMs: 1000 });
  await assert.rejects(slow.c.klines('BTCUSDT', T0, T0 + HOUR), /gave up after 9 attempts/);
  assert.ok(slow.clock.sleeps.reduce((a, b) => a + b, 0) > 60_000, 'server errors keep their long backoff');
});

test('an unknown symbol is a clear error at once, without retries', async () => {
  reset();
  const { c } = client();
  await assert.rejects(c.klines('NOPEUSDT', T0, T0 + HOUR), (e: unknown) => e instanceof UserError && /unknown symbol NOPEUSDT.*Invalid symbol\..*data\.coins/.test(e.message));
  assert.equal(fx.requests.length, 1);
});

test('a ban longer than the limit fails instead of waiting', async () => {
  reset({ kind: 'status', status: 418, retryAfter: 7200 });
  const { c, clock } = client();
  await assert.rejects(c.klines('BTCUSDT', T0, T0 + HOUR), /HTTP 418.*wait 7200 s/);
  assert.deepEqual(clock.sleeps, []);
});

test('the used-weight header makes the client wait for the next minute', async () => {
  reset();
  const { c, clock } = client({ maxWeightPerMinute: 100 });
  fx.usedWeight = 100;
  await c.klines('BTCUSDT', T0, T0 + HOUR);
  assert.deepEqual(clock.sleeps, []);
  await c.klines('BTCUSDT', T0, T0 + HOUR); // server says the minute is used up: wait ~ 2 weight / (100/60s)
  assert.equal(clock.sleeps.length, 1);
  assert.ok(clock.sleeps[0] >= 1100 && clock.sleeps[0] <= 1300, `waited ${clock.sleeps[0]}`);
});

test('parseKlines rejects malformed candles as retryable, not as data', () => {
  assert.throws(() => parseKlines('[[1577836800000,"1","2"]]'), /expected an array of 12 fields/);
  assert.throws(() => parseKlines('[[1577836800001,"1","2","0.5","1","3",1,"0",1,"0","0","0"]]'), /not a valid hourly candle/);
  assert.equal(parseKlines('[]').length, 0);
});
