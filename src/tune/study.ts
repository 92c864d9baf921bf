// A study: ask/tell over a Storage with a sampler and a pruner; optimize() is the loop around them.
// Follows optuna/study/study.py (_ask, _tell_with_warning, _optimize with n_trials/timeout/n_jobs/catch, enqueue_trial).
import { availableParallelism } from 'node:os';
import { UserError } from '../util/errors.ts';
import type { Distribution, ParamValue } from './distributions.ts';
import type { FrozenTrial, JsonValue, StudyDirection, TrialState } from './frozen-trial.ts';
import { HyperbandPruner } from './pruners/hyperband.ts';
import { MedianPruner } from './pruners/median.ts';
import type { Pruner, PrunerStudy } from './pruners/pruner.ts';
import type { Sampler, StudyView } from './samplers/sampler.ts';
import { TPESampler } from './samplers/tpe/sampler.ts';
import { InMemoryStorage } from './storage/memory.ts';
import { DuplicatedStudyError, UpdateFinishedTrialError, type Storage, type TrialTemplate } from './storage/storage.ts';
import { Trial, TrialPruned } from './trial.ts';

export type ObjectiveResult = number | number[];
export type Objective = (trial: Trial) => ObjectiveResult | Promise<ObjectiveResult>;
export type FinishedState = 'COMPLETE' | 'PRUNED' | 'FAIL';

export interface OptimizeOptions {
  /** Stop after this many trials (counted across all jobs). */
  nTrials?: number;
  /** Stop starting new trials after this many seconds. */
  timeout?: number;
  /** Concurrent trials (useful for async objectives); -1 = number of CPUs. @default 1 */
  nJobs?: number;
  /** Errors that mark the trial FAIL and continue; others are rethrown after marking it FAIL. */
  catch?: ReadonlyArray<abstract new (...args: never[]) => unknown> | ((error: unknown) => boolean);
  /** Called after every finished trial. */
  callbacks?: ReadonlyArray<(study: Study, trial: FrozenTrial) => void | Promise<void>>;
  /**
   * Aborting it (e.g. on SIGINT) is Optuna's KeyboardInterrupt: every trial in flight is told FAIL at once (system attr
   * fail_reason), no trial starts, and optimize rejects with the signal's reason without waiting for the objective.
   */
  signal?: AbortSignal;
  /** Before starting each trial: false stops the loop (e.g. a cap on the study's total across workers). */
  shouldStart?: (study: Study) => boolean | Promise<boolean>;
}

export interface StudyOptions {
  storage?: Storage;
  sampler?: Sampler;
  pruner?: Pruner;
  /** Seconds between heartbeats of running trials; enables failing stale trials at each optimize() trial start. */
  heartbeatInterval?: number;
  /** Seconds without heartbeat before a RUNNING trial counts as stale. @default 2 * heartbeatInterval */
  gracePeriod?: number;
  /**
   * Re-enqueue each stale trial as a WAITING copy with the same params (system attrs failed_trial, retry_history), at most
   * maxRetry times per original trial (Optuna's RetryFailedTrialCallback). @default off
   */
  retryStaleTrials?: { maxRetry?: number; inheritIntermediateValues?: boolean };
}

export interface CreateStudyOptions extends StudyOptions {
  studyName?: string;
  direction?: StudyDirection;
  directions?: StudyDirection[];
  /** Load the study when the name exists instead of throwing DuplicatedStudyError. */
  loadIfExists?: boolean;
}

/** An optimisation study bound to a storage, a sampler and a pruner. */
export class Study implements PrunerStudy {
  readonly studyId: number;
  readonly studyName: string;
  readonly directions: readonly StudyDirection[];
  readonly storage: Storage;
  readonly sampler: Sampler;
  readonly pruner: Pruner;
  readonly heartbeatInterval: number | null;
  readonly gracePeriod: number | null;
  private readonly retry: StudyOptions['retryStaleTrials'] | null;
  private stopRequested = false;

  /** Internal: use createStudy/loadStudy. */
  constructor(studyId: number, studyName: string, directions: StudyDirection[], opts: Required<Pick<StudyOptions, 'storage' | 'sampler' | 'pruner'>> & StudyOptions) {
    this.studyId = studyId;
    this.studyName = studyName;
    this.directions = Object.freeze([...directions]);
    this.storage = opts.storage;
    this.sampler = opts.sampler;
    this.pruner = opts.pruner;
    this.heartbeatInterval = opts.heartbeatInterval ?? null;
    this.gracePeriod = opts.gracePeriod ?? (opts.heartbeatInterval ? 2 * opts.heartbeatInterval : null);
    this.retry = opts.retryStaleTrials ?? null;
  }

  /** The single direction; throws for multi-objective studies. */
  get direction(): StudyDirection {
    if (this.directions.length !== 1) throw new UserError('study has several directions; use directions');
    return this.directions[0];
  }

  getTrials(opts: { states?: readonly TrialState[] } = {}): Promise<FrozenTrial[]> {
    return this.storage.getAllTrials(this.studyId, opts);
  }

  setTrialSystemAttr(trialId: number, key: string, value: JsonValue): Promise<void> {
    return this.storage.setTrialSystemAttr(trialId, key, value);
  }

  /** The COMPLETE trial with the best value; throws NotFoundError when there is none. */
  bestTrial(): Promise<FrozenTrial> {
    return this.storage.getBestTrial(this.studyId);
  }

  async bestValue(): Promise<number> {
    return (await this.bestTrial()).values![0];
  }

  async bestParams(): Promise<Record<string, ParamValue>> {
    return (await this.bestTrial()).params;
  }

  setUserAttr(key: string, value: JsonValue): Promise<void> {
    return this.storage.setStudyUserAttr(this.studyId, key, value);
  }

  userAttrs(): Promise<Record<string, JsonValue>> {
    return this.storage.getStudyUserAttrs(this.studyId);
  }

  /** The sampler's snapshot; with HyperbandPruner only the trials in `forNumber`'s bracket (as Optuna's _filter_study). */
  private async view(forNumber?: number): Promise<StudyView> {
    let trials = this.storage instanceof InMemoryStorage ? this.storage.trialsView(this.studyId) : await this.storage.getAllTrials(this.studyId);
    if (forNumber !== undefined && this.pruner instanceof HyperbandPruner) trials = this.pruner.filterTrials(this.studyName, trials, forNumber);
    return { studyName: this.studyName, directions: this.directions, trials };
  }

  /** Starts a trial (claiming an enqueued one first); with `fixedDistributions` its parameters are suggested right away. */
  async ask(fixedDistributions: Record<string, Distribution> = {}): Promise<Trial> {
    const waiting = await this.storage.popWaitingTrial(this.studyId);
    const trialId = waiting ?? (await this.storage.createNewTrial(this.studyId)).trialId;
    const frozen = await this.storage.getTrial(trialId);
    const view = await this.view(frozen.number);
    const trial = new Trial(this, frozen, view);
    try {
      const attrs = this.sampler.beforeTrial?.(view, frozen);
      for (const [k, v] of Object.entries(attrs ?? {})) trial.setSystemAttr(k, v);
      trial.initRelative();
      for (const [name, d] of Object.entries(fixedDistributions)) trial.suggest(name, d);
      await trial.flush();
    } catch (e) {
      await this.storage.setTrialStateValues(trialId, 'FAIL');
      throw e;
    }
    return trial;
  }

  /**
   * Finishes a trial: values -> COMPLETE (NaN or a wrong count -> FAIL), 'PRUNED' (value = last valid intermediate value),
   * 'FAIL'. Throws UpdateFinishedTrialError when the trial is already finished unless skipIfFinished.
   */
  async tell(trial: Trial | number, valuesOrState?: ObjectiveResult | FinishedState | null, opts: { state?: FinishedState; skipIfFinished?: boolean } = {}): Promise<FrozenTrial> {
    let state: FinishedState | undefined = opts.state;
    let values: number[] | null = null;
    if (typeof valuesOrState === 'string') state = valuesOrState;
    else if (typeof valuesOrState === 'number') values = [valuesOrState];
    else if (Array.isArray(valuesOrState)) values = [...valuesOrState];
    let flushError: unknown = null;
    if (trial instanceof Trial) await trial.flush().catch((e) => { flushError = e; });
    const trialId = trial instanceof Trial ? trial.trialId : await this.storage.getTrialIdFromStudyIdTrialNumber(this.studyId, trial);
    const frozen = await this.storage.getTrial(trialId);
    if (frozen.state === 'WAITING') throw new UserError(`cannot tell trial ${frozen.number}: it is WAITING (enqueued, not asked yet)`);
    if (frozen.state !== 'RUNNING') {
      if (opts.skipIfFinished) return frozen;
      throw new UpdateFinishedTrialError(`trial ${frozen.number} is already ${frozen.state}`);
    }
    if (flushError) state = 'FAIL';
    let failReason: string | null = flushError ? `storage write failed: ${(flushError as Error).message}` : null;
    if (state === 'PRUNED') {
      const step = frozen.lastStep;
      const last = step === null ? undefined : frozen.intermediateValues.get(step);
      if (values === null && last !== undefined && !Number.isNaN(last) && this.directions.length === 1) values = [last];
    } else if (state === 'FAIL') {
      values = null;
    } else {
      if (values === null) throw new UserError('tell: give objective values or a state (PRUNED or FAIL)');
      const bad = values.length !== this.directions.length || values.some((v) => typeof v !== 'number' || Number.isNaN(v));
      if (bad) {
        failReason = `objective returned ${JSON.stringify(values)}; expected ${this.directions.length} number(s), not NaN`;
        state = 'FAIL';
        values = null;
      } else state = 'COMPLETE';
    }
    if (failReason) {
      await this.storage.setTrialSystemAttr(trialId, 'fail_reason', failReason).catch((e) => {
        if (!(e instanceof UpdateFinishedTrialError)) throw e; // finished meanwhile: setTrialStateValues reports it
      });
    }
    const ok = await this.storage.setTrialStateValues(trialId, state!, values);
    const done = await this.storage.getTrial(trialId);
    if (!ok) {
      if (opts.skipIfFinished) return done;
      throw new UpdateFinishedTrialError(`trial ${done.number} is already ${done.state}`);
    }
    if (this.sampler.afterTrial) this.sampler.afterTrial(await this.view(done.number), done, done.state, done.values);
    if (flushError) throw flushError;
    return done;
  }

  /** The trial with this number; throws NotFoundError. */
  async getTrial(trialNumber: number): Promise<FrozenTrial> {
    return this.storage.getTrial(await this.storage.getTrialIdFromStudyIdTrialNumber(this.studyId, trialNumber));
  }

  /**
   * Trial.report() for a trial known only by number (the CLI's `tell --step --intermediate`): stores the value unless the
   * step was already reported (first value kept). Returns false when the step was a repeat. Throws for finished trials.
   */
  async report(trialNumber: number, value: number, step: number): Promise<boolean> {
    if (this.directions.length !== 1) throw new UserError('report is not supported for multi-objective studies');
    if (!Number.isInteger(step) || step < 0) throw new UserError(`report: step must be an integer >= 0, got ${step}`);
    if (typeof value !== 'number') throw new UserError(`report: value must be a number, got ${JSON.stringify(value)}`);
    const t = await this.getTrial(trialNumber);
    if (t.state !== 'RUNNING') throw new UpdateFinishedTrialError(`trial ${trialNumber} is ${t.state}, not RUNNING`);
    if (t.intermediateValues.has(step)) return false;
    await this.storage.setTrialIntermediateValue(t.trialId, step, value);
    return true;
  }

  /** Trial.shouldPrune() for a trial known only by number. */
  async shouldPrune(trialNumber: number): Promise<boolean> {
    if (this.directions.length !== 1) throw new UserError('shouldPrune is not supported for multi-objective studies');
    return this.pruner.prune(this, await this.getTrial(trialNumber));
  }

  /** Adds a WAITING trial whose parameters are fixed to `params`; the next ask() claims it. */
  async enqueueTrial(params: Record<string, ParamValue>, opts: { userAttrs?: Record<string, JsonValue>; skipIfExists?: boolean } = {}): Promise<void> {
    if (opts.skipIfExists) {
      const keys = Object.keys(params).sort().join('\u0000');
      for (const t of await this.getTrials()) {
        const p = (t.systemAttrs.fixed_params as Record<string, ParamValue> | undefined) ?? t.params;
        if (Object.keys(p).sort().join('\u0000') === keys && Object.keys(params).every((k) => p[k] === params[k])) return;
      }
    }
    await this.storage.createNewTrial(this.studyId, { state: 'WAITING', systemAttrs: { fixed_params: params as JsonValue }, userAttrs: opts.userAttrs ?? {} });
  }

  /** Stores an already-evaluated trial (e.g. from a previous run); `template.state` defaults to COMPLETE. */
  async addTrial(template: TrialTemplate): Promise<FrozenTrial> {
    const { trialId } = await this.storage.createNewTrial(this.studyId, { state: 'COMPLETE', ...template });
    return this.storage.getTrial(trialId);
  }

  /** Marks RUNNING trials without a recent heartbeat as FAIL (re-enqueuing them with retryStaleTrials); returns their numbers. */
  async failStaleTrials(): Promise<number[]> {
    if (this.gracePeriod === null) return [];
    const failed = await this.storage.failStaleTrials(this.studyId, this.gracePeriod);
    if (this.retry) for (const n of failed) await this.retryTrial(await this.getTrial(n));
    return failed;
  }

  private async retryTrial(t: FrozenTrial): Promise<void> {
    const history = [...((t.systemAttrs.retry_history as number[] | undefined) ?? []), t.number];
    if (this.retry?.maxRetry !== undefined && this.retry.maxRetry < history.length) return;
    await this.storage.createNewTrial(this.studyId, {
      state: 'WAITING', params: t.params, distributions: t.distributions, userAttrs: t.userAttrs,
      systemAttrs: { failed_trial: t.number, ...t.systemAttrs, retry_history: history },
      intermediateValues: this.retry?.inheritIntermediateValues ? t.intermediateValues : new Map(),
    });
  }

  /** Makes optimize() stop starting new trials. */
  stop(): void {
    this.stopRequested = true;
  }

  /** Runs objective on new trials until nTrials, timeout or stop(); see OptimizeOptions. */
  async optimize(objective: Objective, opts: OptimizeOptions = {}): Promise<void> {
    const nJobs = opts.nJobs === -1 ? availableParallelism() : opts.nJobs ?? 1;
    if (!Number.isInteger(nJobs) || nJobs < 1) throw new UserError(`optimize: nJobs must be -1 or an integer >= 1, got ${opts.nJobs}`);
    const deadline = opts.timeout !== undefined ? Date.now() + opts.timeout * 1000 : Infinity;
    let started = 0;
    let fatal: unknown = null;
    this.stopRequested = false;
    const signal = opts.signal;
    if (signal?.aborted) throw signal.reason;
    const inFlight: InFlight = { trials: new Map(), asking: new Set() };
    const worker = async (): Promise<void> => {
      while (fatal === null && !this.stopRequested && !signal?.aborted && (opts.nTrials === undefined || started < opts.nTrials) && Date.now() < deadline) {
        started++;
        try {
          if (opts.shouldStart && !(await opts.shouldStart(this))) {
            this.stop();
            break;
          }
          const done = await this.runTrial(objective, opts, inFlight);
          if (signal?.aborted) break;
          for (const cb of opts.callbacks ?? []) await cb(this, done);
          if (this.sampler.isExhausted?.(await this.view())) this.stop();
        } catch (e) {
          if (!signal?.aborted) fatal ??= e;
        }
      }
    };
    const all = Promise.all(Array.from({ length: nJobs }, worker));
    if (signal) {
      let onAbort: () => void = () => {};
      const aborted = new Promise<'aborted'>((resolve) => {
        onAbort = () => resolve('aborted');
        signal.addEventListener('abort', onAbort, { once: true });
      });
      const first = await Promise.race([all, aborted]);
      signal.removeEventListener('abort', onAbort);
      if (first === 'aborted') {
        this.stopRequested = true;
        await this.failInFlight(inFlight, signal.reason);
        throw signal.reason;
      }
    } else await all;
    if (fatal !== null) throw fatal;
  }

  /** Tells every trial still in flight FAIL, with the interruption as its fail_reason (stops their heartbeats). */
  private async failInFlight(inFlight: InFlight, reason: unknown): Promise<void> {
    await Promise.allSettled([...inFlight.asking]);
    for (const [trial, timer] of [...inFlight.trials]) {
      if (timer) clearInterval(timer);
      inFlight.trials.delete(trial);
      const why = `interrupted (${(reason as Error)?.message ?? String(reason)})`;
      await this.storage.setTrialSystemAttr(trial.trialId, 'fail_reason', why).catch(() => {});
      await this.tell(trial, 'FAIL', { skipIfFinished: true }).catch(() => {});
    }
  }

  private async runTrial(objective: Objective, opts: OptimizeOptions, inFlight: InFlight): Promise<FrozenTrial> {
    if (this.heartbeatInterval !== null) await this.failStaleTrials();
    const asking = this.ask().then((t) => { inFlight.trials.set(t, null); return t; });
    inFlight.asking.add(asking);
    const trial = await asking.finally(() => inFlight.asking.delete(asking));
    let timer: NodeJS.Timeout | null = null;
    if (this.heartbeatInterval !== null) {
      await this.storage.recordHeartbeat(trial.trialId);
      timer = setInterval(() => { this.storage.recordHeartbeat(trial.trialId).catch(() => {}); }, this.heartbeatInterval * 1000);
    }
    if (!inFlight.trials.has(trial)) { // failed by an interruption meanwhile
      if (timer) clearInterval(timer);
      throw opts.signal?.reason ?? new Error('interrupted');
    }
    inFlight.trials.set(trial, timer);
    try {
      const result: unknown = await objective(trial);
      if (typeof result !== 'number' && !Array.isArray(result)) {
        // Optuna: a value that cannot be cast to float fails this trial with a warning; the study goes on
        await this.storage.setTrialSystemAttr(trial.trialId, 'fail_reason', `objective returned ${result === undefined ? 'nothing' : JSON.stringify(result) ?? String(result)}; expected a number`);
        return await this.tell(trial, 'FAIL');
      }
      return await this.tell(trial, result as ObjectiveResult);
    } catch (e) {
      if (e instanceof TrialPruned) return this.tell(trial, 'PRUNED', { skipIfFinished: true });
      if (e instanceof UpdateFinishedTrialError) throw e;
      await this.storage.setTrialSystemAttr(trial.trialId, 'fail_reason', String((e as Error)?.message ?? e)).catch(() => {});
      const done = await this.tell(trial, 'FAIL', { skipIfFinished: true });
      const c = opts.catch;
      const caught = typeof c === 'function' ? c(e) : (c ?? []).some((cls) => e instanceof (cls as new () => unknown));
      if (!caught) throw e;
      return done;
    } finally {
      if (timer) clearInterval(timer);
      inFlight.trials.delete(trial);
    }
  }
}

/** The trials optimize() is running, with their heartbeat timers. */
interface InFlight { trials: Map<Trial, NodeJS.Timeout | null>; asking: Set<Promise<Trial>> }

function resolveDirections(opts: CreateStudyOptions): StudyDirection[] {
  if (opts.direction && opts.directions) throw new UserError('createStudy: give direction or directions, not both');
  const dirs = opts.directions ?? [opts.direction ?? 'minimize'];
  for (const d of dirs) if (d !== 'minimize' && d !== 'maximize') throw new UserError(`createStudy: direction must be "minimize" or "maximize", got ${JSON.stringify(d)}`);
  if (dirs.length === 0) throw new UserError('createStudy: at least one direction');
  return dirs;
}

function defaults(opts: StudyOptions): Required<Pick<StudyOptions, 'storage' | 'sampler' | 'pruner'>> & StudyOptions {
  return { ...opts, storage: opts.storage ?? new InMemoryStorage(), sampler: opts.sampler ?? new TPESampler(), pruner: opts.pruner ?? new MedianPruner() };
}

/** Creates a study (default: in-memory storage, TPESampler, MedianPruner, minimize). */
export async function createStudy(opts: CreateStudyOptions = {}): Promise<Study> {
  const o = defaults(opts);
  const dirs = resolveDirections(opts);
  try {
    const id = await o.storage.createNewStudy(dirs, opts.studyName);
    return new Study(id, await o.storage.getStudyNameFromId(id), dirs, o);
  } catch (e) {
    if (!(e instanceof DuplicatedStudyError) || !opts.loadIfExists) throw e;
    return loadStudy({ ...o, studyName: opts.studyName! });
  }
}

/** Loads an existing study by name; throws NotFoundError. */
export async function loadStudy(opts: StudyOptions & { studyName: string; storage: Storage }): Promise<Study> {
  const o = defaults(opts);
  const id = await o.storage.getStudyIdFromName(opts.studyName);
  return new Study(id, opts.studyName, await o.storage.getStudyDirections(id), o);
}

/** Deletes a study and its trials; throws NotFoundError. */
export async function deleteStudy(opts: { studyName: string; storage: Storage }): Promise<void> {
  await opts.storage.deleteStudy(await opts.storage.getStudyIdFromName(opts.studyName));
}
