// The `study tell` verb: Optuna's Study.tell by trial number (optuna/study/_tell.py) — values without --state complete the
// trial, or FAIL it with a warning when they are unusable (NaN, wrong count), as Optuna does; plus tokcast's extension
// `--step k --intermediate v`, which records an intermediate value and asks the pruner (docs/tuning.md#cli).
import { createPruner } from '../../tune/pruners/factory.ts';
import type { PrunerStudy } from '../../tune/pruners/pruner.ts';
import { isFinished, type TrialState } from '../../tune/frozen-trial.ts';
import { NotFoundError, type Storage } from '../../tune/storage/storage.ts';
import { PyFloat } from '../../tune/python-json.ts';
import { pyRepr } from '../../tune/python-repr.ts';
import { parseInteger, parseJsonObject, parseNumber } from './study-args.ts';
import { StudyCliError, type StudyLog } from './study-log.ts';

export interface TellOptions {
  studyName?: string; trialNumber?: number; values?: number[]; state?: 'complete' | 'pruned' | 'fail'; skipIfFinished?: boolean;
  step?: string; intermediate?: string; pruner?: string; prunerKwargs?: string;
}

async function trialIdOf(s: Storage, studyId: number, number: number): Promise<number> {
  try {
    return await s.getTrialIdFromStudyIdTrialNumber(studyId, number);
  } catch (e) {
    if (e instanceof NotFoundError) throw new StudyCliError(`Cannot tell for trial with number ${number} since it has not been created.`);
    throw e;
  }
}

/** Why `values` cannot complete a trial of a study with `nObjectives` objectives (Optuna's _check_values_are_feasible), or null. */
export function infeasibility(values: readonly number[], nObjectives: number): string | null {
  const nan = values.filter(Number.isNaN);
  if (nan.length) return nan.map(() => 'The value nan is not acceptable').join('; ');
  if (values.length !== nObjectives) return `The number of the values ${values.length} did not match the number of the objectives ${nObjectives}`;
  return null;
}

/** Finishes trial `o.trialNumber` as Optuna's tell does; logs what it did. Throws StudyCliError where Optuna raises. */
export async function tellFinal(s: Storage, studyId: number, o: TellOptions, log: StudyLog): Promise<void> {
  if (o.trialNumber === undefined) throw new StudyCliError('--trial-number is not given: Trial must be a trial object or trial number.');
  const number = o.trialNumber;
  const nObj = (await s.getStudyDirections(studyId)).length;
  const trialId = await trialIdOf(s, studyId, number);
  const t = await s.getTrial(trialId);
  const told = `values ${o.values ? pyRepr(o.values.map((v) => new PyFloat(v))) : 'None'} and state ${o.state ? `TrialState.${o.state.toUpperCase()}` : 'None'}`;
  const done = () => log.info(`Told trial ${number} with ${told}.`);
  if (isFinished(t.state) && o.skipIfFinished) {
    log.info(`Skipped telling trial ${number} with ${told} since trial was already finished. Finished trial has values ${t.values ? pyRepr(t.values.map((v) => new PyFloat(v))) : 'None'} and state TrialState.${t.state}.`);
    return done();
  }
  if (t.state !== 'RUNNING') throw new StudyCliError(`Cannot tell a ${t.state} trial.`);

  let values: number[] | null = o.values ?? null;
  let state: TrialState;
  if (o.state === 'complete') {
    if (!values) throw new StudyCliError('No values were told. Values are required when state is TrialState.COMPLETE.');
    const why = infeasibility(values, nObj);
    if (why) throw new StudyCliError(`${why} (trial ${number} stays RUNNING; tell it again)`);
    state = 'COMPLETE';
  } else if (o.state === 'pruned' || o.state === 'fail') {
    if (values) throw new StudyCliError('Values were told. Values cannot be specified when state is TrialState.PRUNED or TrialState.FAIL.');
    state = o.state === 'pruned' ? 'PRUNED' : 'FAIL';
    if (state === 'PRUNED' && t.lastStep !== null) {
      const last = t.intermediateValues.get(t.lastStep)!;
      if (infeasibility([last], nObj) === null) values = [last];
    }
  } else {
    const why = values ? infeasibility(values, nObj) : 'The value None could not be cast to float.';
    if (why) {
      log.warning(`Trial ${number} is marked FAIL: ${why}.`);
      state = 'FAIL';
      values = null;
    } else state = 'COMPLETE';
  }
  if (!(await s.setTrialStateValues(trialId, state, values))) {
    // another worker finished it between our read and our write
    const now = await s.getTrial(trialId);
    if (!o.skipIfFinished) throw new StudyCliError(`Cannot tell a ${now.state} trial.`);
  }
  done();
}

/** tokcast's extension: records an intermediate value of a RUNNING trial and returns the pruner's verdict. */
export async function tellIntermediate(s: Storage, studyId: number, o: TellOptions, log: StudyLog): Promise<{ number: number; step: number; should_prune: boolean }> {
  if (o.step === undefined || o.intermediate === undefined) throw new StudyCliError('--step and --intermediate go together');
  if (o.values || o.state) throw new StudyCliError('--step/--intermediate report a running trial; do not combine them with --values or --state');
  if (o.trialNumber === undefined) throw new StudyCliError('--trial-number is not given');
  const step = parseInteger(o.step, '--step');
  const value = parseNumber(o.intermediate, '--intermediate');
  const pruner = createPruner(o.pruner ?? 'MedianPruner', parseJsonObject(o.prunerKwargs, '--pruner-kwargs'));
  const number = o.trialNumber;
  const directions = await s.getStudyDirections(studyId);
  if (directions.length !== 1) throw new StudyCliError('intermediate values are not supported for multi-objective studies');
  const trialId = await trialIdOf(s, studyId, number);
  const before = await s.getTrial(trialId);
  if (before.state !== 'RUNNING') throw new StudyCliError(`trial ${number} is ${before.state}; only a RUNNING trial can report intermediate values`);
  if (before.intermediateValues.has(step)) log.warning(`trial ${number} already reported step ${step}; the new value is ignored`);
  else await s.setTrialIntermediateValue(trialId, step, value);
  const view: PrunerStudy = {
    directions,
    getTrials: (opts) => s.getAllTrials(studyId, opts),
    setTrialSystemAttr: (id, key, v) => s.setTrialSystemAttr(id, key, v),
  };
  const shouldPrune = await pruner.prune(view, await s.getTrial(trialId));
  return { number, step, should_prune: shouldPrune };
}
