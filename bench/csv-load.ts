// Benchmark: loading the 10 real hourly CSVs of TOKCAST_REAL_DATA_DIR (19.8 MB) with tokcast's hand-written parser vs DuckDB's read_csv.
// `node --import tsx bench/csv-load.ts` runs it alone; `npm run bench -- csv-load` through the runner.
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { loadCsvFolder, findCoinFile } from '../src/data/csv.ts';
import { DEFAULT_COINS } from '../src/config/schema.ts';
import { measure, round, realDataDir } from './util.ts';


export interface CsvLoadFigures { name: string; runs: number; warmup: number; first_ms: number; median_ms: number; min_ms: number; max_ms: number; rows: number; files: number }

/** Hand-written parser (validation included): the first, cold call (the warm-up) and the median of 5 warm ones. */
export async function benchCsvLoad(): Promise<CsvLoadFigures> {
  const t0 = performance.now();
  const cs = loadCsvFolder({ dir: realDataDir('csv-load'), coins: DEFAULT_COINS, quote: 'USDT' });
  const first = performance.now() - t0;
  const m = await measure(() => loadCsvFolder({ dir: realDataDir('csv-load'), coins: DEFAULT_COINS, quote: 'USDT' }), { warmup: 0, runs: 5 });
  return { name: 'csv-load', runs: m.runs, warmup: 1, first_ms: round(first, 1), median_ms: round(m.median_ms, 1), min_ms: round(m.min_ms, 1), max_ms: round(m.max_ms, 1), rows: cs.reduce((s, c) => s + c.openTime.length, 0), files: cs.length };
}

/** DuckDB read_csv of the same files into JS columns (no row checks): the alternative we measured against. */
export async function benchCsvLoadDuckdb(): Promise<CsvLoadFigures> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const files = DEFAULT_COINS.map((c) => findCoinFile(realDataDir('csv-load'), c, 'USDT'));
  let rows = 0;
  const once = async () => {
    rows = 0;
    for (const f of files) {
      const r = await conn.runAndReadAll(`SELECT epoch_ms(open_time::TIMESTAMP)::DOUBLE, open, high, low, close, volume FROM read_csv('${join(f)}')`);
      const cols = r.getColumnsJS();
      const arr = Float64Array.from(cols[1] as number[]);
      rows += arr.length;
    }
  };
  const t0 = performance.now();
  await once();
  const first = performance.now() - t0;
  const m = await measure(once, { warmup: 0, runs: 5 });
  conn.closeSync();
  return { name: 'csv-load-duckdb', runs: m.runs, warmup: 1, first_ms: round(first, 1), median_ms: round(m.median_ms, 1), min_ms: round(m.min_ms, 1), max_ms: round(m.max_ms, 1), rows, files: files.length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchCsvLoad()));
  console.log(JSON.stringify(await benchCsvLoadDuckdb()));
}
