// `tokcast study <verb>`: Optuna-compatible study verbs over any storage URL, following optuna/cli.py (docs/tuning.md#cli).
// stdout carries one JSON value per call (create-study: the name, as Optuna prints it); messages go to stderr.
import { Command, Option } from 'commander';
import { UserError } from '../../util/errors.ts';
import { distributionFromJson, type Distribution, type DistributionJson } from '../../tune/distributions.ts';
import { isFinished, type JsonValue, type StudyDirection, type TrialState } from '../../tune/frozen-trial.ts';
import { createPruner } from '../../tune/pruners/factory.ts';
import { createSampler } from '../../tune/samplers/factory.ts';
import type { PrunerStudy } from '../../tune/pruners/pruner.ts';
import { DuplicatedStudyError, type Storage } from '../../tune/storage/storage.ts';
import { openStorage } from '../../tune/storage/url.ts';
import { jsonNumber, parseInteger, parseJsonObject, parseNumber, studyJson, trialJson } from './study-format.ts';
import { askTrial } from './study-ask.ts';

/** Where the verbs write; tests pass their own. */
export interface StudyCliIo {
  out(text: string): void;
  err(text: string): void;
}

const processIo: StudyCliIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

interface Common { storage?: string; studyName?: string; study?: string; format?: string }

function storageUrl(cmd: Command): string | undefined {
  const local = (cmd.opts() as Common).storage;
  const parent = (cmd.parent?.opts() as Common | undefined)?.storage;
  return local ?? parent ?? process.env.TOKCAST_STORAGE ?? process.env.OPTUNA_STORAGE ?? undefined;
}

function studyName(o: Common, required = true): string {
  const name = o.studyName ?? o.study;
  if (required && !name) throw new UserError('--study-name is required');
  return name ?? '';
}

function checkFormat(o: Common): void {
  if (o.format !== undefined && o.format !== 'json') throw new UserError(`-f/--format: only json is supported, got ${JSON.stringify(o.format)}`);
}

async function withStorage<T>(cmd: Command, fn: (s: Storage) => Promise<T>): Promise<T> {
  const s = await openStorage(storageUrl(cmd));
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

function common(cmd: Command, withName = true, withFormat = false): Command {
  cmd.option('--storage <url>', 'storage URL: sqlite:///path.db, a file path, postgresql://user@host/db, memory (env TOKCAST_STORAGE; default artifacts/studies.db)');
  if (withName) cmd.option('--study-name <name>', 'study name').addOption(new Option('--study <name>', 'alias of --study-name').hideHelp());
  if (withFormat) cmd.option('-f, --format <format>', 'output format (json)', 'json');
  return cmd;
}

/** Parses Optuna's --search-space JSON: name -> distribution JSON. Throws UserError naming the bad parameter. */
export function parseSearchSpace(text: string | undefined): Record<string, Distribution> {
  if (text === undefined) throw new UserError('--search-space is required (JSON: name -> {"name": "FloatDistribution", "attributes": {...}})');
  const raw = parseJsonObject(text, '--search-space');
  const out: Record<string, Distribution> = {};
  for (const [name, d] of Object.entries(raw)) {
    try {
      out[name] = distributionFromJson(d as DistributionJson);
    } catch (e) {
      throw new UserError(`--search-space: parameter "${name}": ${(e as Error).message}`);
    }
  }
  return out;
}

function registerListing(study: Command, io: StudyCliIo): void {
  common(study.command('studies').description('list studies (JSON array)'), false, true).action(async (o: Common, cmd: Command) => {
    checkFormat(o);
    const rows = await withStorage(cmd, async (s) => {
      const out = [];
      for (const st of await s.getAllStudies()) out.push(studyJson(st, await s.getAllTrials(st.studyId)));
      return out;
    });
    io.out(JSON.stringify(rows) + '\n');
  });

  common(study.command('study-names').description('list study names (JSON array)')).action(async (_o: Common, cmd: Command) => {
    const names = await withStorage(cmd, async (s) => (await s.getAllStudies()).map((st) => st.studyName));
    io.out(JSON.stringify(names) + '\n');
  });

  common(study.command('trials').description('list the trials of a study (JSON array)'), true, true).action(async (o: Common, cmd: Command) => {
    checkFormat(o);
    const rows = await withStorage(cmd, async (s) => {
      const id = await s.getStudyIdFromName(studyName(o));
      const n = (await s.getStudyDirections(id)).length;
      return (await s.getAllTrials(id)).map((t) => trialJson(t, n));
    });
    io.out(JSON.stringify(rows) + '\n');
  });

  common(study.command('best-trial').description('the best COMPLETE trial (JSON object)'), true, true).action(async (o: Common, cmd: Command) => {
    checkFormat(o);
    const row = await withStorage(cmd, async (s) => {
      const id = await s.getStudyIdFromName(studyName(o));
      const n = (await s.getStudyDirections(id)).length;
      return trialJson(await s.getBestTrial(id), n);
    });
    io.out(JSON.stringify(row) + '\n');
  });
}

function registerCreateDelete(study: Command, io: StudyCliIo): void {
  common(study.command('create-study').description('create a study and print its name'))
    .addOption(new Option('--direction <direction>', 'objective direction').choices(['minimize', 'maximize']))
    .option('--directions <directions...>', 'one direction per objective (multi-objective)')
    .option('--skip-if-exists', 'load the study instead of failing when the name is taken')
    .action(async (o: Common & { direction?: string; directions?: string[]; skipIfExists?: boolean }, cmd: Command) => {
      if (o.direction && o.directions) throw new UserError('give either --direction or --directions, not both');
      const dirs = (o.directions ?? [o.direction ?? 'minimize']).map((d) => d.toLowerCase());
      for (const d of dirs) if (d !== 'minimize' && d !== 'maximize') throw new UserError(`--directions: 'minimize' or 'maximize' expected, got '${d}'`);
      const name = await withStorage(cmd, async (s) => {
        const wanted = studyName(o, false) || undefined;
        try {
          const id = await s.createNewStudy(dirs as StudyDirection[], wanted);
          io.err(`A new study created with name: ${await s.getStudyNameFromId(id)}\n`);
          return s.getStudyNameFromId(id);
        } catch (e) {
          if (!(e instanceof DuplicatedStudyError) || !o.skipIfExists || !wanted) throw e;
          const existing = await s.getStudyDirections(await s.getStudyIdFromName(wanted));
          if (existing.join() !== dirs.join()) throw new UserError(`study '${wanted}' exists with direction(s) ${existing.join(', ')}, not ${dirs.join(', ')}`);
          io.err(`Using an existing study with name '${wanted}' instead of creating a new one.\n`);
          return wanted;
        }
      });
      io.out(`${name}\n`);
    });

  common(study.command('set-user-attr').description('set a study user attribute (value parsed as JSON when it is JSON, else a string)'))
    .option('--key <key>', 'attribute key')
    .addOption(new Option('--value <value>', 'attribute value'))
    .action(async (o: Common & { key?: string; value?: string }, cmd: Command) => {
      if (!o.key || o.value === undefined) throw new UserError('--key and --value are required');
      let value: JsonValue = o.value;
      try {
        value = JSON.parse(o.value) as JsonValue;
      } catch { /* a plain string, as Optuna stores it */ }
      await withStorage(cmd, async (s) => s.setStudyUserAttr(await s.getStudyIdFromName(studyName(o)), o.key!, value));
      io.err(`Attribute successfully written.\n`);
    });

  common(study.command('delete-study').description('delete a study with all its trials')).action(async (o: Common, cmd: Command) => {
    await withStorage(cmd, async (s) => s.deleteStudy(await s.getStudyIdFromName(studyName(o))));
    io.err(`Deleted study '${studyName(o)}'.\n`);
  });
}

interface TellOpts extends Common {
  trialNumber?: string; values?: string[]; value?: string[]; state?: string; skipIfFinished?: boolean;
  step?: string; intermediate?: string; pruner?: string; prunerKwargs?: string;
}

async function tellIntermediate(s: Storage, o: TellOpts, io: StudyCliIo): Promise<Record<string, unknown>> {
  if (o.step === undefined || o.intermediate === undefined) throw new UserError('--step and --intermediate go together');
  if (o.values || o.value || o.state) throw new UserError('--step/--intermediate report a running trial; do not combine them with --values or --state');
  const step = parseInteger(o.step, '--step');
  const value = parseNumber(o.intermediate, '--intermediate');
  const pruner = createPruner(o.pruner ?? 'MedianPruner', parseJsonObject(o.prunerKwargs, '--pruner-kwargs'));
  const number = parseInteger(o.trialNumber!, '--trial-number');
  const studyId = await s.getStudyIdFromName(studyName(o));
  const directions = await s.getStudyDirections(studyId);
  if (directions.length !== 1) throw new UserError('intermediate values are not supported for multi-objective studies');
  const trialId = await s.getTrialIdFromStudyIdTrialNumber(studyId, number);
  const before = await s.getTrial(trialId);
  if (before.state !== 'RUNNING') throw new UserError(`trial ${number} is ${before.state}; only a RUNNING trial can report intermediate values`);
  if (before.intermediateValues.has(step)) io.err(`warning: trial ${number} already reported step ${step}; the new value is ignored\n`);
  else await s.setTrialIntermediateValue(trialId, step, value);
  const view: PrunerStudy = {
    directions,
    getTrials: (opts) => s.getAllTrials(studyId, opts),
    setTrialSystemAttr: (id, key, v) => s.setTrialSystemAttr(id, key, v),
  };
  const shouldPrune = await pruner.prune(view, await s.getTrial(trialId));
  return { number, step, should_prune: shouldPrune };
}

async function tellFinal(s: Storage, o: TellOpts, io: StudyCliIo): Promise<Record<string, unknown>> {
  const raw = o.values ?? o.value;
  const stateName = (o.state ?? (raw ? 'complete' : '')).toLowerCase();
  if (!stateName) throw new UserError('give --values (complete) or --state complete|pruned|fail');
  const state = ({ complete: 'COMPLETE', pruned: 'PRUNED', fail: 'FAIL' } as Record<string, TrialState>)[stateName];
  if (!state) throw new UserError(`--state: complete, pruned or fail expected, got '${o.state}'`);
  if (state !== 'COMPLETE' && raw) throw new UserError(`--values must not be given with --state ${stateName}`);
  if (state === 'COMPLETE' && !raw) throw new UserError('--state complete needs --values');
  let values = raw ? raw.map((v) => parseNumber(v, '--values')) : null;
  const number = parseInteger(o.trialNumber!, '--trial-number');
  const studyId = await s.getStudyIdFromName(studyName(o));
  const nObj = (await s.getStudyDirections(studyId)).length;
  if (values && values.length !== nObj) throw new UserError(`--values: the study has ${nObj} objective(s) but ${values.length} value(s) were given`);
  const trialId = await s.getTrialIdFromStudyIdTrialNumber(studyId, number);
  const t = await s.getTrial(trialId);
  let final = state;
  if (state === 'COMPLETE' && values!.some(Number.isNaN)) {
    io.err(`warning: trial ${number} returned NaN; it is marked FAIL (as Optuna does)\n`);
    final = 'FAIL';
    values = null;
  }
  if (state === 'PRUNED' && t.lastStep !== null) {
    const last = t.intermediateValues.get(t.lastStep)!;
    if (!Number.isNaN(last)) values = [last];
  }
  const finished = isFinished(t.state) || !(await s.setTrialStateValues(trialId, final, values));
  if (finished) {
    const now = await s.getTrial(trialId);
    if (!o.skipIfFinished) throw new UserError(`trial ${number} is already finished (${now.state}); pass --skip-if-finished to ignore`);
    io.err(`Trial ${number} is already finished (${now.state}); skipped.\n`);
    return { number, state: now.state, values: now.values?.map(jsonNumber) ?? null, skipped: true };
  }
  io.err(`Told trial ${number} with values ${JSON.stringify(values)} and state ${final}.\n`);
  return { number, state: final, values: values?.map(jsonNumber) ?? null };
}

function registerAskTell(study: Command, io: StudyCliIo): void {
  common(study.command('ask').description('create a trial, sample its parameters and print {"number", "params"}'), true, true)
    .option('--search-space <json>', "Optuna's search-space JSON: name -> distribution JSON")
    .option('--sampler <class>', 'TPESampler or RandomSampler', 'TPESampler')
    .option('--sampler-kwargs <json>', 'sampler keyword arguments (JSON, snake_case)')
    .option('--seed <n>', 'sampler seed; each trial draws from a hash of (seed, study, trial number), so asks and workers never repeat but a run does')
    .action(async (o: Common & { searchSpace?: string; sampler: string; samplerKwargs?: string; seed?: string }, cmd: Command) => {
      checkFormat(o);
      const space = parseSearchSpace(o.searchSpace);
      const kwargs = parseJsonObject(o.samplerKwargs, '--sampler-kwargs');
      const seed = o.seed === undefined ? undefined : parseInteger(o.seed, '--seed');
      createSampler(o.sampler, { ...kwargs, seed: 0 });
      const result = await withStorage(cmd, (s) => askTrial(s, studyName(o), space, o.sampler, kwargs, seed));
      io.out(JSON.stringify(result) + '\n');
    });

  common(study.command('tell').description('finish a trial (--values/--state) or report an intermediate value (--step/--intermediate)'))
    .option('--trial-number <n>', 'trial number')
    .option('--values <values...>', 'objective value(s)')
    .addOption(new Option('--value <values...>', 'alias of --values').hideHelp())
    .option('--state <state>', 'complete, pruned or fail')
    .option('--skip-if-finished', 'exit 0 when the trial is already finished')
    .option('--step <k>', 'report an intermediate value at this step (the trial stays RUNNING)')
    .option('--intermediate <v>', 'the intermediate value')
    .option('--pruner <class>', 'MedianPruner, PercentilePruner, SuccessiveHalvingPruner or NopPruner', 'MedianPruner')
    .option('--pruner-kwargs <json>', 'pruner keyword arguments (JSON, snake_case)')
    .action(async (o: TellOpts, cmd: Command) => {
      if (o.trialNumber === undefined) throw new UserError('--trial-number is required');
      studyName(o);
      const intermediate = o.step !== undefined || o.intermediate !== undefined;
      if (intermediate) createPruner(o.pruner ?? 'MedianPruner', parseJsonObject(o.prunerKwargs, '--pruner-kwargs'));
      const result = await withStorage(cmd, (s) => (intermediate ? tellIntermediate(s, o, io) : tellFinal(s, o, io)));
      io.out(JSON.stringify(result) + '\n');
    });
}

/** Adds `study` with its verbs to `program`; errors are thrown as UserError for main.ts to print. */
export function registerStudyCommands(program: Command, io: StudyCliIo = processIo): void {
  const study = program.command('study').description('Optuna-compatible study verbs on a storage (SQLite file, PostgreSQL, memory)');
  study.option('--storage <url>', 'storage URL for every verb (also per verb)');
  registerCreateDelete(study, io);
  registerListing(study, io);
  registerAskTell(study, io);
}
