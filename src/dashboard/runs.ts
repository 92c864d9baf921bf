// What the run pages show, read from an artifacts folder: the runs in it (the folder itself when it holds step
// folders, else each sub-folder that does), each run's profile (run.json) and steps with their state, training
// curves per epoch (history.json, rewritten after every epoch), evaluation reports, and pretraining statistics.
// Nothing here writes; a malformed file becomes an `error` entry naming the file, never a failed page.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { trainingCurvesSpec, type CurvePoint } from '../plots/specs/training.ts';
import { accuracyByHourSpec, confusionSpec } from '../plots/specs/evaluation.ts';
import type { EvaluationReport } from '../evaluate/report.ts';
import type { Spec } from '../plots/render.ts';
import { learningRateSpec } from './run-specs.ts';
import { readJsonFile } from './json-file.ts';
import { runReports } from './run-reports.ts';

export { readJsonFile };

/** The id of the run that is the artifacts folder itself. */
export const ROOT_RUN = '_';
const STEP_DIR = /^step_\d+[a-z]?_[a-z0-9_]+$/;
const RUN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const IMAGE = /\.(png|svg)$/i;

export interface RunRef { id: string; name: string; dir: string }

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function stepDirs(dir: string): string[] {
  try {
    return readdirSync(dir).filter((n) => STEP_DIR.test(n) && isDir(join(dir, n))).sort();
  } catch {
    return [];
  }
}

/** Runs nested in a run's step folders (walk-forward's `step_10_walk_forward/fold_1`, ...), id `<step>.<folder>`. */
function nestedRuns(run: RunRef): RunRef[] {
  const out: RunRef[] = [];
  for (const step of stepDirs(run.dir)) {
    let names: string[] = [];
    try {
      names = readdirSync(join(run.dir, step)).sort();
    } catch { /* gone */ }
    for (const n of names) {
      const d = join(run.dir, step, n);
      if (!RUN_NAME.test(n) || STEP_DIR.test(n) || !isDir(d) || stepDirs(d).length === 0) continue;
      out.push({ id: `${run.id === ROOT_RUN ? '' : `${run.id}.`}${step}.${n}`, name: `${run.name} / ${step} / ${n}`, dir: d });
    }
  }
  return out;
}

/**
 * The runs under `root`: itself (id '_') when it has step folders, each sub-folder with step folders, and the runs
 * nested in their step folders (the folds of a walk-forward).
 */
export function discoverRuns(root: string): RunRef[] {
  if (!isDir(root)) return [];
  const top: RunRef[] = [];
  if (stepDirs(root).length > 0 || existsSync(join(root, 'run.json'))) top.push({ id: ROOT_RUN, name: basename(root), dir: root });
  for (const n of readdirSync(root).sort()) {
    if (!RUN_NAME.test(n) || STEP_DIR.test(n)) continue;
    const d = join(root, n);
    if (isDir(d) && (stepDirs(d).length > 0 || existsSync(join(d, 'run.json')))) top.push({ id: n, name: n, dir: d });
  }
  return top.flatMap((r) => [r, ...nestedRuns(r)]);
}

/** Long arrays become a count so the step table stays small. */
function trim(v: unknown, depth = 0): unknown {
  if (Array.isArray(v)) return v.length > 12 ? `[${v.length} items]` : v.map((x) => trim(x, depth + 1));
  if (v && typeof v === 'object') {
    if (depth > 3) return '{…}';
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, trim(x, depth + 1)]));
  }
  return v;
}

function mtime(p: string): number | null {
  try {
    return statSync(p).mtimeMs;
  } catch {
    return null;
  }
}

export type StepState = 'done' | 'running' | 'incomplete' | 'invalid';

/** One step folder of a run. */
export function stepInfo(runDir: string, runPrefix: string, dirName: string) {
  const dir = join(runDir, dirName);
  const files = readdirSync(dir).filter((n) => !n.startsWith('.')).sort();
  const artName = files.find((n) => n.endsWith('_artifact.json'));
  const images = files.filter((n) => IMAGE.test(n)).map((n) => `${runPrefix}${dirName}/${n}`);
  const base = { dir: dirName, step: dirName.replace(/^step_\d+[a-z]?_/, ''), files, images };
  const hist = mtime(join(dir, 'history.json'));
  if (!artName) return { ...base, state: (hist !== null ? 'running' : 'incomplete') as StepState, artifact: null, error: null };
  const art = readJsonFile(join(dir, artName), `${dirName}/${artName}`);
  if (!art || 'error' in art) return { ...base, state: 'invalid' as StepState, artifact: null, error: art ? art.error : null };
  const a = art.value as Record<string, unknown>;
  if (!a || typeof a !== 'object' || Array.isArray(a) || typeof a.step !== 'string') {
    return { ...base, state: 'invalid' as StepState, artifact: null, error: `${dirName}/${artName}: not a step artifact (expected an object with "step")` };
  }
  const artTime = mtime(join(dir, artName));
  // history.json newer than the artifact: a resumed or rerun training is writing epochs, unless the artifact already
  // accounts for every epoch in it (files copied or touched later)
  let state: StepState = hist !== null && artTime !== null && hist > artTime + 1 ? 'running' : 'done';
  const epochsRun = (a.stats as { epochs_run?: unknown } | undefined)?.epochs_run;
  if (state === 'running' && typeof epochsRun === 'number') {
    const h = readJsonFile(join(dir, 'history.json'), 'history.json');
    if (h && 'value' in h && Array.isArray(h.value) && h.value.length === epochsRun) state = 'done';
  }
  const timings = (a.timings ?? {}) as Record<string, unknown>;
  return {
    ...base, state, error: null,
    artifact: {
      step: a.step, created_at: a.created_at ?? null, config_hash: a.config_hash ?? null, seed: a.seed ?? null,
      seconds: typeof timings.seconds === 'number' ? timings.seconds : null, inputs: a.inputs ?? [], stats: trim(a.stats ?? {}),
    },
  };
}

function isCurvePoint(x: unknown): x is CurvePoint & { lr: number } {
  const r = x as Record<string, unknown>;
  return !!r && typeof r === 'object' && typeof r.epoch === 'number';
}

function training(runDir: string, dirName: string) {
  const label = `${dirName}/history.json`;
  const h = readJsonFile(join(runDir, dirName, 'history.json'), label);
  if (!h) return null;
  if ('error' in h) return { source: label, error: h.error };
  if (!Array.isArray(h.value) || !h.value.every(isCurvePoint)) return { source: label, error: `${label}: expected an array of epoch records with a numeric "epoch"` };
  const epochs = h.value as (CurvePoint & { lr: number })[];
  const specs: Record<string, Spec> = { curves: trainingCurvesSpec(epochs, 'Training') };
  if (epochs.some((e) => typeof e.lr === 'number')) specs.lr = learningRateSpec(epochs);
  return { source: label, epochs, specs };
}

/** What the evaluate step writes (older name first). */
const EVAL_FILES = ['eval_results.json', 'evaluation_results.json'];
const evalFile = (runDir: string, dirName: string) => EVAL_FILES.find((n) => existsSync(join(runDir, dirName, n)));

/** Per-hour figures of a method besides accuracy (log loss, Brier score, calibration error, ...), by name. */
function byHour(m: Record<string, unknown>): Record<string, (number | null)[]> {
  const out: Record<string, (number | null)[]> = {};
  for (const [k, v] of Object.entries(m)) {
    if (k === 'accuracy_by_hour' || !k.endsWith('_by_hour') || !Array.isArray(v)) continue;
    if (v.every((x) => x === null || typeof x === 'number')) out[k.replace(/_by_hour$/, '')] = v as (number | null)[];
    else if (v.every((x) => x && typeof (x as { estimate?: unknown }).estimate === 'number')) out[k.replace(/_by_hour$/, '')] = v.map((x) => (x as { estimate: number }).estimate);
  }
  return out;
}

function evaluation(runDir: string, dirName: string) {
  const name = evalFile(runDir, dirName) ?? EVAL_FILES[0];
  const label = `${dirName}/${name}`;
  const r = readJsonFile(join(runDir, dirName, name), label);
  if (!r) return null;
  if ('error' in r) return { source: label, error: r.error };
  const rep = r.value as Partial<EvaluationReport>;
  if (!rep || typeof rep !== 'object' || !rep.methods || typeof rep.methods !== 'object') return { source: label, error: `${label}: expected an evaluation report with "methods"` };
  try {
    const methods = Object.entries(rep.methods).map(([name, m]) => ({
      name, mean_accuracy: m.mean_accuracy, sequence_accuracy: m.sequence_accuracy,
      accuracy_by_hour: m.accuracy_by_hour.map((a) => ({ estimate: a.estimate, low: a.low, high: a.high })),
      by_hour: byHour(m as unknown as Record<string, unknown>),
    }));
    const specs: Record<string, Spec> = { accuracy: accuracyByHourSpec(rep as EvaluationReport, 'Accuracy by forecast hour') };
    const model = rep.methods.model ?? Object.values(rep.methods)[0];
    if (model?.confusion) specs.confusion = confusionSpec(model.confusion, 'Model confusion matrices (rows: true, columns: predicted)');
    const headline = (rep as { headline?: Record<string, unknown> }).headline;
    return {
      source: label, n_windows: rep.n_windows ?? null, horizon: rep.horizon ?? null, summary: rep.summary ?? null, methods, comparison: rep.comparison ?? [], specs,
      // the headline figures (split, hour 1 against the baselines chosen on validation) as the report states them
      headline: headline && typeof headline === 'object' ? headline : null,
    };
  } catch (e) {
    return { source: label, error: `${label}: unexpected report shape (${(e as Error).message})` };
  }
}

function extraJson(runDir: string, dirName: string, names: string[]) {
  const out: { source: string; value?: unknown; error?: string }[] = [];
  for (const n of names) {
    const label = `${dirName}/${n}`;
    const r = readJsonFile(join(runDir, dirName, n), label);
    if (r) out.push('error' in r ? { source: label, error: r.error } : { source: label, value: trim(r.value) });
  }
  return out;
}

/** Everything the run page shows. */
export function runDetail(run: RunRef) {
  // file paths are relative to the run's own folder, as /api/runs/:run/file takes them
  const prefix = '';
  const dirs = stepDirs(run.dir);
  const steps = dirs.map((d) => {
    try {
      return stepInfo(run.dir, prefix, d);
    } catch (e) {
      return { dir: d, step: d, files: [], images: [], state: 'invalid' as StepState, artifact: null, error: `${d}: ${(e as Error).message}` };
    }
  });
  const profile = readJsonFile(join(run.dir, 'run.json'), 'run.json');
  const trainDir = dirs.find((d) => existsSync(join(run.dir, d, 'history.json')));
  const evalDirs = dirs.filter((d) => evalFile(run.dir, d) !== undefined);
  const evals = evalDirs.map((d) => ({ dir: d, ...evaluation(run.dir, d)! }));
  const evalReports = new Map<string, unknown>();
  for (const d of evalDirs) {
    const r = readJsonFile(join(run.dir, d, evalFile(run.dir, d)!), d);
    if (r && 'value' in r) evalReports.set(d, r.value);
  }
  const pre = dirs.find((d) => /pretrain/.test(d));
  return {
    id: run.id, name: run.name,
    profile: profile === null ? null : 'error' in profile ? { error: profile.error } : { value: profile.value },
    steps,
    training: trainDir ? training(run.dir, trainDir) : null,
    training_state: trainDir ? steps.find((s) => s.dir === trainDir)!.state : null,
    evaluations: evals,
    pretraining: pre ? { dir: pre, files: extraJson(run.dir, pre, ['synthetic_data_stats.json', 'market_params.json']) } : null,
    reports: runReports(run.dir, prefix, dirs, evalReports),
  };
}

/** A short row for the runs list. */
export function runSummary(run: RunRef) {
  const d = runDetail(run);
  const last = d.steps.map((s) => s.artifact?.created_at).filter((x): x is string => typeof x === 'string').sort().pop() ?? null;
  return {
    id: d.id, name: d.name, n_steps: d.steps.length,
    states: d.steps.reduce<Record<string, number>>((m, s) => ((m[s.state] = (m[s.state] ?? 0) + 1), m), {}),
    last_activity: last, training_state: d.training_state,
    epochs: d.training && 'epochs' in d.training ? d.training.epochs!.length : null,
    has_evaluation: d.evaluations.length > 0,
    reports: [d.reports.calibration.length && 'calibration', d.reports.backtests.length && 'backtest', d.reports.walk_forward.length && 'walk-forward',
      d.reports.forecasts.length && 'forecasts'].filter((x): x is string => typeof x === 'string'),
  };
}

/** Text that changes when any file of the run (step folders one level deep, run.json) changes. */
export function runSignature(run: RunRef): string {
  const parts: string[] = [];
  const add = (p: string) => {
    try {
      const s = statSync(p);
      parts.push(`${p}:${s.size}:${s.mtimeMs}`);
    } catch { /* gone */ }
  };
  add(join(run.dir, 'run.json'));
  for (const d of stepDirs(run.dir)) {
    let names: string[] = [];
    try {
      names = readdirSync(join(run.dir, d));
    } catch { /* gone */ }
    for (const n of names.sort()) if (!n.startsWith('.')) add(join(run.dir, d, n));
  }
  return parts.join('|');
}
