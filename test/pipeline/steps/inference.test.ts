// Step 8 through its files: predictions JSON (schema, probabilities, token ranges from edges.json, price path),
// agreement with model.onnx on the latest window, --csv and --horizon, and refusal of corrupt or mismatched checkpoints.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StepContext } from '../../../src/pipeline/context.ts';
import { readArtifact, stepDir } from '../../../src/pipeline/artifact.ts';
import { runInference, inferenceStats, predictionsSchema, type Predictions } from '../../../src/pipeline/steps/inference.ts';
import { loadLatestWindow } from '../../../src/pipeline/fresh-data.ts';
import { readEdgesFile } from '../../../src/tokenize/edges-file.ts';
import { loadSynthetic } from '../../../src/data/synthetic.ts';
import { HOUR_MS } from '../../../src/data/candles.ts';
import { Session } from '../../../src/runtime/session.ts';
import { readJson } from '../../../src/util/fs.ts';
import { loadCsvFolder } from '../../../src/data/csv.ts';
import { startBinanceFixture, CANDLES, type BinanceFixture } from '../../fixtures/binance-server.ts';
import { buildPipeline, contextWith, writeCsvFolder, removeTempDirs, COINS, START } from '../fresh-fixture.ts';

let ctx: StepContext;
let dir: string;
let fx: BinanceFixture;

before(async () => {
  ctx = await buildPipeline();
  dir = ctx.artifactsDir;
  fx = await startBinanceFixture({ symbols: COINS.map((c) => `${c}USDT`) });
});
after(async () => { await fx.close(); removeTempDirs(); });

const readPredictions = (file: string): Predictions => predictionsSchema.parse(readJson(join(stepDir(dir, 'inference'), file)));
const close = (a: number, b: number, tol = 1e-9) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));

test('writes a valid predictions file: probabilities sum to 1, token = argmax, ranges from edges.json, price path from the last close', async () => {
  const a = await runInference(ctx);
  const art = readArtifact(dir, 'inference', inferenceStats);
  assert.equal(art.stats.predictions_file, a.stats.predictions_file);
  assert.deepEqual(art.files, [a.stats.predictions_file]);
  assert.match(a.stats.predictions_file, /^predictions_\d{8}T\d{6}Z(_\d+)?\.json$/);
  const p = readPredictions(a.stats.predictions_file);
  const H = ctx.config.inference.horizon;
  assert.equal(p.horizon, H);
  assert.equal(p.hours.length, H);
  assert.equal(p.target_coin, 'XRP');
  assert.equal(p.last_hour, '2022-03-01T23:00Z');
  const market = loadSynthetic({ coins: COINS, start: Date.parse(`${START}T00:00Z`), end: Date.parse('2022-03-01T23:00Z'), seed: ctx.config.seed });
  const xrpClose = market[2]!.close;
  assert.equal(p.last_close, xrpClose[xrpClose.length - 1]);

  const ranges = readEdgesFile(join(stepDir(dir, 'tokenize'), 'edges.json')).per_coin.XRP!.price;
  const V = ranges.edges.length + 1;
  let cumLo: number | null = 0, cumHi: number | null = 0;
  p.hours.forEach((hr, i) => {
    assert.equal(hr.hour, i + 1);
    assert.equal(Date.parse(hr.time), Date.parse('2022-03-01T23:00Z') + (i + 1) * HOUR_MS);
    assert.equal(hr.probabilities.length, V);
    const sum = hr.probabilities.reduce((s, q) => s + q, 0);
    assert.ok(Math.abs(sum - 1) < 1e-5, `hour ${i + 1}: probabilities sum to ${sum}`);
    assert.ok(hr.probabilities.every((q) => q >= 0 && q <= 1));
    assert.equal(hr.token, hr.probabilities.indexOf(Math.max(...hr.probabilities)));
    assert.equal(hr.probability, hr.probabilities[hr.token]);
    // token i covers [edge_{i-1}, edge_i), open-ended at the ends
    const lo = hr.token === 0 ? null : ranges.edges[hr.token - 1]!, hi = hr.token === V - 1 ? null : ranges.edges[hr.token]!;
    assert.deepEqual(hr.log_return, [lo, hi]);
    assert.deepEqual(hr.log_return, ranges.ranges[hr.token]);
    assert.deepEqual(hr.change, [lo === null ? null : Math.expm1(lo), hi === null ? null : Math.expm1(hi)]);
    cumLo = cumLo === null || lo === null ? null : cumLo + lo;
    cumHi = cumHi === null || hi === null ? null : cumHi + hi;
    if (cumLo === null) assert.equal(hr.price[0], 0); else assert.ok(close(hr.price[0]!, p.last_close * Math.exp(cumLo)));
    if (cumHi === null) assert.equal(hr.price[1], null); else assert.ok(close(hr.price[1]!, p.last_close * Math.exp(cumHi)));
    if (hr.price[0] !== null && hr.price[1] !== null) assert.ok(hr.price[0] < hr.price[1]);
  });
  assert.deepEqual(a.stats.tokens, p.hours.map((x) => x.token));
});

test("hours 1 and 2 agree with the exported model.onnx on the latest window (persistence fill)", async () => {
  const a = await runInference(ctx, { horizon: 5 });
  const p = readPredictions(a.stats.predictions_file);
  assert.equal(p.hours.length, 5);
  const lw = await loadLatestWindow(ctx);
  const s = await Session.create(readFileSync(join(stepDir(dir, 'train'), 'model.onnx')), { threads: 1 });
  try {
    const T = ctx.config.sequences.window, row = COINS.length * 2;
    const run = async (x: Uint8Array) => {
      const r = await s.run({ x: { dtype: 'int64', dims: [1, T, COINS.length, 2], data: BigInt64Array.from(x, (v) => BigInt(v)) } });
      return Array.from(r.proba!.data as Float32Array);
    };
    const p1 = await run(lw.x);
    p1.forEach((q, i) => assert.ok(Math.abs(q - p.hours[0]!.probabilities[i]!) < 1e-5, `hour 1 class ${i}: ${q} vs ${p.hours[0]!.probabilities[i]}`));
    // hour 2: the window slides; the new hour repeats the last observed one (persistence) except XRP's price = hour 1's token
    const x2 = new Uint8Array(lw.x.length);
    x2.set(lw.x.subarray(row));
    x2.set(lw.x.subarray((T - 1) * row), (T - 1) * row);
    x2[(T - 1) * row + 2 * 2] = p.hours[0]!.token;
    const p2 = await run(x2);
    p2.forEach((q, i) => assert.ok(Math.abs(q - p.hours[1]!.probabilities[i]!) < 1e-5, `hour 2 class ${i}: ${q} vs ${p.hours[1]!.probabilities[i]}`));
  } finally {
    await s.release();
  }
});

test('--csv reads the latest candles from a folder; stale data is refused and writes nothing', async () => {
  const market = loadSynthetic({ coins: COINS, start: Date.parse(`${START}T00:00Z`), end: Date.parse('2022-03-05T23:00Z'), seed: ctx.config.seed });
  const csv = writeCsvFolder(market);
  const ok = await runInference(contextWith(dir, { end: '2022-03-05' }), { csv });
  assert.match(ok.stats.source, /^csv:/);
  assert.equal(ok.stats.last_hour, '2022-03-05T23:00Z');
  const before = readdirSync(stepDir(dir, 'inference')).sort();
  await assert.rejects(runInference(contextWith(dir, { end: '2022-03-06' }), { csv }), /stale/);
  await assert.rejects(runInference(ctx, { csv, nowMs: Date.parse('2022-03-06T12:00Z') }), /stale.*max_staleness_hours = 3/);
  assert.deepEqual(readdirSync(stepDir(dir, 'inference')).sort(), before);
  await assert.rejects(runInference(ctx, { horizon: 0 }), /horizon/);
});

test('a corrupt or mismatched best checkpoint is refused with the reason', async (t) => {
  const copies: string[] = [];
  t.after(() => { for (const d of copies) rmSync(d, { recursive: true, force: true }); });
  const copy = () => {
    const d = mkdtempSync(join(tmpdir(), 'tokcast-inf-'));
    copies.push(d);
    cpSync(dir, d, { recursive: true });
    return { d, ck: join(stepDir(d, 'train'), 'checkpoint_best') };
  };
  const c1 = copy();
  const f = join(c1.ck, 'model.safetensors');
  const bytes = readFileSync(f);
  bytes[bytes.length - 3] ^= 0xff;
  writeFileSync(f, bytes);
  await assert.rejects(runInference(contextWith(c1.d)), /checkpoint .*checkpoint_best refused: model\.safetensors does not match the manifest/);

  const c2 = copy();
  const m = readJson(join(c2.ck, 'checkpoint.json')) as { model_config: Record<string, unknown> };
  m.model_config.target_coin = 0;
  writeFileSync(join(c2.ck, 'checkpoint.json'), JSON.stringify(m));
  await assert.rejects(runInference(contextWith(c2.d)), /refused: it does not fit the sequences of step 5: target_coin 0 \(step 5: 2\)/);

  const c3 = copy();
  writeFileSync(join(c3.ck, 'checkpoint.json'), '{"format": "tokcast-checkpoint", "vers');
  await assert.rejects(runInference(contextWith(c3.d)), /checkpoint .* refused: .*not valid JSON/);
});

test('binance source: the latest closed hours before now through the kline API (step 1 cache), stale when the exchange has none', async () => {
  const bctx = contextWith(dir, { source: 'binance', binance: { base_url: fx.baseUrl, max_retries: 0 } });
  const n0 = fx.requests.length;
  const a = await runInference(bctx, { nowMs: Date.parse('2023-06-01T00:30Z') });
  assert.equal(a.stats.last_hour, '2023-05-31T23:00Z', 'the last closed hour before now');
  assert.equal(a.stats.staleness_hours, 0);
  assert.match(a.stats.source, /^binance:/);
  const real = loadCsvFolder({ dir: CANDLES, coins: ['XRP'], quote: 'USDT', startMs: Date.parse('2023-05-31T23:00Z'), endMs: Date.parse('2023-05-31T23:00Z') });
  assert.equal(a.stats.last_close, real[0]!.close[0]);
  const reqs = fx.requests.slice(n0);
  assert.equal(reqs.length, COINS.length, 'one page per coin for the last hours');
  assert.ok(reqs.every((r) => r.startTime >= Date.parse('2023-05-30T00:00Z')), 'only the lookback is fetched');
  assert.ok(readdirSync(join(stepDir(dir, 'download'), 'cache')).length > 0, "step 1's kline cache is used");
  await assert.rejects(runInference(bctx, { nowMs: Date.parse('2024-03-01T00:00Z') }), /stale: BTC has no candle from .* to 2024-02-29T23:00Z/);
});

test('the forecast says how old its newest candle is, against the clock and --end, and warns when it is over 2 h old', async () => {
  const market = loadSynthetic({ coins: COINS, start: Date.parse(`${START}T00:00Z`), end: Date.parse('2022-03-05T23:00Z'), seed: ctx.config.seed });
  const csv = writeCsvFolder(market);
  const c = contextWith(dir, { end: '2022-03-05' });
  const run = async (nowIso: string | null, end = '2022-03-05') => {
    const errs: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string | Uint8Array) => { errs.push(String(chunk)); return true; }) as typeof process.stderr.write;
    try {
      const a = await runInference(end === '2022-03-05' ? c : contextWith(dir, { end }), { csv, ...(nowIso ? { nowMs: Date.parse(nowIso) } : {}) });
      return { a, p: readPredictions(a.stats.predictions_file), warned: errs.filter((e) => /^tokcast: warning: the newest candle/.test(e)) };
    } finally {
      process.stderr.write = write;
    }
  };
  const fresh = await run('2022-03-06T01:30Z');
  assert.deepEqual(fresh.p.data_age, {
    last_candle: '2022-03-05T23:00Z', last_candle_closed_at: '2022-03-06T00:00Z', now: '2022-03-06T01:30:00.000Z',
    hours_before_now: 1.5, hours_before_end: 0, warning: null,
  });
  assert.equal(fresh.warned.length, 0);
  assert.equal(fresh.a.stats.data_age_hours, 1.5);
  const old = await run('2022-03-06T03:30Z');
  assert.equal(old.p.data_age.hours_before_now, 3.5);
  assert.match(old.p.data_age.warning!, /newest candle \(2022-03-05T23:00Z\) closed 3\.5 h ago, more than 2 h/);
  assert.equal(old.a.stats.data_warning, old.p.data_age.warning);
  assert.equal(old.warned.length, 1);
  // no clock given: csv data is as of --end, and its age against the wall clock is years
  const past = await run(null, '2022-03-04');
  assert.equal(past.p.data_age.last_candle, '2022-03-04T23:00Z');
  assert.equal(past.p.data_age.hours_before_end, 0);
  assert.ok(past.p.data_age.hours_before_now > 24 * 365);
  assert.match(past.warned[0]!, /closed \d+\.\d days ago/);
});
