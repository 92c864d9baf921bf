// Shared benchmark helpers: warm-up, median of several timed runs, peak RSS.
import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The full real-candles folder (TOKCAST_REAL_DATA_DIR); a benchmark that needs it stops here with a clear message. */
export function realDataDir(bench: string): string {
  const v = process.env.TOKCAST_REAL_DATA_DIR;
  if (!v) throw new Error(`bench ${bench}: TOKCAST_REAL_DATA_DIR is not set; point it at the real hourly candles (<COIN>USDT-1h.csv, 10 coins, 2020-2023)`);
  if (!existsSync(v)) throw new Error(`bench ${bench}: TOKCAST_REAL_DATA_DIR=${v}: folder not found`);
  return resolve(v);
}

export interface Timing { median_ms: number; min_ms: number; max_ms: number; runs: number }

/** Runs `fn` `warmup` times untimed, then `runs` times timed; returns median/min/max milliseconds. */
export async function measure(fn: () => unknown | Promise<unknown>, opts: { warmup?: number; runs?: number } = {}): Promise<Timing> {
  const warmup = opts.warmup ?? 1, runs = opts.runs ?? 5;
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { median_ms: median(times), min_ms: times[0], max_ms: times[times.length - 1], runs };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Peak resident set size of this process so far, in MiB (VmHWM on Linux, else maxRSS). */
export function peakRssMb(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch { /* not linux */ }
  return process.resourceUsage().maxRSS / 1024;
}

export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
