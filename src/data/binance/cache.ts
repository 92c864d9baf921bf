// Resumable per-symbol kline cache (`<cache dir>/<SYMBOL>.json`): the candles fetched so far plus the hour ranges the
// exchange has answered for completely, so a rerun asks only for hours never covered (gaps inside covered ranges stay gaps).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeJsonAtomic } from '../../util/fs.ts';
import type { Kline } from './rest.ts';
import { HOUR_MS } from '../../util/calendar.ts';


const cacheSchema = z.object({
  symbol: z.string(),
  interval: z.literal('1h'),
  base_url: z.string(),
  /** [from, to] open times (ms, inclusive) answered completely */
  covered: z.array(z.tuple([z.number(), z.number()])),
  t: z.array(z.number()), o: z.array(z.number()), h: z.array(z.number()), l: z.array(z.number()), c: z.array(z.number()), v: z.array(z.number()),
}).strict();
export type KlineCache = z.infer<typeof cacheSchema>;

export function cachePath(dir: string, symbol: string): string {
  return join(dir, `${symbol}.json`);
}

export function emptyCache(symbol: string, baseUrl: string): KlineCache {
  return { symbol, interval: '1h', base_url: baseUrl, covered: [], t: [], o: [], h: [], l: [], c: [], v: [] };
}

/** Reads a cache file; a missing, corrupt or other-source one counts as empty (the data is simply fetched again). */
export function readCache(dir: string, symbol: string, baseUrl: string): KlineCache {
  const p = cachePath(dir, symbol);
  if (!existsSync(p)) return emptyCache(symbol, baseUrl);
  try {
    const parsed = cacheSchema.safeParse(JSON.parse(readFileSync(p, 'utf8')));
    if (parsed.success && parsed.data.symbol === symbol && parsed.data.base_url === baseUrl) return parsed.data;
  } catch { /* corrupt: refetch */ }
  return emptyCache(symbol, baseUrl);
}

export function writeCache(dir: string, cache: KlineCache): void {
  writeJsonAtomic(cachePath(dir, cache.symbol), cache);
}

/** Adds a fetched page: its candles (replacing any with the same hour) and its covered range. */
export function mergePage(cache: KlineCache, rows: Kline[], from: number, coveredTo: number): void {
  const n = cache.t.length;
  const appendable = rows.length === 0 || n === 0 || rows[0].openTime > cache.t[n - 1];
  if (appendable) {
    for (const k of rows) {
      cache.t.push(k.openTime); cache.o.push(k.open); cache.h.push(k.high); cache.l.push(k.low); cache.c.push(k.close); cache.v.push(k.volume);
    }
  } else {
    const byTime = new Map<number, number[]>();
    for (let i = 0; i < n; i++) byTime.set(cache.t[i], [cache.o[i], cache.h[i], cache.l[i], cache.c[i], cache.v[i]]);
    for (const k of rows) byTime.set(k.openTime, [k.open, k.high, k.low, k.close, k.volume]);
    const times = [...byTime.keys()].sort((a, b) => a - b);
    cache.t = times;
    const cols = [cache.o, cache.h, cache.l, cache.c, cache.v].map(() => [] as number[]);
    for (const t of times) byTime.get(t)!.forEach((x, j) => cols[j].push(x));
    [cache.o, cache.h, cache.l, cache.c, cache.v] = cols;
  }
  if (coveredTo >= from) cache.covered = mergeRanges([...cache.covered, [from, coveredTo]]);
}

/** Sorts and joins ranges that overlap or touch (hour granularity). */
export function mergeRanges(ranges: [number, number][]): [number, number][] {
  const s = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [a, b] of s) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + HOUR_MS) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** Hour ranges inside [startMs, endMs] not yet covered, each [from, to] inclusive. */
export function missingRanges(cache: KlineCache, startMs: number, endMs: number): [number, number][] {
  const out: [number, number][] = [];
  let cur = startMs;
  for (const [a, b] of cache.covered) {
    if (b < cur) continue;
    if (a > endMs) break;
    if (a > cur) out.push([cur, Math.min(a - HOUR_MS, endMs)]);
    cur = Math.max(cur, b + HOUR_MS);
    if (cur > endMs) break;
  }
  if (cur <= endMs) out.push([cur, endMs]);
  return out;
}
