// The Pruner interface: decides from a running trial's intermediate values whether to stop it early.
// Follows optuna/pruners/_base.py.
import type { FrozenTrial, JsonValue, StudyDirection, TrialState } from '../frozen-trial.ts';

/** What a pruner may read and write: the study's trials (fresh from storage) and the trial's system attributes. */
export interface PrunerStudy {
  /** Needed by HyperbandPruner (bracket hashing); '' when absent. */
  readonly studyName?: string;
  readonly directions: readonly StudyDirection[];
  getTrials(opts?: { states?: readonly TrialState[] }): Promise<FrozenTrial[]>;
  setTrialSystemAttr(trialId: number, key: string, value: JsonValue): Promise<void>;
}

/**
 * Contract: `prune` is called with a fresh snapshot of a RUNNING trial right after it reported; it returns true to stop
 * it. A pruner never changes trial state or intermediate values (it may write system attributes of `trial`), never
 * prints, and throws UserError for multi-objective studies if it cannot handle them.
 */
export interface Pruner {
  prune(study: PrunerStudy, trial: FrozenTrial): Promise<boolean>;
}

/** Never prunes. */
export class NopPruner implements Pruner {
  async prune(): Promise<boolean> {
    return false;
  }
}
