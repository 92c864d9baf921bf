// The Storage contract every backend (memory, SQLite, PostgreSQL) implements; the shared suite is test/contract/storage.contract.ts.
// Modelled on optuna/storages/_base.py (BaseStorage) and _heartbeat.py, made async so a network database can implement it.
import { UserError } from '../../util/errors.ts';
import type { Distribution, ParamValue } from '../distributions.ts';
import type { FrozenTrial, JsonValue, StudyDirection, TrialState } from '../frozen-trial.ts';

/** Base class of the errors below; a UserError so the CLI prints it without a stack. */
export class StorageError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'StorageError';
  }
}
/** A study, trial, or trial number that does not exist (Optuna's KeyError). */
export class NotFoundError extends StorageError {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}
/** createNewStudy with a name that is taken (Optuna's DuplicatedStudyError). */
export class DuplicatedStudyError extends StorageError {
  constructor(message: string) {
    super(message);
    this.name = 'DuplicatedStudyError';
  }
}
/** Any write to a trial that is already COMPLETE, PRUNED or FAIL (Optuna's UpdateFinishedTrialError). */
export class UpdateFinishedTrialError extends StorageError {
  constructor(message: string) {
    super(message);
    this.name = 'UpdateFinishedTrialError';
  }
}

/** A study as listed by getAllStudies. */
export interface FrozenStudy {
  studyId: number;
  studyName: string;
  directions: StudyDirection[];
  userAttrs: Record<string, JsonValue>;
  systemAttrs: Record<string, JsonValue>;
}

/** What createNewTrial copies into the new trial; every field optional. */
export interface TrialTemplate {
  /** Default RUNNING. WAITING leaves datetimeStart null. */
  state?: TrialState;
  values?: number[] | null;
  /** External values; each needs an entry in distributions. */
  params?: Record<string, ParamValue>;
  distributions?: Record<string, Distribution>;
  userAttrs?: Record<string, JsonValue>;
  systemAttrs?: Record<string, JsonValue>;
  intermediateValues?: Map<number, number>;
  datetimeStart?: Date | null;
  datetimeComplete?: Date | null;
}

/**
 * Persistent home of studies and trials. Contract (the shared suite checks every line):
 *
 * - Every method is async and atomic: a method either applies all its writes or none, and concurrent calls
 *   (several workers, several processes for database backends) never observe half a write.
 * - Ids: studyId and trialId are positive integers unique within the storage and never reused while the storage lives.
 *   Trial `number` is 0-based within its study, unique and dense: the n-th trial created in a study gets number n-1,
 *   even when trials are created concurrently.
 * - Reads return fresh copies: mutating a returned FrozenTrial/FrozenStudy never changes stored data.
 * - Unknown studyId/trialId/name/number -> NotFoundError. Any write to a finished trial (COMPLETE, PRUNED, FAIL) ->
 *   UpdateFinishedTrialError, except setTrialStateValues, which returns false instead (so two workers cannot both finish
 *   a trial and the loser learns it without an exception). Bad arguments (NaN objective value, wrong number of values,
 *   negative or non-integer step, value outside its distribution) -> StorageError.
 * - Values: trial values may be finite or +-Infinity, never NaN. Intermediate values may be NaN or +-Infinity and must round-trip
 *   exactly (including NaN). Attribute values are JSON and round-trip through JSON.stringify/parse.
 * - Datetimes: datetimeStart is set when a trial becomes RUNNING (creation or claim), datetimeComplete when it finishes;
 *   both have at least millisecond precision.
 * - A storage never prints, never sleeps on purpose (except retrying a lock), and never deletes trials except through
 *   deleteStudy.
 */
export interface Storage {
  // ---- studies ----
  /** Creates a study; name defaults to a unique generated one. Throws DuplicatedStudyError when the name is taken, StorageError on empty directions. */
  createNewStudy(directions: StudyDirection[], studyName?: string): Promise<number>;
  /** Deletes the study with all its trials and attributes. Throws NotFoundError. */
  deleteStudy(studyId: number): Promise<void>;
  /** Throws NotFoundError. */
  getStudyIdFromName(studyName: string): Promise<number>;
  /** Throws NotFoundError. */
  getStudyNameFromId(studyId: number): Promise<string>;
  /** Throws NotFoundError. */
  getStudyDirections(studyId: number): Promise<StudyDirection[]>;
  /** Sets (or replaces) a study attribute. Throws NotFoundError. */
  setStudyUserAttr(studyId: number, key: string, value: JsonValue): Promise<void>;
  setStudySystemAttr(studyId: number, key: string, value: JsonValue): Promise<void>;
  /** Throws NotFoundError. */
  getStudyUserAttrs(studyId: number): Promise<Record<string, JsonValue>>;
  getStudySystemAttrs(studyId: number): Promise<Record<string, JsonValue>>;
  /** All studies ordered by studyId. */
  getAllStudies(): Promise<FrozenStudy[]>;

  // ---- trials ----
  /**
   * Creates a trial with the next number of the study, copying `template` (default: RUNNING, datetimeStart = now, nothing
   * else set). Throws NotFoundError for an unknown study, StorageError when a template param lacks a distribution or is
   * outside it.
   */
  createNewTrial(studyId: number, template?: TrialTemplate): Promise<{ trialId: number; number: number }>;
  /**
   * Atomically claims the oldest (lowest number) WAITING trial of the study: sets it RUNNING with datetimeStart = now and
   * returns its id, or null when none is waiting. Two concurrent callers never get the same trial.
   */
  popWaitingTrial(studyId: number): Promise<number | null>;
  /**
   * Stores a parameter as its internal value (float; the choice index for categoricals) with its distribution; setting the
   * same name again replaces it. Throws NotFoundError, UpdateFinishedTrialError, StorageError when the value is not in the
   * distribution or the distribution is incompatible (other class, other log flag, other choices) with the one the same
   * name has in another trial of the study.
   */
  setTrialParam(trialId: number, paramName: string, internalValue: number, distribution: Distribution): Promise<void>;
  /**
   * Moves the trial to `state`, storing `values` (null/omitted clears nothing and stores none). Returns false and changes
   * nothing when the trial is already finished, or when `state` is RUNNING and the trial is not WAITING (a lost claim).
   * RUNNING sets datetimeStart; finished states set datetimeComplete. Throws NotFoundError; StorageError when values has
   * a NaN or its length differs from the number of study directions, or when `state` is WAITING.
   */
  setTrialStateValues(trialId: number, state: TrialState, values?: number[] | null): Promise<boolean>;
  /** Stores (or replaces) the value at an integer step >= 0. Throws NotFoundError, UpdateFinishedTrialError, StorageError for a bad step. */
  setTrialIntermediateValue(trialId: number, step: number, value: number): Promise<void>;
  /** Throws NotFoundError, UpdateFinishedTrialError. */
  setTrialUserAttr(trialId: number, key: string, value: JsonValue): Promise<void>;
  /** Throws NotFoundError, UpdateFinishedTrialError. */
  setTrialSystemAttr(trialId: number, key: string, value: JsonValue): Promise<void>;
  /** Throws NotFoundError. */
  getTrial(trialId: number): Promise<FrozenTrial>;
  /** Throws NotFoundError when the study has no trial with that number. */
  getTrialIdFromStudyIdTrialNumber(studyId: number, trialNumber: number): Promise<number>;
  /** Trials of the study ordered by number, optionally only those in `states`. Throws NotFoundError. */
  getAllTrials(studyId: number, opts?: { states?: readonly TrialState[] }): Promise<FrozenTrial[]>;
  /** Count of trials, optionally only those in `states`. Throws NotFoundError. */
  getNTrials(studyId: number, opts?: { states?: readonly TrialState[] }): Promise<number>;
  /**
   * The COMPLETE trial with the best first value (lowest when minimising, highest when maximising; ties -> lowest number).
   * Throws NotFoundError when the study has no COMPLETE trial, StorageError for multi-objective studies.
   */
  getBestTrial(studyId: number): Promise<FrozenTrial>;

  // ---- heartbeat (Optuna's fail_stale_trials) ----
  /** Records "now" (the storage's clock: the database server's for database backends) as the trial's heartbeat. Throws NotFoundError. */
  recordHeartbeat(trialId: number): Promise<void>;
  /**
   * Marks FAIL (datetimeComplete = now) every RUNNING trial of the study whose last heartbeat is more than `graceSeconds`
   * (fractional allowed) in the past; trials that never recorded a heartbeat are left alone. Returns the failed trial
   * numbers in ascending order. Safe to call concurrently: each stale trial is failed (and returned) by one caller only.
   */
  failStaleTrials(studyId: number, graceSeconds: number): Promise<number[]>;

  /** Releases connections/handles; further calls may throw. Idempotent. */
  close(): Promise<void>;
}
