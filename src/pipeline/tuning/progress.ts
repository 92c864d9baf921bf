// What `pipeline tune` tells the user: one line per finished trial (number, state, value, best so far, key params,
// elapsed, ETA) and a summary at the end. Pure formatting: the step hands the lines to its reporter.
// Follows docs/tuning.md#the-tune-step.
import type { Distribution, ParamValue } from '../../tune/distributions.ts';
import type { FrozenTrial } from '../../tune/frozen-trial.ts';
import type { TuningProgress } from './run.ts';
import { buildTuningResults, safeImportances } from './tuning-outputs.ts';

/** Fewer COMPLETE trials than this make the importances unreliable (a warning is printed with them). */
export const RELIABLE_IMPORTANCE_TRIALS = 20;

/** 4 significant digits, integers and strings as they are. */
export function formatParam(v: ParamValue): string {
  if (typeof v !== 'number') return JSON.stringify(v);
  if (Number.isInteger(v) || !Number.isFinite(v)) return String(v);
  return Number(v.toPrecision(4)).toString();
}

export function formatParams(params: Record<string, ParamValue>): string {
  return Object.entries(params).map(([k, v]) => `${k}=${formatParam(v)}`).join(' ');
}

/** An objective value: integers (parameter counts) as they are, others to 4 decimals. */
function formatValue(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(4);
}

/** 75 -> "1m15s", 3725 -> "1h02m", 9 -> "9s". */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '-';
  const r = Math.round(s);
  if (r < 60) return `${r}s`;
  if (r < 3600) return `${Math.floor(r / 60)}m${String(r % 60).padStart(2, '0')}s`;
  return `${Math.floor(r / 3600)}h${String(Math.floor((r % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * `trial 3 COMPLETE value 1.2345 (best 1.2001) lr=0.0012 n_layers=3 | 42s | 4/10, ETA 4m12s`; the ETA is the run's
 * wall time per finished trial so far (concurrent trials included) times the trials left.
 */
export function trialLine(p: TuningProgress, runSeconds: number): string {
  const t = p.trial;
  const v = t.values && t.values.length > 0 ? t.values[0] : null;
  const value = v === null ? '' : t.values!.length > 1 ? ` values ${t.values!.map(formatValue).join(', ')}` : ` value ${v.toFixed(4)}`;
  const best = p.bestValue === null ? '' : ` (best ${p.bestValue.toFixed(4)})`;
  const elapsed = t.durationSeconds === null ? '-' : formatSeconds(t.durationSeconds);
  const left = Math.max(0, p.target - p.finished);
  const eta = left === 0 ? 'done' : `ETA ${formatSeconds((runSeconds / Math.max(1, p.finished)) * left)}`;
  // only what was searched: parameters fixed to one value add nothing to the line
  const searched = Object.fromEntries(Object.entries(t.params).filter(([k]) => !t.distributions[k]?.single()));
  return `trial ${t.number} ${t.state}${value}${best} ${formatParams(searched)} | ${elapsed} | ${p.finished}/${p.target}, ${eta}`;
}

/**
 * The end-of-run summary: best value and params, counts by state, top importances (with a warning), where the outputs
 * are. With outputDir null (`tune show` of any study) the run's time, stop reason and outputs are left out.
 */
export function summaryLines(r: ReturnType<typeof buildTuningResults>, outputDir: string | null, top = 5): string[] {
  const n = r.n_trials;
  const lines = [
    `study "${r.study_name}": ${n.total} trials (${n.complete} complete, ${n.pruned} pruned, ${n.failed} failed${n.running ? `, ${n.running} running` : ''})` +
      (outputDir === null ? '' : `; this run ${formatSeconds(r.timing.elapsed_seconds)}, stopped by ${r.timing.stopped_by.replace('_', ' ')}`),
  ];
  if (r.best_trial) lines.push(`best: trial ${r.best_trial.number} value ${Number(r.best_trial.value).toFixed(4)} ${formatParams(r.best_trial.params as Record<string, ParamValue>)}`);
  else lines.push('best: none (no trial completed)');
  if (r.pareto_front && r.objectives) {
    lines.push(`Pareto front (${r.objectives.join(', ')}): ${r.pareto_front.length} trial${r.pareto_front.length === 1 ? '' : 's'}; best above = lowest ${r.objectives[0]}`);
    for (const t of r.pareto_front) lines.push(`  trial ${t.number}: ${t.values.map((x) => formatValue(Number(x))).join(', ')} ${formatParams(t.params as Record<string, ParamValue>)}`);
  }
  if (r.param_importances) {
    const ranked = Object.entries(r.param_importances).sort((a, b) => b[1] - a[1]).slice(0, top);
    lines.push(`importance: ${ranked.map(([k, x]) => `${k} ${x.toFixed(2)}`).join(', ')}` +
      (n.complete < RELIABLE_IMPORTANCE_TRIALS ? ` (only ${n.complete} complete trials: unreliable below ${RELIABLE_IMPORTANCE_TRIALS})` : ''));
  } else if (r.param_importances_error) lines.push(`importance: not computed (${r.param_importances_error})`);
  if (outputDir !== null) lines.push(`outputs: ${outputDir} (tuning_results.json, trials_history.json, charts)`);
  return lines;
}

/** summaryLines for any single-objective study (as `tokcast tune show` prints it). */
export function studySummaryLines(studyName: string, direction: 'minimize' | 'maximize', trials: readonly FrozenTrial[]): string[] {
  const space: Record<string, Distribution> = {};
  for (const t of trials) Object.assign(space, t.distributions);
  const times = trials.flatMap((t) => [t.datetimeStart, t.datetimeComplete]).filter((d): d is Date => d !== null).map((d) => d.getTime());
  const { importances, error } = safeImportances(trials);
  const r = buildTuningResults(trials, {
    studyName, direction, searchSpace: space, startedAt: new Date(times.length ? Math.min(...times) : 0),
    finishedAt: new Date(times.length ? Math.max(...times) : 0), stoppedBy: 'num_trials', settings: {},
  }, importances, error);
  return summaryLines(r, null);
}
