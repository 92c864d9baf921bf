// A finished-or-running trial's snapshot as storages return it: number, state, values, params, intermediate values, attrs.
// Follows optuna/trial/_frozen.py and optuna/trial/_state.py.
import type { Distribution, ParamValue } from './distributions.ts';
import { copyDate, epochMicros } from './utc-datetime.ts';

/** Trial lifecycle: WAITING (enqueued) -> RUNNING -> one of the finished states COMPLETE, PRUNED, FAIL. */
export type TrialState = 'RUNNING' | 'COMPLETE' | 'PRUNED' | 'FAIL' | 'WAITING';
export type StudyDirection = 'minimize' | 'maximize';
/** Any JSON value (user/system attributes). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export const TRIAL_STATES: readonly TrialState[] = ['RUNNING', 'COMPLETE', 'PRUNED', 'FAIL', 'WAITING'];

/** True for COMPLETE, PRUNED and FAIL. */
export function isFinished(state: TrialState): boolean {
  return state === 'COMPLETE' || state === 'PRUNED' || state === 'FAIL';
}

/** Fields of a FrozenTrial; storages build trials from this. */
export interface FrozenTrialInit {
  trialId: number;
  number: number;
  state: TrialState;
  values: number[] | null;
  datetimeStart: Date | null;
  datetimeComplete: Date | null;
  /** External values (choice itself for categoricals, integers for IntDistribution). */
  params: Record<string, ParamValue>;
  distributions: Record<string, Distribution>;
  userAttrs: Record<string, JsonValue>;
  systemAttrs: Record<string, JsonValue>;
  /** step -> value; NaN and +-Infinity allowed. */
  intermediateValues: Map<number, number>;
}

/** An immutable-by-convention snapshot of one trial; storages hand out fresh copies. */
export class FrozenTrial implements FrozenTrialInit {
  trialId: number;
  number: number;
  state: TrialState;
  values: number[] | null;
  datetimeStart: Date | null;
  datetimeComplete: Date | null;
  params: Record<string, ParamValue>;
  distributions: Record<string, Distribution>;
  userAttrs: Record<string, JsonValue>;
  systemAttrs: Record<string, JsonValue>;
  intermediateValues: Map<number, number>;

  constructor(init: FrozenTrialInit) {
    this.trialId = init.trialId;
    this.number = init.number;
    this.state = init.state;
    this.values = init.values;
    this.datetimeStart = init.datetimeStart;
    this.datetimeComplete = init.datetimeComplete;
    this.params = init.params;
    this.distributions = init.distributions;
    this.userAttrs = init.userAttrs;
    this.systemAttrs = init.systemAttrs;
    this.intermediateValues = init.intermediateValues;
  }

  /** The single objective value, or null; throws for multi-objective trials. */
  get value(): number | null {
    if (this.values === null) return null;
    if (this.values.length !== 1) throw new Error('FrozenTrial.value: trial has several objective values; use values');
    return this.values[0];
  }

  /** Largest reported step, or null when nothing was reported. */
  get lastStep(): number | null {
    let last: number | null = null;
    for (const s of this.intermediateValues.keys()) if (last === null || s > last) last = s;
    return last;
  }

  /** Seconds between start and completion, or null. */
  get durationSeconds(): number | null {
    if (!this.datetimeStart || !this.datetimeComplete) return null;
    return (epochMicros(this.datetimeComplete) - epochMicros(this.datetimeStart)) / 1e6;
  }

  /** A deep copy (dates, maps, attrs). */
  clone(): FrozenTrial {
    return new FrozenTrial({
      trialId: this.trialId,
      number: this.number,
      state: this.state,
      values: this.values ? [...this.values] : null,
      datetimeStart: this.datetimeStart ? copyDate(this.datetimeStart) : null,
      datetimeComplete: this.datetimeComplete ? copyDate(this.datetimeComplete) : null,
      params: { ...this.params },
      distributions: { ...this.distributions },
      userAttrs: structuredClone(this.userAttrs),
      systemAttrs: structuredClone(this.systemAttrs),
      intermediateValues: new Map(this.intermediateValues),
    });
  }
}
