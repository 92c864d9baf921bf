// Which trials and parameters an importance evaluator sees, and how parameters become forest columns.
// Follows optuna/importance/_base.py (_get_distributions, _get_filtered_trials) and _SearchSpaceTransform without log/step transforms.
import { distributionsEqual, type Distribution, type ParamValue } from '../distributions.ts';
import { UserError } from '../../util/errors.ts';

/** The part of a finished trial that importance needs (B's FrozenTrial satisfies it). */
export interface ImportanceTrial {
  readonly number?: number;
  /** 'COMPLETE' | 'PRUNED' | 'FAIL' | 'RUNNING' | 'WAITING' */
  readonly state: string;
  readonly value?: number | null;
  /** parameter values in the external representation (the choice itself for categoricals) */
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly distributions: Readonly<Record<string, Distribution>>;
}

/** Maps a trial to the number whose variation is explained (default: its value). */
export type ImportanceTarget = (trial: ImportanceTrial) => number;

/** The trials and search space after Optuna's filtering rules. */
export interface ImportanceData {
  /** evaluated parameters sorted by name, with their distributions */
  distributions: [string, Distribution][];
  /** COMPLETE trials with a finite target that contain every evaluated parameter */
  trials: ImportanceTrial[];
  /** target of each kept trial */
  y: Float64Array;
}

function isComplete(t: ImportanceTrial): boolean {
  return String(t.state).toUpperCase() === 'COMPLETE';
}

/** Intersection of the distributions of COMPLETE trials: a name survives only if every such trial has it with an identical distribution. */
export function intersectionSearchSpace(trials: readonly ImportanceTrial[]): Map<string, Distribution> {
  let space: Map<string, Distribution> | null = null;
  for (const t of trials) {
    if (!isComplete(t)) continue;
    if (space === null) {
      space = new Map(Object.entries(t.distributions));
      continue;
    }
    for (const [name, d] of space) {
      const other = t.distributions[name];
      if (other === undefined || !distributionsEqual(other, d)) space.delete(name);
    }
  }
  return space ?? new Map();
}

/**
 * Applies Optuna's rules: parameters = `params` or the intersection space of COMPLETE trials, sorted by name;
 * trials = COMPLETE ones with a finite target holding every parameter. Throws UserError with fewer than 2 COMPLETE trials,
 * when no COMPLETE trial has all of `params`, or when `params` have differing distributions across trials.
 */
export function collectImportanceData(trials: readonly ImportanceTrial[], params?: readonly string[], target?: ImportanceTarget): ImportanceData {
  const complete = trials.filter(isComplete);
  if (complete.length === 0) throw new UserError('parameter importance: no COMPLETE trials to evaluate');
  if (complete.length === 1) throw new UserError('parameter importance: only one COMPLETE trial; at least 2 needed');
  let space: Map<string, Distribution>;
  if (params === undefined) {
    space = intersectionSearchSpace(complete);
  } else {
    space = new Map();
    let found = params.length === 0;
    for (const t of complete) {
      if (!params.every((p) => p in t.distributions)) continue;
      if (!found) {
        for (const p of params) space.set(p, t.distributions[p]);
        found = true;
        continue;
      }
      for (const [name, d] of space) {
        if (!distributionsEqual(t.distributions[name], d)) {
          throw new UserError(`parameter importance: parameter "${name}" has different distributions across trials; importance cannot be assessed for a dynamic search space when params are given`);
        }
      }
    }
    if (!found) throw new UserError(`parameter importance: no COMPLETE trial has all of the parameters ${JSON.stringify(params)}`);
  }
  const distributions = [...space.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const names = distributions.map(([n]) => n);
  const kept: ImportanceTrial[] = [];
  const ys: number[] = [];
  for (const t of complete) {
    if (!names.every((n) => n in t.params)) continue;
    const v = target ? target(t) : valueOf(t);
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    kept.push(t);
    ys.push(v);
  }
  return { distributions, trials: kept, y: Float64Array.from(ys) };
}

function valueOf(t: ImportanceTrial): number | null | undefined {
  try {
    return t.value;
  } catch {
    throw new UserError('parameter importance: trials have several objective values; pass a target (e.g. t => t.values[0])');
  }
}

/** Encoded design matrix: one raw-valued column per numeric parameter, one 0/1 column per categorical choice. */
export interface EncodedSpace {
  /** rows = trials, columns = encoded columns */
  X: Float64Array[];
  /** [low, high] per encoded column: the distribution's raw bounds (even for log), [0, 1] for one-hot columns */
  bounds: [number, number][];
  /** encoded column indices of each parameter, in parameter order */
  columnsOf: number[][];
}

/** Encodes trials over the given (ordered) distributions; no log or step transform, as Optuna's importance code does. */
export function encodeTrials(trials: readonly ImportanceTrial[], distributions: readonly [string, Distribution][]): EncodedSpace {
  const bounds: [number, number][] = [];
  const columnsOf: number[][] = [];
  for (const [, d] of distributions) {
    const cols: number[] = [];
    if (d.kind === 'categorical') {
      for (let i = 0; i < d.choices.length; i++) { cols.push(bounds.length); bounds.push([0, 1]); }
    } else {
      cols.push(bounds.length);
      bounds.push([d.low, d.high]);
    }
    columnsOf.push(cols);
  }
  const X = trials.map((t) => {
    const row = new Float64Array(bounds.length);
    distributions.forEach(([name, d], p) => {
      const internal = d.toInternal(t.params[name]);
      if (d.kind === 'categorical') row[columnsOf[p][internal]] = 1;
      else row[columnsOf[p][0]] = internal;
    });
    return row;
  });
  return { X, bounds, columnsOf };
}
