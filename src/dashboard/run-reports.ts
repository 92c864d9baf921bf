// The forecast-quality reports of a run, when its steps wrote them: calibration (calibration.png and the calibration
// figures of an evaluation report), the net-of-fees backtest (backtest.json, equity.png), walk-forward evaluation
// (walk_forward.json, walk_forward.png) and the per-window export (forecasts.parquet). Each is optional; a file that
// is there but malformed becomes an `error` naming it. The JSON schemas below ask only for what the page shows and
// let every other field through, so a report that gains fields still displays.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { readJsonFile } from './json-file.ts';

export const CALIBRATION_PLOT = 'calibration.png';
export const FORECASTS_FILE = 'forecasts.parquet';
export const BACKTEST_FILE = 'backtest.json';
export const EQUITY_PLOT = 'equity.png';
export const WALK_FORWARD_FILE = 'walk_forward.json';
export const WALK_FORWARD_PLOT = 'walk_forward.png';

/** Scalars of a nested object as `a.b.c` keys (at most `depth` levels, arrays of up to 12 scalars as `a.0`, `a.1`). */
export function flatten(v: unknown, prefix = '', depth = 3, out: Record<string, number | string | boolean | null> = {}) {
  if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') {
    out[prefix] = v;
    return out;
  }
  if (depth === 0 || typeof v !== 'object') return out;
  if (Array.isArray(v)) {
    if (v.length <= 12) v.forEach((x, i) => flatten(x, prefix ? `${prefix}.${i}` : String(i), depth - 1, out));
    return out;
  }
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) flatten(x, prefix ? `${prefix}.${k}` : k, depth - 1, out);
  return out;
}

/** Rows with the union of their keys as columns (first-seen order, at most `maxCols`). */
export function table(rows: Record<string, number | string | boolean | null>[], maxCols = 24) {
  const cols: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!cols.includes(k) && cols.length < maxCols) cols.push(k);
  return { columns: cols, rows: rows.map((r) => cols.map((c) => (c in r ? r[c] : null))) };
}

const intervalSchema = z.object({ estimate: z.number(), low: z.number().nullable(), high: z.number().nullable() }).passthrough();
const backtestSchema = z.object({
  summary: z.string().optional(),
  not_advice: z.string().optional(),
  assumptions: z.array(z.string()).optional(),
  costs: z.record(z.string(), z.unknown()).optional(),
  methods: z.record(z.string(), z.object({ threshold: z.number().nullable().optional(), test: z.record(z.string(), z.unknown()) }).passthrough()),
  comparison: z.object({ best_alternative: z.string(), sharpe_difference: intervalSchema }).passthrough().nullable().optional(),
}).passthrough();
const walkForwardSchema = z.object({
  summary: z.string().optional(),
  folds: z.array(z.record(z.string(), z.unknown())),
}).passthrough();

/** zod's first complaint as `key.path: message`. */
function firstIssue(e: z.ZodError): string {
  const i = e.issues[0];
  return `${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`;
}

function parseReport<T>(path: string, label: string, schema: z.ZodType<T>): { value: T } | { error: string } | null {
  const r = readJsonFile(path, label);
  if (!r || 'error' in r) return r;
  const p = schema.safeParse(r.value);
  return p.success ? { value: p.data } : { error: `${label}: unexpected shape (${firstIssue(p.error)})` };
}

function backtestView(dir: string, rel: string, image: (n: string) => string | null) {
  const source = `${rel}${BACKTEST_FILE}`;
  const r = parseReport(join(dir, BACKTEST_FILE), source, backtestSchema);
  if (!r) return null;
  if ('error' in r) return { source, error: r.error };
  const b = r.value;
  const methods = Object.entries(b.methods).map(([name, m]) => ({ name, ...flatten({ threshold: m.threshold ?? null, ...m.test }) }));
  return {
    source, summary: b.summary ?? null, not_advice: b.not_advice ?? null, assumptions: b.assumptions ?? [],
    costs: b.costs ? flatten(b.costs) : null, test: table(methods), comparison: b.comparison ?? null, equity: image(EQUITY_PLOT),
  };
}

function walkForwardView(dir: string, rel: string, image: (n: string) => string | null) {
  const source = `${rel}${WALK_FORWARD_FILE}`;
  const r = parseReport(join(dir, WALK_FORWARD_FILE), source, walkForwardSchema);
  if (!r) return null;
  if ('error' in r) return { source, error: r.error };
  const { folds, summary, ...rest } = r.value;
  const objects = Object.entries(rest).filter(([, v]) => v && typeof v === 'object' && !Array.isArray(v)) as [string, Record<string, unknown>][];
  // method -> figure -> {mean | estimate, low, high}: the figures over all folds (walk_forward.json calls it `means`)
  const intervals = objects.find(([, v]) => isIntervalTable(v));
  const others = objects.filter(([k]) => k !== intervals?.[0]);
  return {
    source, summary: summary ?? null, not_advice: typeof rest.not_advice === 'string' ? rest.not_advice : null,
    method: typeof rest.method === 'string' ? rest.method : null,
    folds: table(folds.map((f, i) => ({ fold: i + 1, ...flatten(omit(f, 'metrics')) }))),
    // each fold's figures per method, when the folds carry them as `metrics: {method: {figure: number}}`
    fold_metrics: folds.some((f) => isNested(f.metrics))
      ? table(folds.flatMap((f, i) => Object.entries(f.metrics as Record<string, unknown>).map(([m, v]) => ({ fold: typeof f.fold === 'number' ? f.fold : i + 1, method: m, ...flatten(v, '', 1) }))))
      : null,
    intervals: intervals ? intervalTable(intervals[0], intervals[1] as Record<string, Record<string, Record<string, unknown>>>) : null,
    overall: others.length ? table(others.map(([k, v]) => ({ part: k, ...flatten(v) }))) : null,
    plot: image(WALK_FORWARD_PLOT),
  };
}

function omit(o: Record<string, unknown>, key: string): Record<string, unknown> {
  const { [key]: _drop, ...rest } = o;
  return rest;
}

/** An object of objects (method -> figures). */
function isNested(v: unknown): boolean {
  return !!v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).length > 0 && Object.values(v).every((x) => x && typeof x === 'object' && !Array.isArray(x));
}

const centre = (c: Record<string, unknown>) => (typeof c.mean === 'number' ? c.mean : typeof c.estimate === 'number' ? c.estimate : undefined);

/** method -> figure -> {mean or estimate, low, high}. */
function isIntervalTable(v: Record<string, unknown>): boolean {
  return isNested(v) && Object.values(v).every((m) => isNested(m) && Object.values(m as Record<string, Record<string, unknown>>).every((c) => centre(c) !== undefined || c.mean === null || c.estimate === null));
}

/** Rows per method, a column per figure, cells {estimate, low, high} (null where a method lacks the figure). */
function intervalTable(name: string, v: Record<string, Record<string, Record<string, unknown>>>) {
  const figures: string[] = [];
  for (const m of Object.values(v)) for (const f of Object.keys(m)) if (!figures.includes(f)) figures.push(f);
  const n = (x: unknown) => (typeof x === 'number' ? x : null);
  return {
    name, figures,
    rows: Object.entries(v).map(([method, m]) => ({
      method, cells: figures.map((f) => (m[f] ? { estimate: n(centre(m[f])), low: n(m[f].low), high: n(m[f].high) } : null)),
    })),
  };
}

/** Calibration figures of an evaluation report, when it has them (`calibration` by hour or by method). */
export function calibrationTable(report: unknown) {
  const c = (report as { calibration?: unknown } | null)?.calibration;
  if (!c || typeof c !== 'object') return null;
  const rows = Array.isArray(c)
    ? c.map((x, i) => flatten(x && typeof x === 'object' ? x : { value: x }, '', 3, { row: i + 1 }))
    : Object.entries(c as Record<string, unknown>).map(([k, v]) => flatten(v && typeof v === 'object' ? v : { value: v }, '', 3, { row: k }));
  return rows.length ? table(rows) : null;
}

/** The reports found in the run folder and its step folders (`dirs`), in folder order. */
export function runReports(runDir: string, prefix: string, dirs: readonly string[], evalReports: ReadonlyMap<string, unknown>) {
  const out = {
    calibration: [] as { dir: string; image: string | null; table: ReturnType<typeof calibrationTable> }[],
    backtests: [] as (NonNullable<ReturnType<typeof backtestView>> & { dir: string })[],
    walk_forward: [] as (NonNullable<ReturnType<typeof walkForwardView>> & { dir: string })[],
    forecasts: [] as { dir: string; path: string; bytes: number }[],
  };
  for (const d of ['', ...dirs]) {
    const dir = d ? join(runDir, d) : runDir;
    const rel = d ? `${d}/` : '';
    const image = (n: string) => (existsSync(join(dir, n)) ? `${prefix}${rel}${n}` : null);
    const cal = calibrationTable(evalReports.get(d) ?? null);
    const calImage = image(CALIBRATION_PLOT);
    if (cal || calImage) out.calibration.push({ dir: d, image: calImage, table: cal });
    const bt = backtestView(dir, rel, image);
    if (bt) out.backtests.push({ dir: d, ...bt });
    const wf = walkForwardView(dir, rel, image);
    if (wf) out.walk_forward.push({ dir: d, ...wf });
    if (existsSync(join(dir, FORECASTS_FILE))) {
      let bytes = 0;
      try {
        bytes = statSync(join(dir, FORECASTS_FILE)).size;
      } catch { /* went away */ }
      out.forecasts.push({ dir: d, path: `${prefix}${rel}${FORECASTS_FILE}`, bytes });
    }
  }
  return out;
}
