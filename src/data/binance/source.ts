// The `binance` candle source: for each coin, fetch the hours its cache does not cover yet (page by page, cache written
// atomically every few seconds and when the coin ends or fails, so an interrupted run resumes), then return the cached candles inside [start, end].
import type { CoinCandles } from '../candles.ts';
import { allocCandles } from '../candles.ts';
import type { Reporter } from '../../util/reporter.ts';
import { BinanceClient } from './rest.ts';
import { mergePage, missingRanges, readCache, writeCache, type KlineCache } from './cache.ts';
import { HOUR_MS } from '../../util/calendar.ts';


export interface BinanceLoadOptions {
  coins: string[];
  quote: string;
  startMs: number;
  endMs: number;
  /** folder of the per-symbol caches (the download step uses `<step dir>/cache`) */
  cacheDir: string;
  client: BinanceClient;
  reporter?: Reporter;
  /** least ms between cache rewrites while a coin downloads (default 2000; 0 = after every page) */
  flushMs?: number;
}

/** Loads the coins' hourly candles from Binance (resuming from the cache); coins are fetched one after another. */
export async function loadBinance(opts: BinanceLoadOptions): Promise<CoinCandles[]> {
  const out: CoinCandles[] = [];
  for (const coin of opts.coins) {
    const symbol = `${coin}${opts.quote}`;
    const cache = readCache(opts.cacheDir, symbol, opts.client.baseUrl);
    const todo = missingRanges(cache, opts.startMs, Math.min(opts.endMs, opts.client.lastClosedHour()));
    const hours = todo.reduce((s, [a, b]) => s + (b - a) / HOUR_MS + 1, 0);
    const bar = opts.reporter?.progress(`download ${symbol}`, hours, 'h');
    // the cache is rewritten at most every `flushMs` (whole-file JSON rewrites would be quadratic), and always at the end or on error
    let dirty = false;
    let lastWrite = performance.now();
    try {
      for (const [a, b] of todo) {
        for await (const page of opts.client.pages(symbol, a, b)) {
          mergePage(cache, page.rows, page.from, page.coveredTo);
          dirty = true;
          if (performance.now() - lastWrite >= (opts.flushMs ?? 2000)) {
            writeCache(opts.cacheDir, cache);
            dirty = false;
            lastWrite = performance.now();
          }
          bar?.tick((page.coveredTo - page.from) / HOUR_MS + 1, { rows: page.rows.length });
        }
      }
    } finally {
      if (dirty) writeCache(opts.cacheDir, cache);
      bar?.done();
    }
    out.push(candlesFromCache(coin, cache, opts.startMs, opts.endMs, `${opts.client.baseUrl} ${symbol}`));
  }
  return out;
}

/** The cached candles with startMs <= openTime <= endMs as a CoinCandles. */
export function candlesFromCache(coin: string, cache: KlineCache, startMs: number, endMs: number, source: string): CoinCandles {
  let a = 0;
  while (a < cache.t.length && cache.t[a] < startMs) a++;
  let b = a;
  while (b < cache.t.length && cache.t[b] <= endMs) b++;
  const c = allocCandles(coin, b - a);
  c.source = source;
  for (let i = a; i < b; i++) {
    const j = i - a;
    c.openTime[j] = cache.t[i]; c.open[j] = cache.o[i]; c.high[j] = cache.h[i]; c.low[j] = cache.l[i]; c.close[j] = cache.c[i]; c.volume[j] = cache.v[i];
  }
  return c;
}
