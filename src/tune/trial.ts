// A running trial as the objective sees it: suggest* (synchronous; writes are queued to storage), report, shouldPrune.
// Follows optuna/trial/_trial.py (_suggest: already-set -> fixed (enqueued) -> single -> relative -> independent).
import { UserError } from '../util/errors.ts';
import {
  CategoricalDistribution, FloatDistribution, IntDistribution, checkDistributionCompatibility, distributionsEqual,
  type CategoricalChoice, type Distribution, type ParamValue,
} from './distributions.ts';
import type { FrozenTrial, JsonValue } from './frozen-trial.ts';
import { RELATIVE_PARAMS_KEY, type StudyView } from './samplers/sampler.ts';
import type { Study } from './study.ts';

/** Throw from an objective to finish the trial as PRUNED (Optuna's TrialPruned). */
export class TrialPruned extends Error {
  constructor(message = 'trial was pruned') {
    super(message);
    this.name = 'TrialPruned';
  }
}

function singleValue(d: Distribution): ParamValue {
  return d.kind === 'categorical' ? d.choices[0] : d.low;
}

/**
 * A trial handed out by Study.ask()/optimize(). suggest*() return immediately; their storage writes are queued and
 * flushed by report()'s successors (shouldPrune, flush, tell). A write error surfaces at the next flush.
 */
export class Trial {
  readonly trialId: number;
  readonly number: number;
  private readonly study: Study;
  private readonly frozen: FrozenTrial;
  private readonly view: StudyView;
  private relativeSpace: Record<string, Distribution> = {};
  private relativeParams: Record<string, ParamValue> = {};
  private pending: Promise<void> = Promise.resolve();
  private writeError: unknown = null;

  /** Internal: created by Study.ask(). */
  constructor(study: Study, frozen: FrozenTrial, view: StudyView) {
    this.study = study;
    this.frozen = frozen;
    this.view = view;
    this.trialId = frozen.trialId;
    this.number = frozen.number;
  }

  /** Internal: relative (joint) sampling before the first suggestion. */
  initRelative(): void {
    const sampler = this.study.sampler;
    this.relativeSpace = sampler.inferRelativeSearchSpace(this.view, this.frozen);
    this.relativeParams = sampler.sampleRelative(this.view, this.frozen, this.relativeSpace);
    if (sampler.publishesRelativeParams && Object.keys(this.relativeParams).length) this.setSystemAttr(RELATIVE_PARAMS_KEY, this.relativeParams as JsonValue);
  }

  /** Parameters suggested so far (external values). */
  get params(): Record<string, ParamValue> {
    return { ...this.frozen.params };
  }

  get distributions(): Record<string, Distribution> {
    return { ...this.frozen.distributions };
  }

  get userAttrs(): Record<string, JsonValue> {
    return structuredClone(this.frozen.userAttrs);
  }

  get systemAttrs(): Record<string, JsonValue> {
    return structuredClone(this.frozen.systemAttrs);
  }

  get intermediateValues(): Map<number, number> {
    return new Map(this.frozen.intermediateValues);
  }

  get datetimeStart(): Date | null {
    return this.frozen.datetimeStart;
  }

  /** A float in [low, high]; `log` samples log-uniformly, `step` discretises (not both). */
  suggestFloat(name: string, low: number, high: number, opts: { log?: boolean; step?: number | null } = {}): number {
    return this.suggest(name, new FloatDistribution(low, high, opts)) as number;
  }

  /** An integer in [low, high] on the grid low + k*step; `log` requires step 1. */
  suggestInt(name: string, low: number, high: number, opts: { log?: boolean; step?: number } = {}): number {
    return this.suggest(name, new IntDistribution(low, high, opts)) as number;
  }

  /** One of `choices` (null, boolean, number or string). */
  suggestCategorical<T extends CategoricalChoice>(name: string, choices: readonly T[]): T {
    return this.suggest(name, new CategoricalDistribution(choices)) as T;
  }

  /** Suggests a value for any distribution; returns the stored value when `name` was already suggested in this trial. */
  suggest(name: string, distribution: Distribution): ParamValue {
    const prev = this.frozen.distributions[name];
    if (prev) {
      checkDistributionCompatibility(prev, distribution, name);
      return this.frozen.params[name];
    }
    this.checkStudyCompatibility(name, distribution);
    const fixed = (this.frozen.systemAttrs.fixed_params as Record<string, ParamValue> | undefined)?.[name];
    let value: ParamValue;
    if (fixed !== undefined) {
      // as Optuna: an enqueued value outside the range is used as given (a categorical value not among the choices throws)
      distribution.toInternal(fixed);
      value = fixed;
    } else if (distribution.single()) {
      value = singleValue(distribution);
    } else if (this.isRelative(name, distribution)) {
      value = this.relativeParams[name];
    } else {
      value = this.study.sampler.sampleIndependent(this.view, this.frozen, name, distribution);
    }
    const internal = distribution.toInternal(value);
    const external = distribution.toExternal(internal);
    this.frozen.params[name] = external;
    this.frozen.distributions[name] = distribution;
    this.enqueue(() => this.study.storage.setTrialParam(this.trialId, name, internal, distribution));
    return external;
  }

  private isRelative(name: string, d: Distribution): boolean {
    if (!(name in this.relativeParams)) return false;
    const rd = this.relativeSpace[name];
    if (!rd || !distributionsEqual(rd, d)) return false;
    return d.contains(d.toInternal(this.relativeParams[name]));
  }

  private checkStudyCompatibility(name: string, d: Distribution): void {
    // the storage enforces this too; checking here makes the error surface at the suggest call
    for (const t of this.view.trials) {
      const known = t.distributions[name];
      if (known) {
        checkDistributionCompatibility(known, d, name);
        return;
      }
    }
  }

  /** Records an intermediate value at an integer step >= 0; a repeated step is ignored (the first value is kept). */
  report(value: number, step: number): void {
    if (this.study.directions.length !== 1) throw new UserError('report() is not supported for multi-objective studies');
    if (!Number.isInteger(step) || step < 0) throw new UserError(`report: step must be an integer >= 0, got ${step}`);
    if (typeof value !== 'number') throw new UserError(`report: value must be a number, got ${JSON.stringify(value)}`);
    if (this.frozen.intermediateValues.has(step)) return;
    this.frozen.intermediateValues.set(step, value);
    this.enqueue(() => this.study.storage.setTrialIntermediateValue(this.trialId, step, value));
  }

  /** Asks the study's pruner whether to stop after the latest report. */
  async shouldPrune(): Promise<boolean> {
    if (this.study.directions.length !== 1) throw new UserError('shouldPrune() is not supported for multi-objective studies');
    await this.flush();
    const fresh = await this.study.storage.getTrial(this.trialId);
    return this.study.pruner.prune(this.study, fresh);
  }

  setUserAttr(key: string, value: JsonValue): void {
    this.frozen.userAttrs[key] = structuredClone(value);
    this.enqueue(() => this.study.storage.setTrialUserAttr(this.trialId, key, value));
  }

  setSystemAttr(key: string, value: JsonValue): void {
    this.frozen.systemAttrs[key] = structuredClone(value); // also what samplers see for this trial
    this.enqueue(() => this.study.storage.setTrialSystemAttr(this.trialId, key, value));
  }

  /** Waits for queued storage writes; rethrows the first write error. */
  async flush(): Promise<void> {
    await this.pending;
    if (this.writeError) throw this.writeError;
  }

  private enqueue(write: () => Promise<void>): void {
    this.pending = this.pending.then(() => (this.writeError ? undefined : write())).catch((e) => {
      this.writeError ??= e;
    });
  }
}
