// Pipeline step 6a (tune): a TPE + MedianPruner study over the config's search space, then the tuning outputs.
// Follows docs/tuning.md#the-tune-step; the objective is a callback so tune/ never imports the model (docs/architecture.md#dependency-rules).
import type { Config } from '../../config/schema.ts';
import { validateConfig } from '../../config/load.ts';
import { UserError } from '../../util/errors.ts';
import { InterruptedError } from '../../util/interrupt.ts';
import { writeJsonAtomic } from '../../util/fs.ts';
import { join } from 'node:path';
import { CategoricalDistribution, FloatDistribution, IntDistribution, type Distribution, type ParamValue } from '../../tune/distributions.ts';
import type { FrozenTrial } from '../../tune/frozen-trial.ts';
import { createStudy, type Study } from '../../tune/study.ts';
import { TrialPruned, type Trial } from '../../tune/trial.ts';
import { TPESampler } from '../../tune/samplers/tpe/sampler.ts';
import { MedianPruner } from '../../tune/pruners/median.ts';
import type { Storage } from '../../tune/storage/storage.ts';
import { openStorage, redact } from '../../tune/storage/url.ts';
import { applyParamsToConfig } from './apply.ts';
import { FINGERPRINT_KEY, checkFingerprint, fingerprintDigest, studyFingerprint } from '../../tune/fingerprint.ts';
import { trialRecord, writeTuningOutputs, bestTrial, type buildTuningResults, type StoppedBy } from './tuning-outputs.ts';

export { TrialPruned };

/** What the objective gets besides the trial: its budget, its config, and the report/prune hooks. */
export interface TuningContext {
  /** epochs to train this trial for */
  epochs: number;
  /** this trial's hyperparameters (already suggested from the search space) */
  params: Record<string, ParamValue>;
  /** the run's config with `params` applied at their config keys */
  config: Config;
  sequencesArtifact: string;
  /** the objectives the trial returns values for, in order (one: 'val_loss') */
  objectives: readonly string[];
  /** records the validation loss after an epoch (ignored with several objectives: no pruning, as Optuna); step = 0-based epoch index, so n_warmup_steps = 3 protects the first 3 epochs */
  report(step: number, valLoss: number): void;
  /** asks the MedianPruner; when true the objective should `throw new TrialPruned()` */
  shouldPrune(): Promise<boolean>;
}

/** Trains one configuration and returns its final validation loss (lower is better), or one value per objective
 *  (RunTuningOptions.objectives, all minimised). Throw TrialPruned to stop early (single objective only). */
export type TuningObjective = (trial: Trial, ctx: TuningContext) => Promise<number | number[]>;

/** Progress after each finished trial (for the CLI's reporter; the engine never prints). */
export interface TuningProgress {
  trial: FrozenTrial;
  /** trials finished by this run so far */
  finished: number;
  /** numTrials */
  target: number;
  bestValue: number | null;
}

export interface RunTuningOptions {
  config: Config;
  /** path of the step-5 sequences artifact the objective trains on */
  sequencesArtifact: string;
  outputDir: string;
  /** trials this run finishes (Optuna's n_trials; earlier trials of the study do not count); default tune.num_trials or the budget's */
  numTrials?: number;
  /** stop once the study holds this many COMPLETE, PRUNED or live RUNNING trials, counted across every worker (failed ones do not count) */
  maxTrials?: number;
  /** aborting it (Ctrl-C) fails the running trial(s), writes the outputs and rejects with an InterruptedError */
  signal?: AbortSignal;
  /** default tune.epochs_per_trial or the budget's */
  epochsPerTrial?: number;
  /** stop starting trials after this many hours; default tune.timeout_hours (null = no limit) */
  timeoutHours?: number | null;
  /** storage URL or an open Storage (left open); default tune.storage */
  storage?: string | Storage;
  /**
   * default tune.study_name, else `tokcast-<fingerprint>` (data, objective, search space): another data set gets a fresh
   * study. An existing study of that name is continued; one recorded for another fingerprint is refused, naming what differs.
   */
  studyName?: string;
  /** digest of the data every trial trains and is scored on (part of the study's fingerprint) */
  dataDigest?: string;
  /** objectives, all minimised; several make a multi-objective study (TPE for several objectives, no pruning). @default ['val_loss'] */
  objectives?: string[];
  /** how the objective scores a trial (part of the fingerprint) @default 'val_nll_min' */
  metric?: string;
  /** concurrent trials in this process; default tune.n_jobs */
  nJobs?: number;
  /** default: throws 'training not available' until the training objective is plugged in */
  objective?: TuningObjective;
  /** which objective errors mark the trial FAIL and continue; default every error except UserError */
  catchError?: (error: unknown) => boolean;
  /** seconds between heartbeats of a running trial (stale ones from a crashed run become FAIL). @default tune.heartbeat_interval */
  heartbeatInterval?: number;
  onTrial?: (progress: TuningProgress) => void;
  /** once the study is open: its name, how many trials it already held, and the stale trials just failed */
  onStart?: (info: { studyName: string; trialsBefore: number; staleFailed: number[] }) => void;
}

/** What runTuning returns: the study name, the files written, and the content of tuning_results.json. */
export interface TuningRunResult {
  studyName: string;
  files: string[];
  results: ReturnType<typeof buildTuningResults>;
}

/** trials x epochs of `--budget quick|standard|deep` (docs/tuning.md#the-tune-step). */
export const BUDGETS = { quick: [10, 10], standard: [30, 20], deep: [50, 50] } as const;

/**
 * The architecture entries a search space leaves null, derived from the base config so the space scales with it (the
 * demo's small model gets a small, fast space): batch size, embedding and feed-forward widths at half, once and twice
 * the base value; blocks from one fewer to one more; heads at half, once and twice the base where they divide d_model.
 */
export function derivedSpaceEntry(name: string, config: Config): unknown {
  const around = (v: number, min = 1) => [...new Set([Math.floor(v / 2), v, v * 2])].filter((x) => x >= min);
  const m = config.model;
  switch (name) {
    case 'batch_size': return around(config.train.batch_size, 8);
    case 'embed_dim': return around(m.embed_dim, 2);
    case 'd_ff': return around(m.d_ff, 4);
    case 'n_layers': return { low: Math.max(1, m.n_layers - 1), high: m.n_layers + 1 };
    case 'n_heads': {
      const h = around(m.n_heads).filter((x) => m.d_model % x === 0);
      return h.length ? h : [m.n_heads];
    }
    default: return null;
  }
}

/**
 * The search space of config.tune.search_space, in config order: {low, high, log} -> float, {low, high} -> int, a list ->
 * categorical; a null entry is derived from the base config (derivedSpaceEntry).
 */
export function searchSpaceFromConfig(config: Config): Record<string, Distribution> {
  const space: Record<string, Distribution> = {};
  for (const [name, given] of Object.entries(config.tune.search_space as Record<string, unknown>)) {
    const entry = given ?? derivedSpaceEntry(name, config);
    const where = `tune.search_space.${name}`;
    if (Array.isArray(entry)) space[name] = new CategoricalDistribution(entry);
    else if (entry && typeof entry === 'object' && 'low' in entry && 'high' in entry) {
      const r = entry as { low: number; high: number; log?: boolean; step?: number };
      space[name] = 'log' in r ? new FloatDistribution(r.low, r.high, { log: r.log, step: r.step ?? null }) : new IntDistribution(r.low, r.high, { step: r.step ?? 1 });
    } else throw new UserError(`key "${where}": expected {low, high[, log]} or a list of choices, got ${JSON.stringify(entry)}`);
  }
  return space;
}

/** Default objective until the training loop is plugged in. */
export const trainingNotAvailable: TuningObjective = async () => {
  throw new UserError('tuning: training not available (no objective was given to runTuning)');
};

function resolveBudget(o: RunTuningOptions): { numTrials: number; epochs: number; timeoutHours: number | null } {
  const t = o.config.tune;
  const budget = t.budget ? BUDGETS[t.budget] : null;
  const numTrials = o.numTrials ?? budget?.[0] ?? t.num_trials;
  const epochs = o.epochsPerTrial ?? budget?.[1] ?? t.epochs_per_trial;
  const timeoutHours = o.timeoutHours === undefined ? t.timeout_hours : o.timeoutHours;
  if (!Number.isInteger(numTrials) || numTrials < 1) throw new UserError(`tuning: numTrials must be an integer >= 1, got ${numTrials}`);
  if (!Number.isInteger(epochs) || epochs < 1) throw new UserError(`tuning: epochsPerTrial must be an integer >= 1, got ${epochs}`);
  if (o.maxTrials !== undefined && (!Number.isInteger(o.maxTrials) || o.maxTrials < 1)) throw new UserError(`tuning: maxTrials must be an integer >= 1, got ${o.maxTrials}`);
  if (timeoutHours !== null && !(timeoutHours > 0)) throw new UserError(`tuning: timeoutHours must be > 0, got ${timeoutHours}`);
  return { numTrials, epochs, timeoutHours };
}

/**
 * Runs (or resumes) the tuning study and writes tuning_results.json, trials_history.json (rewritten atomically after every
 * trial), tuning_history.png, param_importance.png and intermediate_values.png into outputDir. Objective errors other than
 * UserError fail the trial and the run continues; a UserError stops the run (outputs are still written) and is rethrown.
 */
export async function runTuning(o: RunTuningOptions): Promise<TuningRunResult> {
  const { numTrials, epochs, timeoutHours } = resolveBudget(o);
  const t = o.config.tune;
  const space = searchSpaceFromConfig(o.config);
  const storageArg = o.storage ?? t.storage;
  // heartbeatOnStart: a worker killed between creating its trial and its first heartbeat still leaves a detectable zombie
  const storage = typeof storageArg === 'string' ? await openStorage(storageArg, { heartbeatOnStart: true }) : storageArg;
  const ownsStorage = typeof storageArg === 'string';
  const fingerprint = studyFingerprint(o.dataDigest ?? '', { metric: o.metric ?? 'val_nll_min', epochs_per_trial: epochs }, space);
  try {
    const study = await createStudy({
      storage, studyName: o.studyName ?? t.study_name ?? `tokcast-${fingerprintDigest(fingerprint)}`, directions: objectivesOf(o).map(() => 'minimize'), loadIfExists: true,
      // multivariate + constant liar: joint proposals, and parallel workers do not pile onto one region (both off in the library, as Optuna)
      sampler: new TPESampler({ seed: t.sampler_seed, nStartupTrials: t.n_startup_trials, multivariate: true, constantLiar: true }),
      pruner: new MedianPruner({ nStartupTrials: t.pruner.n_startup_trials, nWarmupSteps: t.pruner.n_warmup_steps, intervalSteps: t.pruner.interval_steps }),
      heartbeatInterval: o.heartbeatInterval ?? t.heartbeat_interval,
    });
    const record = checkFingerprint(study.studyName, await storage.getStudySystemAttrs(study.studyId), (await study.getTrials()).length, fingerprint);
    if (record !== null) await storage.setStudySystemAttr(study.studyId, FINGERPRINT_KEY, record);
    // trials left RUNNING by a dead worker (no heartbeat within the grace period) become FAIL before anything is counted
    const staleFailed = await study.failStaleTrials();
    const trialsBefore = (await study.getTrials()).length;
    o.onStart?.({ studyName: study.studyName, trialsBefore, staleFailed });
    const startedAt = new Date();
    const settings = {
      num_trials: numTrials, epochs_per_trial: epochs, timeout_hours: timeoutHours, n_jobs: o.nJobs ?? t.n_jobs,
      max_trials: o.maxTrials ?? null, stale_trials_failed: staleFailed,
      storage: typeof storageArg === 'string' ? redact(storageArg) : 'custom', resumed_with_trials: trialsBefore,
      sampler: { name: 'TPESampler', seed: t.sampler_seed, n_startup_trials: t.n_startup_trials, multivariate: true, constant_liar: true },
      pruner: { name: 'MedianPruner', n_startup_trials: t.pruner.n_startup_trials, n_warmup_steps: t.pruner.n_warmup_steps, interval_steps: t.pruner.interval_steps },
    };
    let stoppedBy: StoppedBy = 'num_trials';
    let failure: unknown = null;
    try {
      const run = await optimizeTrials(study, o, space, epochs, numTrials, timeoutHours);
      if (run.cappedAtMax) stoppedBy = 'max_trials';
      else if (run.finished < numTrials) stoppedBy = 'timeout';
    } catch (e) {
      stoppedBy = o.signal?.aborted ? 'interrupted' : 'error';
      failure = e;
    }
    const trials = await study.getTrials();
    if (stoppedBy === 'interrupted') {
      const failed = trials.filter((x) => x.state === 'FAIL' && String(x.systemAttrs.fail_reason ?? '').startsWith('interrupted')).map((x) => x.number);
      failure = new InterruptedError(`tuning interrupted; trial${failed.length === 1 ? '' : 's'} ${failed.join(', ') || '-'} marked FAIL, ` +
        `${trials.filter((x) => x.state === 'COMPLETE' || x.state === 'PRUNED').length} finished trials kept in study "${study.studyName}"; rerun to continue it`);
    }
    const out = await writeTuningOutputs(o.outputDir, trials, {
      studyName: study.studyName, direction: 'minimize', objectives: objectivesOf(o), searchSpace: space, startedAt, finishedAt: new Date(), stoppedBy, settings,
      importanceSeed: t.sampler_seed,
    });
    if (failure !== null) throw failure;
    return { studyName: study.studyName, files: out.files, results: out.results };
  } finally {
    if (ownsStorage) await storage.close();
  }
}

function objectivesOf(o: RunTuningOptions): string[] {
  const list = o.objectives ?? ['val_loss'];
  if (!list.length || new Set(list).size !== list.length) throw new UserError(`tuning: objectives must be distinct names, got ${JSON.stringify(list)}`);
  return list;
}

/** The config a trial trains with; an impossible combination (e.g. n_heads not dividing d_model) fails only this trial. */
function trialConfig(config: Config, params: Record<string, ParamValue>): Config {
  try {
    return validateConfig(applyParamsToConfig(config, params), 'trial config');
  } catch (e) {
    throw new Error(`trial parameters give an invalid config: ${(e as Error).message}`);
  }
}

/** Trials that count toward maxTrials: finished ones that did not fail, and RUNNING ones (live: stale ones were failed first). */
async function countTowardMax(study: Study): Promise<number> {
  return (await study.getTrials({ states: ['COMPLETE', 'PRUNED', 'RUNNING'] })).length;
}

async function optimizeTrials(study: Study, o: RunTuningOptions, space: Record<string, Distribution>, epochs: number, target: number,
  timeoutHours: number | null): Promise<{ finished: number; cappedAtMax: boolean }> {
  const objective = o.objective ?? trainingNotAvailable;
  const catchError = o.catchError ?? ((e: unknown) => !(e instanceof UserError));
  let finished = 0;
  let cappedAtMax = false;
  const historyPath = join(o.outputDir, 'trials_history.json');
  const objectives = objectivesOf(o);
  const multi = objectives.length > 1;
  await study.optimize(async (trial) => {
    for (const [name, d] of Object.entries(space)) trial.suggest(name, d);
    const params = trial.params;
    const ctx: TuningContext = {
      epochs, params, config: trialConfig(o.config, params), sequencesArtifact: o.sequencesArtifact, objectives,
      report: (step, valLoss) => { if (!multi) trial.report(valLoss, step); },
      shouldPrune: async () => !multi && trial.shouldPrune(),
    };
    return objective(trial, ctx);
  }, {
    nTrials: target,
    signal: o.signal,
    shouldStart: o.maxTrials === undefined ? undefined : async (s) => {
      if (s.heartbeatInterval !== null) await s.failStaleTrials();
      cappedAtMax = (await countTowardMax(s)) >= o.maxTrials!;
      return !cappedAtMax;
    },
    timeout: timeoutHours === null ? undefined : timeoutHours * 3600,
    nJobs: o.nJobs ?? o.config.tune.n_jobs,
    catch: catchError,
    callbacks: [async (s, done) => {
      const all = await s.getTrials();
      writeJsonAtomic(historyPath, { study_name: s.studyName, direction: 'minimize', trials: all.map(trialRecord) });
      finished++;
      const best = bestTrial(all, 'minimize');
      o.onTrial?.({ trial: done, finished, target, bestValue: best ? best.values![0] : null });
    }],
  });
  return { finished, cappedAtMax };
}
