// The Sampler interface (relative + independent sampling, as optuna/samplers/_base.py) and the search-space helpers TPE uses.
// Follows optuna/search_space/intersection.py and group_decomposed.py.
import { distributionsEqual, type Distribution, type ParamValue } from '../distributions.ts';
import type { FrozenTrial, JsonValue, StudyDirection, TrialState } from '../frozen-trial.ts';
import { Rng } from '../../util/rng.ts';

/** What a sampler may read about the study: a snapshot taken when the trial was asked for. */
export interface StudyView {
  readonly studyName: string;
  readonly directions: readonly StudyDirection[];
  /** Every trial of the study ordered by number, including the one being sampled (as RUNNING). Must not be mutated. */
  readonly trials: readonly FrozenTrial[];
}

/**
 * Proposes parameter values. Contract: samplers are deterministic given their seed and the trials they are shown;
 * they never write to storage and never print. `sampleRelative` returns external values for (a subset of) the space it
 * was given; parameters it omits fall back to `sampleIndependent`, which must return a value contained in `distribution`.
 * Single-point distributions never reach a sampler. Errors thrown propagate to the caller of ask()/suggest*().
 */
export interface Sampler {
  inferRelativeSearchSpace(study: StudyView, trial: FrozenTrial): Record<string, Distribution>;
  sampleRelative(study: StudyView, trial: FrozenTrial, searchSpace: Record<string, Distribution>): Record<string, ParamValue>;
  sampleIndependent(study: StudyView, trial: FrozenTrial, paramName: string, distribution: Distribution): ParamValue;
  /** Called by ask() before any sampling; returns system attributes to store on the trial (visible to later calls). */
  beforeTrial?(study: StudyView, trial: FrozenTrial): Record<string, JsonValue> | void;
  /** Called when a trial finishes (tell), with its final state and values. */
  afterTrial?(study: StudyView, trial: FrozenTrial, state: TrialState, values: number[] | null): void;
  /** When true, a trial stores its relative params as system attr `tpe:relative_params` (constant liar reads them, Optuna 4.5+). */
  readonly publishesRelativeParams?: boolean;
  /** When defined and true after a trial, optimize() stops starting trials (a finite sampler ran out, e.g. a full grid). */
  isExhausted?(study: StudyView): boolean;
}

/** A seed for a sampler built without one (each such sampler gets its own). */
export function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 32);
}

/**
 * The random stream of one draw (`label`) of one trial: a hash of (sampler seed, study name, trial number, label), never
 * seed + count. Workers and restarts sharing a study get distinct trial numbers and so unrelated streams; seeds S and S+1
 * share nothing; one seed in one process repeats exactly. Unnamed studies (`no-name-...`, a random name) hash as "" so an
 * in-memory study with a seed stays reproducible.
 */
export function trialRng(seed: number, study: StudyView, trial: FrozenTrial, label: string): Rng {
  const name = study.studyName.startsWith('no-name-') ? '' : study.studyName;
  return Rng.fromKey('tokcast-trial', seed, name, trial.number, label);
}

/** System attribute holding a running trial's jointly sampled params (read by TPE's constant liar). */
export const RELATIVE_PARAMS_KEY = 'tpe:relative_params';

const FINISHED_FOR_SPACE: readonly TrialState[] = ['COMPLETE', 'PRUNED'];

/** Parameters present with an identical distribution in every COMPLETE/PRUNED trial (sorted by name; single points dropped). */
export function intersectionSearchSpace(trials: readonly FrozenTrial[], opts: { includePruned?: boolean } = {}): Record<string, Distribution> {
  const states = opts.includePruned === false ? ['COMPLETE'] : FINISHED_FOR_SPACE;
  let space: Map<string, Distribution> | null = null;
  for (const t of trials) {
    if (!states.includes(t.state)) continue;
    if (space === null) {
      space = new Map(Object.entries(t.distributions));
      continue;
    }
    for (const [name, d] of space) {
      const other = t.distributions[name];
      if (!other || !distributionsEqual(d, other)) space.delete(name);
    }
  }
  const out: Record<string, Distribution> = {};
  if (!space) return out;
  for (const name of [...space.keys()].sort()) {
    const d = space.get(name)!;
    if (!d.single()) out[name] = d;
  }
  return out;
}

/** Groups of parameters that always occur together in COMPLETE/PRUNED trials (Optuna's group decomposition). */
export function groupDecomposedSearchSpace(trials: readonly FrozenTrial[]): Record<string, Distribution>[] {
  let groups: Map<string, Distribution>[] = [];
  for (const t of trials) {
    if (!FINISHED_FOR_SPACE.includes(t.state)) continue;
    const names = new Set(Object.keys(t.distributions));
    const next: Map<string, Distribution>[] = [];
    const seen = new Set<string>();
    for (const g of groups) {
      const inside = new Map<string, Distribution>(), outside = new Map<string, Distribution>();
      for (const [k, d] of g) {
        seen.add(k);
        (names.has(k) ? inside : outside).set(k, d);
      }
      if (inside.size) next.push(inside);
      if (outside.size) next.push(outside);
    }
    const fresh = new Map<string, Distribution>();
    for (const k of names) if (!seen.has(k)) fresh.set(k, t.distributions[k]);
    if (fresh.size) next.push(fresh);
    groups = next;
  }
  return groups.map((g) => {
    const out: Record<string, Distribution> = {};
    for (const k of [...g.keys()].sort()) if (!g.get(k)!.single()) out[k] = g.get(k)!;
    return out;
  }).filter((g) => Object.keys(g).length > 0);
}
