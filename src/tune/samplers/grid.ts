// Grid search: every combination of the given values once, in random order, then stop (Optuna's GridSampler).
// Follows optuna/samplers/_grid.py: grid_id/search_space system attributes, unvisited-first choice, RUNNING counts as taken.
import { UserError } from '../../util/errors.ts';
import type { CategoricalChoice, Distribution, ParamValue } from '../distributions.ts';
import { isFinished, type FrozenTrial, type JsonValue } from '../frozen-trial.ts';
import { randomSeed, trialRng, type Sampler, type StudyView } from './sampler.ts';

/** Samples the cartesian product of `searchSpace` values; each trial gets one grid point (system attr grid_id). */
export class GridSampler implements Sampler {
  private readonly names: string[];
  private readonly grid: CategoricalChoice[][];
  private readonly spaceJson: string;
  private readonly seed: number;

  /** Throws UserError for an empty value list or a non-JSON value. */
  constructor(searchSpace: Record<string, readonly CategoricalChoice[]>, opts: { seed?: number } = {}) {
    this.names = Object.keys(searchSpace).sort();
    for (const n of this.names) {
      const vs = searchSpace[n];
      if (!Array.isArray(vs) || vs.length === 0) throw new UserError(`GridSampler: "${n}" needs a non-empty list of values`);
      for (const v of vs) if (!(v === null || ['number', 'string', 'boolean'].includes(typeof v))) throw new UserError(`GridSampler: "${n}" has a non-JSON value ${String(v)}`);
    }
    let grid: CategoricalChoice[][] = [[]];
    for (const n of this.names) grid = grid.flatMap((g) => searchSpace[n].map((v) => [...g, v]));
    this.grid = grid;
    this.spaceJson = JSON.stringify(Object.fromEntries(this.names.map((n) => [n, searchSpace[n]])));
    this.seed = opts.seed ?? randomSeed();
  }

  get size(): number {
    return this.grid.length;
  }

  private gridIds(study: StudyView): { visited: Set<number>; running: Set<number> } {
    const visited = new Set<number>(), running = new Set<number>();
    for (const t of study.trials) {
      const id = t.systemAttrs.grid_id;
      if (typeof id !== 'number' || JSON.stringify(t.systemAttrs.search_space) !== this.spaceJson) continue;
      if (isFinished(t.state)) visited.add(id);
      else if (t.state === 'RUNNING') running.add(id);
    }
    return { visited, running };
  }

  beforeTrial(study: StudyView, trial: FrozenTrial): Record<string, JsonValue> | void {
    if ('grid_id' in trial.systemAttrs || 'fixed_params' in trial.systemAttrs) return;
    const { visited, running } = this.gridIds(study);
    let ids = this.grid.map((_, i) => i).filter((i) => !visited.has(i) && !running.has(i));
    if (ids.length === 0) ids = this.grid.map((_, i) => i).filter((i) => !visited.has(i));
    if (ids.length === 0) ids = this.grid.map((_, i) => i);
    return { grid_id: ids[trialRng(this.seed, study, trial, 'grid').int(ids.length)], search_space: JSON.parse(this.spaceJson) };
  }

  inferRelativeSearchSpace(): Record<string, Distribution> {
    return {};
  }

  sampleRelative(): Record<string, ParamValue> {
    return {};
  }

  sampleIndependent(_study: StudyView, trial: FrozenTrial, paramName: string, distribution: Distribution): ParamValue {
    const k = this.names.indexOf(paramName);
    if (k < 0) throw new UserError(`GridSampler: parameter "${paramName}" is not in the grid (${this.names.join(', ')})`);
    const id = trial.systemAttrs.grid_id;
    if (typeof id !== 'number') throw new UserError('GridSampler: trial has no grid_id (was it created by this sampler?)');
    const v = this.grid[id][k];
    if (!distribution.contains(distribution.toInternal(v))) throw new UserError(`GridSampler: grid value ${JSON.stringify(v)} of "${paramName}" is outside ${JSON.stringify(distribution.toJSON())}`);
    return v;
  }

  isExhausted(study: StudyView): boolean {
    return this.gridIds(study).visited.size >= this.grid.length;
  }
}
