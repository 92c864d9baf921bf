// In-process Storage: plain maps, every method does its work synchronously so it is atomic under async interleaving.
// Follows optuna/storages/_in_memory.py; the contract is in storage.ts.
import { checkDistributionCompatibility, storableInternal, type Distribution } from '../distributions.ts';
import { FrozenTrial, isFinished, type JsonValue, type StudyDirection, type TrialState } from '../frozen-trial.ts';
import {
  DuplicatedStudyError, NotFoundError, StorageError, UpdateFinishedTrialError,
  type FrozenStudy, type Storage, type TrialTemplate,
} from './storage.ts';

interface StudyRecord {
  name: string;
  directions: StudyDirection[];
  userAttrs: Record<string, JsonValue>;
  systemAttrs: Record<string, JsonValue>;
  trialIds: number[];
  /** first distribution seen per param name, for the compatibility check */
  paramDists: Map<string, Distribution>;
}

interface TrialRecord {
  studyId: number;
  trial: FrozenTrial;
  internal: Map<string, number>;
  heartbeat: number | null;
}

function jsonCopy<T extends JsonValue>(v: T): T {
  return v === undefined ? v : JSON.parse(JSON.stringify(v));
}

/** A Storage that lives in this process only (the default of createStudy). */
export class InMemoryStorage implements Storage {
  private studies = new Map<number, StudyRecord>();
  private trials = new Map<number, TrialRecord>();
  private nextStudyId = 1;
  private nextTrialId = 1;

  private study(studyId: number): StudyRecord {
    const s = this.studies.get(studyId);
    if (!s) throw new NotFoundError(`no study with id ${studyId}`);
    return s;
  }

  private record(trialId: number): TrialRecord {
    const t = this.trials.get(trialId);
    if (!t) throw new NotFoundError(`no trial with id ${trialId}`);
    return t;
  }

  private writable(trialId: number): TrialRecord {
    const r = this.record(trialId);
    if (isFinished(r.trial.state)) throw new UpdateFinishedTrialError(`trial ${r.trial.number} is already ${r.trial.state}`);
    return r;
  }

  async createNewStudy(directions: StudyDirection[], studyName?: string): Promise<number> {
    if (!Array.isArray(directions) || directions.length === 0) throw new StorageError('createNewStudy: at least one direction expected');
    for (const d of directions) if (d !== 'minimize' && d !== 'maximize') throw new StorageError(`createNewStudy: direction must be "minimize" or "maximize", got ${JSON.stringify(d)}`);
    const id = this.nextStudyId++;
    const name = studyName ?? `no-name-${id}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    for (const s of this.studies.values()) if (s.name === name) { this.nextStudyId--; throw new DuplicatedStudyError(`a study named "${name}" already exists`); }
    this.studies.set(id, { name, directions: [...directions], userAttrs: {}, systemAttrs: {}, trialIds: [], paramDists: new Map() });
    return id;
  }

  async deleteStudy(studyId: number): Promise<void> {
    const s = this.study(studyId);
    for (const t of s.trialIds) this.trials.delete(t);
    this.studies.delete(studyId);
  }

  async getStudyIdFromName(studyName: string): Promise<number> {
    for (const [id, s] of this.studies) if (s.name === studyName) return id;
    throw new NotFoundError(`no study named "${studyName}"`);
  }

  async getStudyNameFromId(studyId: number): Promise<string> {
    return this.study(studyId).name;
  }

  async getStudyDirections(studyId: number): Promise<StudyDirection[]> {
    return [...this.study(studyId).directions];
  }

  async setStudyUserAttr(studyId: number, key: string, value: JsonValue): Promise<void> {
    this.study(studyId).userAttrs[key] = jsonCopy(value);
  }

  async setStudySystemAttr(studyId: number, key: string, value: JsonValue): Promise<void> {
    this.study(studyId).systemAttrs[key] = jsonCopy(value);
  }

  async getStudyUserAttrs(studyId: number): Promise<Record<string, JsonValue>> {
    return jsonCopy(this.study(studyId).userAttrs);
  }

  async getStudySystemAttrs(studyId: number): Promise<Record<string, JsonValue>> {
    return jsonCopy(this.study(studyId).systemAttrs);
  }

  async getAllStudies(): Promise<FrozenStudy[]> {
    return [...this.studies.entries()].sort((a, b) => a[0] - b[0]).map(([studyId, s]) => ({
      studyId, studyName: s.name, directions: [...s.directions], userAttrs: jsonCopy(s.userAttrs), systemAttrs: jsonCopy(s.systemAttrs),
    }));
  }

  private checkParam(s: StudyRecord, name: string, internal: number, dist: Distribution, outOfRangeOk = false): void {
    const prev = s.paramDists.get(name);
    try {
      if (prev) checkDistributionCompatibility(prev, dist, name);
    } catch (e) {
      throw new StorageError((e as Error).message);
    }
    if (outOfRangeOk ? !storableInternal(dist, internal) : !dist.contains(internal)) throw new StorageError(`parameter "${name}": internal value ${internal} is not in ${JSON.stringify(dist.toJSON())}`);
  }

  async createNewTrial(studyId: number, template: TrialTemplate = {}): Promise<{ trialId: number; number: number }> {
    const s = this.study(studyId);
    const state = template.state ?? 'RUNNING';
    const params = template.params ?? {};
    const dists = template.distributions ?? {};
    const internal = new Map<string, number>();
    for (const [name, v] of Object.entries(params)) {
      const d = dists[name];
      if (!d) throw new StorageError(`createNewTrial: template param "${name}" has no distribution`);
      let x: number;
      try { x = d.toInternal(v); } catch (e) { throw new StorageError((e as Error).message); }
      this.checkParam(s, name, x, d);
      internal.set(name, x);
    }
    const values = template.values ?? null;
    if (values) this.checkValues(s, values);
    const now = new Date();
    const trialId = this.nextTrialId++;
    const number = s.trialIds.length;
    const trial = new FrozenTrial({
      trialId, number, state, values: values ? [...values] : null,
      datetimeStart: template.datetimeStart !== undefined ? template.datetimeStart : state === 'WAITING' ? null : now,
      datetimeComplete: template.datetimeComplete !== undefined ? template.datetimeComplete : isFinished(state) ? now : null,
      params: {}, distributions: {},
      userAttrs: jsonCopy(template.userAttrs ?? {}), systemAttrs: jsonCopy(template.systemAttrs ?? {}),
      intermediateValues: new Map(template.intermediateValues ?? []),
    });
    for (const [name, x] of internal) {
      trial.params[name] = dists[name].toExternal(x);
      trial.distributions[name] = dists[name];
      if (!s.paramDists.has(name)) s.paramDists.set(name, dists[name]);
    }
    s.trialIds.push(trialId);
    this.trials.set(trialId, { studyId, trial, internal, heartbeat: null });
    return { trialId, number };
  }

  async popWaitingTrial(studyId: number): Promise<number | null> {
    const s = this.study(studyId);
    for (const id of s.trialIds) {
      const r = this.trials.get(id)!;
      if (r.trial.state === 'WAITING') {
        r.trial.state = 'RUNNING';
        r.trial.datetimeStart = new Date();
        return id;
      }
    }
    return null;
  }

  async setTrialParam(trialId: number, paramName: string, internalValue: number, distribution: Distribution): Promise<void> {
    const r = this.writable(trialId);
    const s = this.study(r.studyId);
    this.checkParam(s, paramName, internalValue, distribution, true);
    if (!s.paramDists.has(paramName)) s.paramDists.set(paramName, distribution);
    r.internal.set(paramName, internalValue);
    r.trial.params[paramName] = distribution.toExternal(internalValue);
    r.trial.distributions[paramName] = distribution;
  }

  private checkValues(s: StudyRecord, values: number[]): void {
    if (values.length !== s.directions.length) throw new StorageError(`expected ${s.directions.length} objective value(s), got ${values.length}`);
    for (const v of values) if (typeof v !== 'number' || Number.isNaN(v)) throw new StorageError(`objective values must be numbers and not NaN, got ${JSON.stringify(values)}`);
  }

  async setTrialStateValues(trialId: number, state: TrialState, values?: number[] | null): Promise<boolean> {
    const r = this.record(trialId);
    const s = this.study(r.studyId);
    if (state === 'WAITING') throw new StorageError('setTrialStateValues: cannot move a trial back to WAITING');
    if (values) this.checkValues(s, values);
    if (isFinished(r.trial.state)) return false;
    if (state === 'RUNNING') {
      if (r.trial.state !== 'WAITING') return false;
      r.trial.datetimeStart = new Date();
    }
    if (isFinished(state)) r.trial.datetimeComplete = new Date();
    r.trial.state = state;
    if (values) r.trial.values = [...values];
    return true;
  }

  async setTrialIntermediateValue(trialId: number, step: number, value: number): Promise<void> {
    const r = this.writable(trialId);
    if (!Number.isInteger(step) || step < 0) throw new StorageError(`intermediate step must be an integer >= 0, got ${step}`);
    if (typeof value !== 'number') throw new StorageError(`intermediate value must be a number, got ${JSON.stringify(value)}`);
    r.trial.intermediateValues.set(step, value);
  }

  async setTrialUserAttr(trialId: number, key: string, value: JsonValue): Promise<void> {
    this.writable(trialId).trial.userAttrs[key] = jsonCopy(value);
  }

  async setTrialSystemAttr(trialId: number, key: string, value: JsonValue): Promise<void> {
    this.writable(trialId).trial.systemAttrs[key] = jsonCopy(value);
  }

  async getTrial(trialId: number): Promise<FrozenTrial> {
    return this.record(trialId).trial.clone();
  }

  async getTrialIdFromStudyIdTrialNumber(studyId: number, trialNumber: number): Promise<number> {
    const id = this.study(studyId).trialIds[trialNumber];
    if (id === undefined) throw new NotFoundError(`study ${studyId} has no trial number ${trialNumber}`);
    return id;
  }

  /** Synchronous, uncopied view for the sampler's hot path (callers must not mutate). */
  trialsView(studyId: number, states?: readonly TrialState[]): FrozenTrial[] {
    const out: FrozenTrial[] = [];
    for (const id of this.study(studyId).trialIds) {
      const t = this.trials.get(id)!.trial;
      if (!states || states.includes(t.state)) out.push(t);
    }
    return out;
  }

  async getAllTrials(studyId: number, opts: { states?: readonly TrialState[] } = {}): Promise<FrozenTrial[]> {
    return this.trialsView(studyId, opts.states).map((t) => t.clone());
  }

  async getNTrials(studyId: number, opts: { states?: readonly TrialState[] } = {}): Promise<number> {
    return this.trialsView(studyId, opts.states).length;
  }

  async getBestTrial(studyId: number): Promise<FrozenTrial> {
    const s = this.study(studyId);
    if (s.directions.length !== 1) throw new StorageError('getBestTrial: not defined for multi-objective studies');
    const sign = s.directions[0] === 'maximize' ? -1 : 1;
    let best: FrozenTrial | null = null;
    for (const t of this.trialsView(studyId, ['COMPLETE'])) {
      if (best === null || sign * t.values![0] < sign * best.values![0]) best = t;
    }
    if (!best) throw new NotFoundError(`study "${s.name}" has no COMPLETE trial yet`);
    return best.clone();
  }

  async recordHeartbeat(trialId: number): Promise<void> {
    this.record(trialId).heartbeat = Date.now();
  }

  async failStaleTrials(studyId: number, graceSeconds: number): Promise<number[]> {
    const now = Date.now();
    const failed: number[] = [];
    for (const id of this.study(studyId).trialIds) {
      const r = this.trials.get(id)!;
      if (r.trial.state !== 'RUNNING' || r.heartbeat === null) continue;
      if (now - r.heartbeat > graceSeconds * 1000) {
        r.trial.state = 'FAIL';
        r.trial.datetimeComplete = new Date(now);
        failed.push(r.trial.number);
      }
    }
    return failed;
  }

  async close(): Promise<void> {}
}
