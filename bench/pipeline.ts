// Benchmark: pipeline steps 2-5 (clean, split, tokenize incl. its PNG, sequences) on the real 10-coin dataset
// (csv source; step 1 runs once untimed). Target: < 5 s and < 1 GB. `node --import tsx bench/pipeline.ts` runs it alone.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateConfig } from '../src/config/load.ts';
import { makeContext } from '../src/pipeline/context.ts';
import { runDownload } from '../src/pipeline/steps/download.ts';
import { runClean } from '../src/pipeline/steps/clean.ts';
import { runSplit } from '../src/pipeline/steps/split.ts';
import { runTokenize } from '../src/pipeline/steps/tokenize.ts';
import { runSequences } from '../src/pipeline/steps/sequences.ts';
import { median, measure, peakRssMb, round, realDataDir } from './util.ts';
import { readParquet, writeParquet } from '../src/data/parquet.ts';


export interface PipelineFigures {
  name: 'pipeline_2_5'; seconds: number; min_seconds: number; max_seconds: number; first_seconds: number; runs: number; warmup: number; peak_rss_mb: number;
  step_seconds: Record<string, number>; windows_train: number; windows_val: number;
}

/** Steps 2-5 end to end: median wall seconds of 5 runs after a warm-up (the first, cold one, reported apart), peak RSS. */
export async function benchPipeline(): Promise<PipelineFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'tokcast-bench-pipeline-'));
  try {
    const ctx = makeContext(validateConfig({ artifacts_dir: dir, data: { source: 'csv', data_dir: realDataDir('pipeline') } }));
    await runDownload(ctx);
    (globalThis as { gc?: () => void }).gc?.();
    try { writeFileSync('/proc/self/clear_refs', '5'); } catch { /* not linux: peak includes step 1 */ }
    const totals: number[] = [];
    let steps: Record<string, number> = {};
    let windows = [0, 0];
    const WARMUP = 1, RUNS = 5;
    let first = 0;
    for (let run = 0; run < WARMUP + RUNS; run++) {
      const t0 = performance.now();
      const s: Record<string, number> = {};
      let t = t0;
      const lap = (name: string) => { const now = performance.now(); s[name] = round((now - t) / 1000); t = now; };
      await runClean(ctx); lap('clean');
      await runSplit(ctx); lap('split');
      await runTokenize(ctx); lap('tokenize');
      const seq = await runSequences(ctx); lap('sequences');
      if (run < WARMUP) first = (performance.now() - t0) / 1000;
      else totals.push((performance.now() - t0) / 1000);
      steps = s;
      windows = seq.stats.splits.map((x) => x.N);
    }
    return {
      name: 'pipeline_2_5', seconds: round(median(totals)), min_seconds: round(Math.min(...totals)), max_seconds: round(Math.max(...totals)),
      first_seconds: round(first), runs: totals.length, warmup: WARMUP,
      peak_rss_mb: round(peakRssMb(), 1), step_seconds: steps, windows_train: windows[0] ?? 0, windows_val: windows[1] ?? 0,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Parquet write and read of the real download table (35064 rows x 51 float64 columns), median of 5 after a warm-up. */
export async function benchParquet(): Promise<object> {
  const dir = mkdtempSync(join(tmpdir(), 'tokcast-bench-parquet-'));
  try {
    const ctx = makeContext(validateConfig({ artifacts_dir: dir, data: { source: 'csv', data_dir: realDataDir('pipeline') } }));
    await runDownload(ctx);
    const cols = await readParquet(join(dir, 'step_01_download', 'download.parquet'));
    const path = join(dir, 'copy.parquet');
    const w = await measure(() => writeParquet(path, cols), { warmup: 1, runs: 5 });
    const r = await measure(() => readParquet(path), { warmup: 1, runs: 5 });
    return {
      name: 'parquet_download_table', runs: w.runs, warmup: w.warmup, rows: cols.open_time!.length, columns: Object.keys(cols).length,
      write_ms: round(w.median_ms, 1), min_write_ms: round(w.min_ms, 1), max_write_ms: round(w.max_ms, 1),
      read_ms: round(r.median_ms, 1), min_read_ms: round(r.min_ms, 1), max_read_ms: round(r.max_ms, 1),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchPipeline()));
  console.log(JSON.stringify(await benchParquet()));
}
