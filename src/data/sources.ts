// Picks the candle source named by `data.source` (csv folder, Binance REST, built-in simulator) and loads the configured
// coins for the configured UTC hour range [start, end]; step 1 (docs/architecture.md#steps).
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/schema.ts';
import type { CoinCandles } from './candles.ts';
import { HOUR_MS } from './candles.ts';
import { loadCsvFolder, parseIsoUtc } from './csv.ts';
import { loadSynthetic } from './synthetic.ts';
import { BinanceClient } from './binance/rest.ts';
import { loadBinance } from './binance/source.ts';
import type { Clock } from './binance/limiter.ts';
import type { Reporter } from '../util/reporter.ts';
import { UserError } from '../util/errors.ts';
import { didYouMean } from '../util/suggest.ts';
import { DEFAULT_MARKET_COINS } from '../market/defaults.ts';

/** Config dates -> first and last hour (ms, inclusive): a bare date as `end` means that whole day (its 23:00 hour). */
export function configRange(data: Pick<Config['data'], 'start' | 'end'>): { startMs: number; endMs: number } {
  const parse = (s: string, key: string, isEnd: boolean): number => {
    const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
    const t = day ? Date.UTC(+day[1], +day[2] - 1, +day[3]) + (isEnd ? 23 * HOUR_MS : 0) : parseIsoUtc(s);
    if (!Number.isFinite(t)) throw new UserError(`key "data.${key}": "${s}" is not a date (expected 2020-01-01 or 2020-01-01T00:00Z)`);
    return isEnd ? Math.floor(t / HOUR_MS) * HOUR_MS : Math.ceil(t / HOUR_MS) * HOUR_MS;
  };
  const startMs = parse(data.start, 'start', false);
  const endMs = parse(data.end, 'end', true);
  if (endMs < startMs) throw new UserError(`key "data.end": ${data.end} is before data.start ${data.start} (no whole hour in between)`);
  return { startMs, endMs };
}

/** Refuses a source setting that cannot work, before any work: a csv folder must exist, the synthetic market only knows its fitted coins. */
export function checkSource(d: Pick<Config['data'], 'source' | 'coins' | 'data_dir'>): void {
  if (d.source === 'csv' && d.data_dir) {
    if (!existsSync(d.data_dir) || !statSync(d.data_dir).isDirectory()) throw new UserError(`key "data.data_dir" (--data-dir): "${d.data_dir}": folder not found`);
  }
  if (d.source !== 'synthetic') return;
  const unknown = d.coins.filter((c) => !DEFAULT_MARKET_COINS.includes(c));
  if (unknown.length)
    throw new UserError(`key "data.coins": the synthetic source has no coin ${unknown.map((c) => `"${c}"${didYouMean(c, DEFAULT_MARKET_COINS)}`).join(', ')}, expected some of ${DEFAULT_MARKET_COINS.join(', ')}`);
}

export interface LoadCandlesOptions {
  reporter?: Reporter;
  /** overrides data.start/data.end (e.g. inference: the latest T hours) */
  range?: { startMs: number; endMs: number };
  /** binance: where the per-symbol caches live (resume); default `<artifacts>/step_01_download/cache` is set by the step */
  cacheDir?: string;
  /** binance: fetch implementation and clock (tests) */
  fetch?: typeof globalThis.fetch;
  clock?: Clock;
}

export interface LoadedCandles {
  candles: CoinCandles[];
  startMs: number;
  endMs: number;
  /** binance: HTTP requests made (0 when everything came from the cache) */
  requests: number;
}

/** Loads `data.coins` for [data.start, data.end] (or `opts.range`) from `data.source`; rows outside the range are dropped. */
export async function loadCandles(config: Config, opts: LoadCandlesOptions = {}): Promise<LoadedCandles> {
  const d = config.data;
  const { startMs, endMs } = opts.range ?? configRange(d);
  const reporter = opts.reporter;
  switch (d.source) {
    case 'csv': {
      if (!d.data_dir) throw new UserError('key "data.data_dir": required when data.source is csv (or pass --data-dir DIR)');
      checkSource(d);
      const bar = reporter?.progress('load csv', d.coins.length, 'coins');
      try {
        const candles = loadCsvFolder({ dir: d.data_dir, coins: d.coins, quote: d.quote, startMs, endMs }, (coin, rows) => bar?.tick(1, { coin, rows }));
        return { candles, startMs, endMs, requests: 0 };
      } finally {
        bar?.done();
      }
    }
    case 'synthetic': {
      checkSource(d);
      const candles = loadSynthetic({ coins: d.coins, start: startMs, end: endMs, seed: d.synthetic.seed ?? config.seed });
      return { candles, startMs, endMs, requests: 0 };
    }
    case 'binance': {
      const b = d.binance;
      const client = new BinanceClient({
        baseUrl: b.base_url, maxWeightPerMinute: b.max_weight_per_minute, maxRetries: b.max_retries, timeoutMs: b.timeout_ms,
        fetch: opts.fetch, clock: opts.clock,
        onRetry: (r) => reporter?.log(`binance: retry ${r.attempt} in ${(r.delayMs / 1000).toFixed(1)} s (${r.reason})`),
      });
      const cacheDir = opts.cacheDir ?? join(config.artifacts_dir, 'binance-cache');
      const candles = await loadBinance({ coins: d.coins, quote: d.quote, startMs, endMs, cacheDir, client, reporter });
      return { candles, startMs, endMs, requests: client.requests };
    }
  }
}
