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

/** The execution provider BENCH_PROVIDER asks for (cpu, cuda, webgpu; default cpu): refused, never replaced, when unusable. */
export function benchProvider(): 'cpu' | 'cuda' | 'webgpu' {
  const v = process.env.BENCH_PROVIDER ?? 'cpu';
  if (v !== 'cpu' && v !== 'cuda' && v !== 'webgpu') throw new Error(`BENCH_PROVIDER=${v}: expected cpu, cuda or webgpu`);
  return v;
}

export interface Timing { median_ms: number; min_ms: number; max_ms: number; runs: number; warmup: number }

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
  return { median_ms: median(times), min_ms: times[0], max_ms: times[times.length - 1], runs, warmup };
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

/** median, min and max of `xs` (divided by `scale`), rounded: the shape of every timed figure's numbers. */
export function spread(xs: number[], scale = 1, digits = 3): { median: number; min: number; max: number } {
  return { median: round(median(xs) / scale, digits), min: round(Math.min(...xs) / scale, digits), max: round(Math.max(...xs) / scale, digits) };
}

/**
 * Why a figure breaks the benchmark rule (the median of at least 5 timed runs after at least one warm-up, with min
 * and max), or null. Figures that are not timings say `quality: true`; a figure may say `skipped` with the reason;
 * rows that split another figure's median run into parts name it in `breakdown_of`.
 */
export function ruleProblem(fig: Record<string, unknown>): string | null {
  if (fig.quality === true || typeof fig.skipped === 'string' || typeof fig.breakdown_of === 'string') return null;
  if (typeof fig.runs !== 'number' || fig.runs < 5) return `runs = ${String(fig.runs)}, expected >= 5`;
  if (typeof fig.warmup !== 'number' || fig.warmup < 1) return `warmup = ${String(fig.warmup)}, expected >= 1`;
  const text = JSON.stringify(fig);
  if (!/"min/.test(text) || !/"max/.test(text)) return 'no min and max beside the median';
  return null;
}

export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
