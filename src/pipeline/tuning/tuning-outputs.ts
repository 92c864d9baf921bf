// The files a tuning run leaves behind: trials_history.json, tuning_results.json and the three PNG charts.
// JSON follows the conventions of the Optuna fixtures in test/fixtures/hpo (non-finite numbers as "nan"/"inf"/"-inf", intermediate values keyed by step).
import { basename, join } from 'node:path';
import type { FrozenTrial, StudyDirection } from '../../tune/frozen-trial.ts';
import { distributionToJson, type Distribution, type DistributionJson, type ParamValue } from '../../tune/distributions.ts';
import { getParamImportances } from '../../tune/importance/param-importances.ts';
import { writeJsonAtomic } from '../../util/fs.ts';
import { paretoFront } from '../../tune/pareto.ts';
import { renderPng, type Spec } from '../../plots/render.ts';
import { tuningHistorySpec } from '../../plots/specs/tuning-history.ts';
import { paramImportanceSpec } from '../../plots/specs/tuning-importance.ts';
import { intermediateValuesSpec } from '../../plots/specs/tuning-intermediate.ts';

/** A JSON number, with non-finite values spelled as strings. */
export type JsonNumber = number | 'nan' | 'inf' | '-inf';

/** One entry of trials_history.json. */
/** Why a tuning run stopped starting trials. */
export type StoppedBy = 'num_trials' | 'max_trials' | 'timeout' | 'interrupted' | 'error';

export interface TrialRecord {
  number: number;
  state: string;
  /** objective value (COMPLETE) or the last intermediate value (PRUNED), else null */
  value: JsonNumber | null;
  params: Record<string, ParamValue>;
  /** step -> reported validation loss */
  intermediate_values: Record<string, JsonNumber>;
  datetime_start: string | null;
  datetime_complete: string | null;
  duration_seconds: number | null;
  user_attrs: Record<string, unknown>;
  /** every objective's value, only in multi-objective studies (value = the first) */
  values?: JsonNumber[];
}

/** Run-level facts that tuning_results.json records next to the trials. */
export interface TuningSummaryInput {
  studyName: string;
  direction: StudyDirection;
  searchSpace: Record<string, Distribution>;
  startedAt: Date;
  finishedAt: Date;
  /** why the loop stopped */
  stoppedBy: StoppedBy;
  settings: Record<string, unknown>;
  /** objective names (several: a multi-objective study, all minimised); best_trial is the lowest first objective */
  objectives?: string[];
  /** forest seed for the importance chart */
  importanceSeed?: number;
}

export function jsonNumber(v: number): JsonNumber {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return v;
}

/** trials_history.json entry of a trial. */
export function trialRecord(t: FrozenTrial): TrialRecord {
  const iv: Record<string, JsonNumber> = {};
  for (const [step, v] of [...t.intermediateValues.entries()].sort((a, b) => a[0] - b[0])) iv[String(step)] = jsonNumber(v);
  const value = t.values && t.values.length > 0 ? t.values[0] : null;
  return {
    number: t.number,
    state: t.state,
    value: value === null ? null : jsonNumber(value),
    params: { ...t.params },
    intermediate_values: iv,
    datetime_start: t.datetimeStart?.toISOString() ?? null,
    datetime_complete: t.datetimeComplete?.toISOString() ?? null,
    duration_seconds: t.durationSeconds,
    user_attrs: { ...t.userAttrs },
    ...(t.values && t.values.length > 1 ? { values: t.values.map(jsonNumber) } : {}),
  };
}

/** The COMPLETE trial with the best finite value (first one on ties), or null. */
export function bestTrial(trials: readonly FrozenTrial[], direction: StudyDirection): FrozenTrial | null {
  let best: FrozenTrial | null = null;
  for (const t of [...trials].sort((a, b) => a.number - b.number)) {
    const v = t.state === 'COMPLETE' && t.values ? t.values[0] : NaN;
    if (Number.isNaN(v)) continue;
    const bv = best ? best.values![0] : NaN;
    if (best === null || (direction === 'minimize' ? v < bv : v > bv)) best = t;
  }
  return best;
}

/** Importances of the COMPLETE trials, or the reason they cannot be computed. */
export function safeImportances(trials: readonly FrozenTrial[], seed = 0): { importances: Record<string, number> | null; error: string | null } {
  try {
    return { importances: getParamImportances(trials, { seed }), error: null };
  } catch (e) {
    return { importances: null, error: (e as Error).message };
  }
}

/** The content of tuning_results.json. */
export function buildTuningResults(trials: readonly FrozenTrial[], s: TuningSummaryInput, importances: Record<string, number> | null, importanceError: string | null) {
  const count = (state: string) => trials.filter((t) => t.state === state).length;
  const best = bestTrial(trials, s.direction);
  const durations = trials.map((t) => t.durationSeconds).filter((d): d is number => d !== null);
  const space: Record<string, DistributionJson> = {};
  for (const [k, d] of Object.entries(s.searchSpace)) space[k] = distributionToJson(d);
  return {
    study_name: s.studyName,
    direction: s.direction,
    best_trial: best ? { number: best.number, value: jsonNumber(best.values![0]), params: { ...best.params } } : null,
    best_value: best ? jsonNumber(best.values![0]) : null,
    best_params: best ? { ...best.params } : null,
    n_trials: { total: trials.length, complete: count('COMPLETE'), pruned: count('PRUNED'), failed: count('FAIL'), running: count('RUNNING') + count('WAITING') },
    timing: {
      started_at: s.startedAt.toISOString(),
      finished_at: s.finishedAt.toISOString(),
      elapsed_seconds: (s.finishedAt.getTime() - s.startedAt.getTime()) / 1000,
      mean_trial_seconds: durations.length > 0 ? durations.reduce((a, b) => a + b, 0) / durations.length : null,
      stopped_by: s.stoppedBy,
    },
    settings: s.settings,
    search_space: space,
    param_importances: importances,
    param_importances_error: importanceError,
    ...(s.objectives && s.objectives.length > 1 ? {
      objectives: s.objectives,
      // Optuna's study.best_trials: the trials no other COMPLETE trial beats on every objective
      pareto_front: paretoFront(trials, s.objectives.map(() => 'minimize' as const))
        .map((t) => ({ number: t.number, values: t.values!.map(jsonNumber), params: { ...t.params } })),
    } : {}),
  };
}

/** Chart specs of a study: optimisation history, importances, learning curves. */
export function tuningSpecs(trials: readonly FrozenTrial[], direction: StudyDirection, importances: Record<string, number> | null, importanceError: string | null): Record<string, Spec> {
  const hist = trials.map((t) => {
    const v = t.values && t.values.length > 0 ? t.values[0] : null;
    return { number: t.number, state: t.state, value: v };
  });
  const curves = trials.map((t) => ({ number: t.number, state: t.state, intermediate: [...t.intermediateValues.entries()] }));
  const importanceTitle = importances ? 'Hyperparameter importance (fANOVA)' : `Hyperparameter importance unavailable: ${importanceError ?? 'no data'}`;
  return {
    'tuning_history.png': tuningHistorySpec(hist, direction),
    'param_importance.png': paramImportanceSpec(importances ?? {}, importanceTitle),
    'intermediate_values.png': intermediateValuesSpec(curves),
  };
}

/** Writes trials_history.json, tuning_results.json (both atomic) and the PNG charts into `outputDir`; returns the paths written. */
export async function writeTuningOutputs(outputDir: string, trials: readonly FrozenTrial[], s: TuningSummaryInput): Promise<{ files: string[]; results: ReturnType<typeof buildTuningResults> }> {
  const sorted = [...trials].sort((a, b) => a.number - b.number);
  const { importances, error } = safeImportances(sorted, s.importanceSeed ?? 0);
  const files: string[] = [];
  const historyPath = join(outputDir, 'trials_history.json');
  writeJsonAtomic(historyPath, { study_name: s.studyName, direction: s.direction, trials: sorted.map(trialRecord) });
  files.push(historyPath);
  for (const [name, spec] of Object.entries(tuningSpecs(sorted, s.direction, importances, error))) {
    files.push(await renderPng(spec, join(outputDir, name)));
  }
  const results = buildTuningResults(sorted, s, importances, error);
  const resultsPath = join(outputDir, 'tuning_results.json');
  writeJsonAtomic(resultsPath, { ...results, files: [...files.map((f) => basename(f)), 'tuning_results.json'] });
  files.push(resultsPath);
  return { files, results };
}
