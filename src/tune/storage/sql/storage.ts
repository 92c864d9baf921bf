// Storage on an SQL database (Optuna's RDBStorage, docs/tuning.md#studies-and-storage), shared by the SQLite and PostgreSQL backends.
// Every method is one transaction; numbering and claims lock the study row, finishing is conditional on the observed state.
import { randomUUID } from 'node:crypto';
import { distributionToJson, storableInternal, type Distribution } from '../../distributions.ts';
import { isFinished, type FrozenTrial, type JsonValue, type StudyDirection, type TrialState, TRIAL_STATES } from '../../frozen-trial.ts';
import { DuplicatedStudyError, NotFoundError, StorageError, UpdateFinishedTrialError, type FrozenStudy, type Storage, type TrialTemplate } from '../storage.ts';
import type { SqlConn, SqlDriver } from './driver.ts';
import { decodeValue } from './codec.ts';
import { pyJsonDumps, pyJsonLoads } from '../../python-json.ts';
import { asStorageError, putHeartbeat, putIntermediate, putParam, putTrialAttr, putValues, type AttrKind } from './write.ts';
import { readTrials } from './read.ts';

function checkValues(values: readonly number[]): void {
  for (const v of values) if (typeof v !== 'number' || Number.isNaN(v)) throw new StorageError(`trial values must be numbers and not NaN, got ${JSON.stringify(values)}`);
}

/** Behaviour switches of the SQL storages beyond the Storage contract. */
export interface SqlStorageOptions {
  /**
   * Record a first heartbeat in the same transaction that makes a trial RUNNING (creation or claim), so a worker killed
   * before its heartbeat loop starts still leaves a trial that failStaleTrials can fail. @default false (Optuna's behaviour)
   */
  heartbeatOnStart?: boolean;
}

/** A Storage over any SqlDriver; use SqliteStorage / PostgresStorage (or openStorage) to get one. */
export class SqlStorage implements Storage {
  private closed = false;
  constructor(protected readonly driver: SqlDriver, protected readonly sqlOptions: SqlStorageOptions = {}) {}

  private async startHeartbeat(c: SqlConn, trialId: number): Promise<void> {
    if (!this.sqlOptions.heartbeatOnStart) return;
    await putHeartbeat(c, trialId, this.driver.dialect.nowSql);
  }

  private tx<T>(mode: 'read' | 'write', fn: (c: SqlConn) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new StorageError('storage is closed'));
    return this.driver.transaction(mode, fn);
  }

  private get now(): unknown {
    return this.driver.dialect.bindDate(new Date());
  }

  private async requireStudy(c: SqlConn, studyId: number, lock = false): Promise<void> {
    const row = await c.get(`SELECT study_id FROM studies WHERE study_id = ?${lock ? this.driver.dialect.forUpdate : ''}`, [studyId]);
    if (!row) throw new NotFoundError(`no study with id ${studyId}`);
  }

  private async lockTrial(c: SqlConn, trialId: number): Promise<{ studyId: number; state: TrialState; number: number }> {
    const row = await c.get<{ study_id: number; state: TrialState; number: number }>(
      `SELECT study_id, state, number FROM trials WHERE trial_id = ?${this.driver.dialect.forUpdate}`, [trialId]);
    if (!row) throw new NotFoundError(`no trial with id ${trialId}`);
    return { studyId: Number(row.study_id), state: row.state, number: Number(row.number) };
  }

  private async writableTrial(c: SqlConn, trialId: number): Promise<{ studyId: number; state: TrialState }> {
    const t = await this.lockTrial(c, trialId);
    if (isFinished(t.state)) throw new UpdateFinishedTrialError(`trial ${t.number} (id ${trialId}) is already ${t.state} and cannot be changed`);
    return t;
  }

  // ---- studies ----

  async createNewStudy(directions: StudyDirection[], studyName?: string): Promise<number> {
    if (!Array.isArray(directions) || directions.length === 0) throw new StorageError('a study needs at least one direction');
    for (const d of directions) if (d !== 'minimize' && d !== 'maximize') throw new StorageError(`direction must be 'minimize' or 'maximize', got ${JSON.stringify(d)}`);
    const name = studyName ?? `no-name-${randomUUID()}`;
    try {
      return await this.tx('write', async (c) => {
        if (await c.get('SELECT study_id FROM studies WHERE study_name = ?', [name])) throw new DuplicatedStudyError(`a study named '${name}' already exists`);
        const row = await c.get<{ study_id: number }>('INSERT INTO studies (study_name) VALUES (?) RETURNING study_id', [name]);
        const id = Number(row!.study_id);
        for (let i = 0; i < directions.length; i++) {
          await c.run('INSERT INTO study_directions (study_id, objective, direction) VALUES (?, ?, ?)', [id, i, directions[i].toUpperCase()]);
        }
        return id;
      });
    } catch (e) {
      if (this.driver.isUniqueViolation(e)) throw new DuplicatedStudyError(`a study named '${name}' already exists`);
      throw e;
    }
  }

  async deleteStudy(studyId: number): Promise<void> {
    await this.tx('write', async (c) => {
      // Optuna's schema has no ON DELETE CASCADE: children go first, as Optuna's ORM cascade deletes them
      await this.requireStudy(c, studyId, true);
      const ofStudy = 'trial_id IN (SELECT trial_id FROM trials WHERE study_id = ?)';
      for (const t of ['trial_heartbeats', 'trial_intermediate_values', 'trial_values', 'trial_params', 'trial_user_attributes', 'trial_system_attributes']) {
        await c.run(`DELETE FROM ${t} WHERE ${ofStudy}`, [studyId]);
      }
      for (const t of ['trials', 'study_user_attributes', 'study_system_attributes', 'study_directions']) await c.run(`DELETE FROM ${t} WHERE study_id = ?`, [studyId]);
      await c.run('DELETE FROM studies WHERE study_id = ?', [studyId]);
    });
  }

  async getStudyIdFromName(studyName: string): Promise<number> {
    const row = await this.tx('read', (c) => c.get<{ study_id: number }>('SELECT study_id FROM studies WHERE study_name = ?', [studyName]));
    if (!row) throw new NotFoundError(`no study named '${studyName}'`);
    return Number(row.study_id);
  }

  async getStudyNameFromId(studyId: number): Promise<string> {
    const row = await this.tx('read', (c) => c.get<{ study_name: string }>('SELECT study_name FROM studies WHERE study_id = ?', [studyId]));
    if (!row) throw new NotFoundError(`no study with id ${studyId}`);
    return row.study_name;
  }

  private async directions(c: SqlConn, studyId: number): Promise<StudyDirection[]> {
    const rows = await c.all<{ direction: string }>('SELECT direction FROM study_directions WHERE study_id = ? ORDER BY objective', [studyId]);
    if (rows.length === 0) await this.requireStudy(c, studyId);
    return rows.map((r) => r.direction.toLowerCase() as StudyDirection);
  }

  getStudyDirections(studyId: number): Promise<StudyDirection[]> {
    return this.tx('read', (c) => this.directions(c, studyId));
  }

  private async setStudyAttr(kind: AttrKind, studyId: number, key: string, value: JsonValue): Promise<void> {
    const json = value === undefined ? undefined : pyJsonDumps(value);
    if (json === undefined) throw new StorageError(`attribute '${key}' is not JSON-serialisable`);
    await this.tx('write', async (c) => {
      await this.requireStudy(c, studyId);
      await c.run(`INSERT INTO study_${kind}_attributes (study_id, key, value_json) VALUES (?, ?, ?)
        ON CONFLICT (study_id, key) DO UPDATE SET value_json = excluded.value_json`, [studyId, key, json]);
    });
  }

  setStudyUserAttr(studyId: number, key: string, value: JsonValue): Promise<void> {
    return this.setStudyAttr('user', studyId, key, value);
  }

  setStudySystemAttr(studyId: number, key: string, value: JsonValue): Promise<void> {
    return this.setStudyAttr('system', studyId, key, value);
  }

  private async studyAttrs(c: SqlConn, kind: AttrKind, studyId: number): Promise<Record<string, JsonValue>> {
    await this.requireStudy(c, studyId);
    const rows = await c.all<{ key: string; value_json: string }>(`SELECT key, value_json FROM study_${kind}_attributes WHERE study_id = ? ORDER BY study_${kind}_attribute_id`, [studyId]);
    return Object.fromEntries(rows.map((r) => [r.key, pyJsonLoads(r.value_json) as JsonValue]));
  }

  getStudyUserAttrs(studyId: number): Promise<Record<string, JsonValue>> {
    return this.tx('read', (c) => this.studyAttrs(c, 'user', studyId));
  }

  getStudySystemAttrs(studyId: number): Promise<Record<string, JsonValue>> {
    return this.tx('read', (c) => this.studyAttrs(c, 'system', studyId));
  }

  getAllStudies(): Promise<FrozenStudy[]> {
    return this.tx('read', async (c) => {
      const rows = await c.all<{ study_id: number; study_name: string }>('SELECT study_id, study_name FROM studies ORDER BY study_id');
      const out: FrozenStudy[] = [];
      for (const r of rows) {
        const id = Number(r.study_id);
        out.push({ studyId: id, studyName: r.study_name, directions: await this.directions(c, id), userAttrs: await this.studyAttrs(c, 'user', id), systemAttrs: await this.studyAttrs(c, 'system', id) });
      }
      return out;
    });
  }

  // ---- trials ----

  async createNewTrial(studyId: number, template: TrialTemplate = {}): Promise<{ trialId: number; number: number }> {
    const state = template.state ?? 'RUNNING';
    if (!TRIAL_STATES.includes(state)) throw new StorageError(`unknown trial state ${JSON.stringify(state)}`);
    if (template.values) checkValues(template.values);
    const params: [string, number, Distribution][] = Object.entries(template.params ?? {}).map(([name, v]) => {
      const d = template.distributions?.[name];
      if (!d) throw new StorageError(`template param '${name}' has no distribution`);
      const internal = asStorageError(() => d.toInternal(v));
      if (!d.contains(internal)) throw new StorageError(`template param '${name}' = ${JSON.stringify(v)} is outside ${JSON.stringify(distributionToJson(d))}`);
      return [name, internal, d];
    });
    for (const [step] of template.intermediateValues ?? []) if (!Number.isInteger(step) || step < 0) throw new StorageError(`intermediate step must be an integer >= 0, got ${step}`);
    return this.tx('write', async (c) => {
      await this.requireStudy(c, studyId, true);
      if (template.values) await this.checkValueCount(c, studyId, template.values);
      const now = new Date();
      const start = template.datetimeStart !== undefined ? template.datetimeStart : state === 'WAITING' ? null : now;
      const complete = template.datetimeComplete !== undefined ? template.datetimeComplete : isFinished(state) ? now : null;
      const bind = (d: Date | null) => (d ? this.driver.dialect.bindDate(d) : null);
      const row = await c.get<{ trial_id: number }>(
        'INSERT INTO trials (number, study_id, state, datetime_start, datetime_complete) VALUES (NULL, ?, ?, ?, ?) RETURNING trial_id',
        [studyId, state, bind(start), bind(complete)]);
      const trialId = Number(row!.trial_id);
      // numbered as Optuna numbers it (count of the study's earlier trials), in the same transaction, under the study lock
      const n = await c.get<{ n: number }>('SELECT COUNT(*) AS n FROM trials WHERE study_id = ? AND trial_id < ?', [studyId, trialId]);
      const number = Number(n!.n);
      await c.run('UPDATE trials SET number = ? WHERE trial_id = ?', [number, trialId]);
      for (const [name, internal, d] of params) await putParam(c, studyId, trialId, name, internal, d);
      if (template.values) await putValues(c, trialId, template.values);
      for (const [step, v] of template.intermediateValues ?? []) await putIntermediate(c, trialId, step, v);
      for (const [k, v] of Object.entries(template.userAttrs ?? {})) await putTrialAttr(c, 'user', trialId, k, v);
      for (const [k, v] of Object.entries(template.systemAttrs ?? {})) await putTrialAttr(c, 'system', trialId, k, v);
      if (state === 'RUNNING') await this.startHeartbeat(c, trialId);
      return { trialId, number };
    });
  }

  async popWaitingTrial(studyId: number): Promise<number | null> {
    // cheap unlocked look first: most calls find nothing and must not serialise workers on the study row
    const any = await this.tx('read', async (c) => {
      await this.requireStudy(c, studyId);
      return c.get("SELECT trial_id FROM trials WHERE study_id = ? AND state = 'WAITING' LIMIT 1", [studyId]);
    });
    if (!any) return null;
    return this.tx('write', async (c) => {
      await this.requireStudy(c, studyId, true);
      const row = await c.get<{ trial_id: number }>("SELECT trial_id FROM trials WHERE study_id = ? AND state = 'WAITING' ORDER BY number LIMIT 1", [studyId]);
      if (!row) return null;
      const r = await c.run("UPDATE trials SET state = 'RUNNING', datetime_start = ? WHERE trial_id = ? AND state = 'WAITING'", [this.now, row.trial_id]);
      if (r.changes !== 1) return null;
      await this.startHeartbeat(c, Number(row.trial_id));
      return Number(row.trial_id);
    });
  }

  private async checkValueCount(c: SqlConn, studyId: number, values: readonly number[]): Promise<void> {
    const n = (await this.directions(c, studyId)).length;
    if (values.length !== n) throw new StorageError(`the study has ${n} objective(s) but ${values.length} value(s) were given`);
  }

  async setTrialParam(trialId: number, paramName: string, internalValue: number, distribution: Distribution): Promise<void> {
    if (!storableInternal(distribution, internalValue)) {
      throw new StorageError(`param '${paramName}': internal value ${internalValue} is not storable for ${JSON.stringify(distributionToJson(distribution))}`);
    }
    await this.tx('write', async (c) => {
      const t = await this.writableTrial(c, trialId);
      await putParam(c, t.studyId, trialId, paramName, internalValue, distribution);
    });
  }

  async setTrialStateValues(trialId: number, state: TrialState, values?: number[] | null): Promise<boolean> {
    if (state === 'WAITING') throw new StorageError('a trial cannot be moved back to WAITING');
    if (!TRIAL_STATES.includes(state)) throw new StorageError(`unknown trial state ${JSON.stringify(state)}`);
    if (values) checkValues(values);
    return this.tx('write', async (c) => {
      const t = await this.lockTrial(c, trialId);
      if (isFinished(t.state)) return false;
      if (state === 'RUNNING' && t.state !== 'WAITING') return false;
      if (values) await this.checkValueCount(c, t.studyId, values);
      const now = this.now;
      const set = state === 'RUNNING' ? 'datetime_start = ?' : isFinished(state) ? 'datetime_complete = ?' : '';
      const r = await c.run(`UPDATE trials SET state = ?${set ? `, ${set}` : ''} WHERE trial_id = ? AND state = ?`,
        set ? [state, now, trialId, t.state] : [state, trialId, t.state]);
      if (r.changes !== 1) return false;
      if (values) await putValues(c, trialId, values);
      if (state === 'RUNNING') await this.startHeartbeat(c, trialId);
      return true;
    });
  }

  async setTrialIntermediateValue(trialId: number, step: number, value: number): Promise<void> {
    if (!Number.isInteger(step) || step < 0) throw new StorageError(`intermediate step must be an integer >= 0, got ${step}`);
    if (typeof value !== 'number') throw new StorageError(`intermediate value must be a number, got ${JSON.stringify(value)}`);
    await this.tx('write', async (c) => {
      await this.writableTrial(c, trialId);
      await putIntermediate(c, trialId, step, value);
    });
  }

  private async setTrialAttr(kind: AttrKind, trialId: number, key: string, value: JsonValue): Promise<void> {
    await this.tx('write', async (c) => {
      await this.writableTrial(c, trialId);
      await putTrialAttr(c, kind, trialId, key, value);
    });
  }

  setTrialUserAttr(trialId: number, key: string, value: JsonValue): Promise<void> {
    return this.setTrialAttr('user', trialId, key, value);
  }

  setTrialSystemAttr(trialId: number, key: string, value: JsonValue): Promise<void> {
    return this.setTrialAttr('system', trialId, key, value);
  }

  async getTrial(trialId: number): Promise<FrozenTrial> {
    const [t] = await this.tx('read', (c) => readTrials(c, { trialId }));
    if (!t) throw new NotFoundError(`no trial with id ${trialId}`);
    return t;
  }

  async getTrialIdFromStudyIdTrialNumber(studyId: number, trialNumber: number): Promise<number> {
    const row = await this.tx('read', async (c) => {
      await this.requireStudy(c, studyId);
      return c.get<{ trial_id: number }>('SELECT trial_id FROM trials WHERE study_id = ? AND number = ?', [studyId, trialNumber]);
    });
    if (!row) throw new NotFoundError(`study ${studyId} has no trial number ${trialNumber}`);
    return Number(row.trial_id);
  }

  getAllTrials(studyId: number, opts: { states?: readonly TrialState[] } = {}): Promise<FrozenTrial[]> {
    return this.tx('read', async (c) => {
      await this.requireStudy(c, studyId);
      return readTrials(c, { studyId, states: opts.states });
    });
  }

  getNTrials(studyId: number, opts: { states?: readonly TrialState[] } = {}): Promise<number> {
    return this.tx('read', async (c) => {
      await this.requireStudy(c, studyId);
      if (opts.states && opts.states.length === 0) return 0;
      const inStates = opts.states ? ` AND state IN (${opts.states.map(() => '?').join(', ')})` : '';
      const row = await c.get<{ n: number }>(`SELECT COUNT(*) AS n FROM trials WHERE study_id = ?${inStates}`, [studyId, ...(opts.states ?? [])]);
      return Number(row!.n);
    });
  }

  async getBestTrial(studyId: number): Promise<FrozenTrial> {
    return this.tx('read', async (c) => {
      const dirs = await this.directions(c, studyId);
      if (dirs.length !== 1) throw new StorageError('getBestTrial is only defined for single-objective studies');
      const rows = await c.all<{ trial_id: number; value: number | null; value_type: string }>(
        `SELECT t.trial_id, v.value, v.value_type FROM trials t JOIN trial_values v ON v.trial_id = t.trial_id AND v.objective = 0
         WHERE t.study_id = ? AND t.state = 'COMPLETE' ORDER BY t.number`, [studyId]);
      const sign = dirs[0] === 'maximize' ? -1 : 1;
      let best: { id: number; v: number } | null = null;
      for (const r of rows) {
        const v = sign * decodeValue(r.value, r.value_type);
        if (best === null || v < best.v) best = { id: Number(r.trial_id), v };
      }
      if (best === null) throw new NotFoundError(`study ${studyId} has no COMPLETE trial`);
      return (await readTrials(c, { trialId: best.id }))[0];
    });
  }

  // ---- heartbeat ----

  async recordHeartbeat(trialId: number): Promise<void> {
    await this.tx('write', async (c) => {
      if (this.driver.dialect.relaxedDurabilitySql) await c.run(this.driver.dialect.relaxedDurabilitySql);
      if (!(await c.get('SELECT trial_id FROM trials WHERE trial_id = ?', [trialId]))) throw new NotFoundError(`no trial with id ${trialId}`);
      await putHeartbeat(c, trialId, this.driver.dialect.nowSql);
    });
  }

  async failStaleTrials(studyId: number, graceSeconds: number): Promise<number[]> {
    if (!(graceSeconds >= 0)) throw new StorageError(`graceSeconds must be >= 0, got ${graceSeconds}`);
    const cut = this.driver.dialect.cutoff(graceSeconds);
    const staleSql = `SELECT h.trial_id FROM trial_heartbeats h WHERE h.trial_id = ? AND h.heartbeat < ${cut.sql}`;
    // read first (no lock, no commit to flush); every worker calls this before each trial
    const stale = await this.tx('read', async (c) => {
      await this.requireStudy(c, studyId);
      return c.all<{ trial_id: number; number: number }>(
        `SELECT t.trial_id, t.number FROM trials t JOIN trial_heartbeats h ON h.trial_id = t.trial_id
         WHERE t.study_id = ? AND t.state = 'RUNNING' AND h.heartbeat < ${cut.sql} ORDER BY t.number`, [studyId, ...cut.params]);
    });
    if (stale.length === 0) return [];
    // the update is conditional on RUNNING (re-checked under the row lock), so each stale trial is failed by one caller
    return this.tx('write', async (c) => {
      const failed: number[] = [];
      for (const s of stale) {
        const r = await c.run(`UPDATE trials SET state = 'FAIL', datetime_complete = ? WHERE trial_id = ? AND state = 'RUNNING' AND trial_id IN (${staleSql})`,
          [this.now, s.trial_id, s.trial_id, ...cut.params]);
        if (r.changes === 1) failed.push(Number(s.number));
      }
      return failed;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.driver.close();
  }
}
