// `tokcast study <verb>`: Optuna 4.9's CLI verb for verb (optuna/cli.py), over the same databases: create-study,
// delete-study, study set-user-attr, study-names, studies, trials, best-trial, best-trials, ask, tell, storage upgrade;
// output as Optuna prints it (-f value|json|table|yaml, --flatten), logs on stderr, exit 0 / 1 (2 for bad arguments).
// tokcast's extensions: `ask --seed`, `tell --step/--intermediate` (pruning), memory and plain-path storages (docs/tuning.md#cli).
import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { StudyDirection } from '../../tune/frozen-trial.ts';
import { paretoFront } from '../../tune/pareto.ts';
import { createSampler } from '../../tune/samplers/factory.ts';
import { DuplicatedStudyError, NotFoundError, type Storage } from '../../tune/storage/storage.ts';
import { openStorage, parseStorageUrl, redact } from '../../tune/storage/url.ts';
import { upgradeStorage } from '../../tune/storage/upgrade.ts';
import { pyRepr, type PyValue } from '../../tune/python-repr.ts';
import { parseInteger, parseJsonObject, parseNumber, parseSearchSpace } from './study-args.ts';
import { askTrial } from './study-ask.ts';
import { colKey, FORMATS, formatOutput, type OutputFormat } from './study-format.ts';
import { StudyCliError, StudyExit, StudyLog, type StudyCliIo } from './study-log.ts';
import { askRecord, feasible, metricNames, pyParam, studyRecords, trialRecords } from './study-records.ts';
import { tellFinal, tellIntermediate, type TellOptions } from './study-tell.ts';

export type { StudyCliIo } from './study-log.ts';

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
/** What `tokcast study --version` prints: tokcast's version and the Optuna CLI it follows. */
export const STUDY_VERSION_TEXT = `tokcast ${pkg.version} (optuna 4.9.0 CLI)`;

const processIo: StudyCliIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

const STORAGE_CLASSES = ['RDBStorage', 'JournalFileBackend', 'JournalRedisBackend', 'JournalFileStorage', 'JournalRedisStorage'];

interface Globals { storage?: string; storageClass?: string; verbose: number; quiet: boolean; logFile?: string; debug: boolean }

/** The options every verb takes (argparse's parent parser in optuna/cli.py). */
function globalOptions(cmd: Command): Command {
  return cmd
    .option('--storage <url>', 'DB URL (e.g. sqlite:///example.db); also OPTUNA_STORAGE')
    .addOption(new Option('--storage-class <class>', 'storage class hint (RDBStorage)').argParser((v: string) => {
      if (!STORAGE_CLASSES.includes(v)) throw new InvalidArgumentError(`choose from ${STORAGE_CLASSES.slice(0, 3).join(', ')}`);
      return v;
    }))
    .addOption(new Option('-v, --verbose', 'increase verbosity of output; can be repeated').argParser((_v: string, prev: number) => (prev ?? 0) + 1))
    .addOption(new Option('-q, --quiet', 'suppress output except warnings and errors').conflicts('verbose'))
    .option('--log-file <file>', 'also append the log to this file')
    .option('--debug', 'show stack traces on errors');
}

/**
 * argparse's abbreviations: a long option given by an unambiguous prefix (`--study` for `--study-name`, `--val` for
 * `--values`) is that option; an ambiguous one is an argument error. Applied by each verb to the arguments it parses.
 */
function allowAbbreviations(cmd: Command, io: StudyCliIo): void {
  const parse = cmd.parseOptions.bind(cmd);
  cmd.parseOptions = (argv: string[]) => {
    const longs = cmd.options.map((o) => o.long).filter((l): l is string => Boolean(l));
    const visible = cmd.options.filter((o) => !o.hidden).map((o) => o.long).filter((l): l is string => Boolean(l));
    const end = argv.indexOf('--');
    const expanded = argv.map((a, i) => {
      const m = /^(--[^=]+)(=.*)?$/.exec(a);
      if (!m || (end >= 0 && i > end) || longs.includes(m[1])) return a;
      const hits = visible.filter((l) => l.startsWith(m[1]));
      if (hits.length > 1) {
        io.err(`error: ambiguous option: ${m[1]} could match ${hits.join(', ')}\n`);
        throw new StudyExit(2);
      }
      return hits.length === 1 ? hits[0] + (m[2] ?? '') : a;
    });
    return parse(expanded);
  };
}

/** The global options of `cmd` merged with those its parents parsed (commander lets a parent take them after the verb). */
function globals(cmd: Command): Globals {
  const g: Globals = { verbose: 0, quiet: false, debug: false };
  for (let c: Command | null = cmd; c; c = c.parent) {
    const o = c.opts() as Partial<Globals> & { verbose?: number | boolean };
    g.storage ??= o.storage;
    g.storageClass ??= o.storageClass;
    g.logFile ??= o.logFile;
    g.verbose += typeof o.verbose === 'number' ? o.verbose : o.verbose ? 1 : 0;
    g.quiet ||= Boolean(o.quiet);
    g.debug ||= Boolean(o.debug);
  }
  return g;
}

interface Ctx { g: Globals; log: StudyLog; io: StudyCliIo; cmd: Command }

/** An argument error: one line, exit 2 (as argparse). */
function usage(ctx: Ctx, message: string): never {
  ctx.io.err(`error: ${message}\n`);
  throw new StudyExit(2);
}

function action(cmd: Command, io: StudyCliIo, body: (o: any, ctx: Ctx) => Promise<void>): Command {
  allowAbbreviations(cmd, io);
  return cmd.action(async (o: unknown, c: Command) => {
    const g = globals(c);
    const log = new StudyLog(io, g.quiet ? 0 : 1 + g.verbose, g.logFile);
    try {
      await body(o, { g, log, io, cmd: c });
    } catch (e) {
      if (e instanceof StudyExit) throw e;
      log.failure(e, g.debug);
      throw new StudyExit(1);
    }
  });
}

function storageUrlOf(ctx: Ctx): string {
  const url = ctx.g.storage ?? process.env.OPTUNA_STORAGE ?? process.env.TOKCAST_STORAGE;
  if (!url) throw new StudyCliError('Storage URL is not specified: give --storage (e.g. --storage sqlite:///example.db) or set OPTUNA_STORAGE');
  if (ctx.g.storageClass && ctx.g.storageClass !== 'RDBStorage') throw new StudyCliError(`--storage-class ${ctx.g.storageClass}: tokcast has no journal storage; give an RDB URL (sqlite:///file.db, postgresql://...)`);
  return url;
}

async function withStorage<T>(ctx: Ctx, fn: (s: Storage, url: string) => Promise<T>): Promise<T> {
  const url = storageUrlOf(ctx);
  ctx.log.debug(`Opening storage ${redact(url)}.`);
  const s = await openStorage(url);
  try {
    return await fn(s, url);
  } finally {
    await s.close();
  }
}

async function studyIdOf(s: Storage, name: string | undefined, hint = ''): Promise<number> {
  if (name === undefined) throw new StudyCliError(`--study-name is not given${hint}`);
  try {
    return await s.getStudyIdFromName(name);
  } catch (e) {
    if (e instanceof NotFoundError) throw new StudyCliError(`${e.message}${hint}`);
    throw e;
  }
}

const formatOption = (def: OutputFormat) => new Option('-f, --format <format>', 'output format').choices(FORMATS).default(def);
const flattenOption = (what: string) => new Option('--flatten', `flatten nested columns such as ${what}`);

function registerCreateDelete(study: Command, io: StudyCliIo): void {
  action(globalOptions(study.command('create-study').description('Create a new study.'))
    .option('--study-name <name>', 'a human-readable name of the study (default: generated)')
    .addOption(new Option('--direction <direction>', 'direction of a single objective').choices(['minimize', 'maximize']))
    .option('--skip-if-exists', 'load the study instead of failing when the name is taken')
    .addOption(new Option('--directions <directions...>', 'one direction per objective').choices(['minimize', 'maximize'])),
  io, async (o: { studyName?: string; direction?: string; directions?: string[]; skipIfExists?: boolean }, ctx) => {
    if (o.direction && o.directions) throw new StudyCliError('Specify only one of `direction` and `directions`.');
    const dirs = (o.directions ?? [o.direction ?? 'minimize']) as StudyDirection[];
    const name = await withStorage(ctx, async (s, url) => {
      const where = parseStorageUrl(url).kind === 'memory' ? 'memory' : 'RDB';
      try {
        const id = await s.createNewStudy(dirs, o.studyName);
        const created = await s.getStudyNameFromId(id);
        ctx.log.info(`A new study created in ${where} with name: ${created}`);
        return created;
      } catch (e) {
        if (!(e instanceof DuplicatedStudyError)) throw e;
        if (!o.skipIfExists) throw new StudyCliError(`Another study with name '${o.studyName}' already exists. Please specify a different name, or reuse the existing one with --skip-if-exists.`);
        ctx.log.info(`Using an existing study with name '${o.studyName}' instead of creating a new one.`);
        const existing = await s.getStudyDirections(await s.getStudyIdFromName(o.studyName!));
        if (existing.join() !== dirs.join()) ctx.log.warning(`the existing study '${o.studyName}' has direction(s) ${existing.join(', ')}, not ${dirs.join(', ')}; it is used as it is`);
        return o.studyName!;
      }
    });
    io.out(`${name}\n`);
  });

  action(globalOptions(study.command('delete-study').description('Delete a specified study.'))
    .option('--study-name <name>', 'the name of the study to delete'),
  io, async (o: { studyName?: string }, ctx) => {
    await withStorage(ctx, async (s) => s.deleteStudy(await studyIdOf(s, o.studyName)));
  });

  const setUserAttr = (cmd: Command) => action(globalOptions(cmd)
    .option('--study-name <name>', 'the name of the study to set the user attribute to')
    .option('-k, --key <key>', 'key of the user attribute')
    .option('--value <value>', 'value to be set (stored as a string, as Optuna does)')
    .addOption(new Option('--study <name>').hideHelp()),
  io, async (o: { studyName?: string; study?: string; key?: string; value?: string }, ctx) => {
    const missing = [['--study-name', o.studyName ?? o.study], ['--key', o.key], ['--value', o.value]].filter(([, v]) => v === undefined).map(([f]) => f);
    if (missing.length) usage(ctx, `the following arguments are required: ${missing.join(', ')}`);
    await withStorage(ctx, async (s) => s.setStudyUserAttr(await studyIdOf(s, o.studyName ?? o.study), o.key!, o.value!));
    ctx.log.info('Attribute successfully written.');
  });
  setUserAttr(study.command('study').description('Study operations (set-user-attr).').command('set-user-attr').description('Set a user attribute to a study.'));
  setUserAttr(study.command('set-user-attr', { hidden: true }).description('Set a user attribute to a study (also `study set-user-attr`).'));
}

/** --study-name of a listing verb (required, as in Optuna; --study is accepted, as argparse accepts the prefix). */
function requiredStudyName(o: { studyName?: string; study?: string }, ctx: Ctx): string {
  const name = o.studyName ?? o.study;
  if (name === undefined) usage(ctx, 'the following arguments are required: --study-name');
  return name;
}

function trialVerb(study: Command, io: StudyCliIo, name: string, description: string,
  pick: (ctx: Ctx, trials: import('../../tune/frozen-trial.ts').FrozenTrial[], directions: StudyDirection[]) => 'all' | number[] | number): void {
  action(globalOptions(study.command(name).description(description))
    .option('--study-name <name>', 'the name of the study')
    .addOption(new Option('--study <name>').hideHelp())
    .addOption(formatOption('table'))
    .addOption(flattenOption('params and user_attrs')),
  io, async (o: { studyName?: string; study?: string; format: OutputFormat; flatten?: boolean }, ctx) => {
    const studyName = requiredStudyName(o, ctx);
    const text = await withStorage(ctx, async (s) => {
      const id = await studyIdOf(s, studyName);
      const directions = await s.getStudyDirections(id);
      const trials = await s.getAllTrials(id);
      const { records, columns } = trialRecords(trials, directions.length, metricNames(await s.getStudySystemAttrs(id)));
      const chosen = pick(ctx, trials, directions);
      if (chosen === 'all') return formatOutput(records, columns, o.format, Boolean(o.flatten));
      if (typeof chosen === 'number') return formatOutput(records[trials.findIndex((t) => t.number === chosen)], columns, o.format, Boolean(o.flatten));
      const keep = new Set(chosen);
      return formatOutput(records.filter((r) => keep.has(r.get(colKey({ name: 'number', sub: '' })) as number)), columns, o.format, Boolean(o.flatten));
    });
    io.out(text);
  });
}

function registerListing(study: Command, io: StudyCliIo): void {
  action(globalOptions(study.command('study-names').description('Get all study names stored in a specified storage.'))
    .addOption(formatOption('value')),
  io, async (o: { format: OutputFormat }, ctx) => {
    const names = await withStorage(ctx, async (s) => (await s.getAllStudies()).map((st) => st.studyName));
    const column = { name: 'name', sub: '' };
    io.out(formatOutput(names.map((n) => new Map<string, PyValue>([[colKey(column), n]])), [column], o.format, false));
  });

  action(globalOptions(study.command('studies').description('Show a list of studies.'))
    .addOption(formatOption('table'))
    .addOption(flattenOption('directions')),
  io, async (o: { format: OutputFormat; flatten?: boolean }, ctx) => {
    const rows = await withStorage(ctx, async (s) => {
      const out = [];
      for (const st of await s.getAllStudies()) out.push({ study: st, trials: await s.getAllTrials(st.studyId) });
      return out;
    });
    const { records, columns } = studyRecords(rows);
    io.out(formatOutput(records, columns, o.format, Boolean(o.flatten)));
  });

  trialVerb(study, io, 'trials', 'Show a list of trials.', () => 'all');

  trialVerb(study, io, 'best-trial', 'Show the best trial.', (_ctx, trials, directions) => {
    if (directions.length > 1) throw new StudyCliError('A single best trial cannot be retrieved from a multi-objective study. Use best-trials for the trials on the Pareto front.');
    const done = feasible(trials.filter((t) => t.state === 'COMPLETE' && t.values));
    if (done.length === 0) throw new StudyCliError('No trials are completed yet.');
    const sign = directions[0] === 'maximize' ? -1 : 1;
    let best = done[0];
    for (const t of done) if (sign * t.values![0] < sign * best.values![0]) best = t;
    return best.number;
  });

  trialVerb(study, io, 'best-trials', 'Show a list of trials located at the Pareto front.', (_ctx, trials, directions) =>
    paretoFront(feasible(trials), directions).map((t) => t.number));
}

function registerAskTell(study: Command, io: StudyCliIo): void {
  action(globalOptions(study.command('ask').description('Create a new trial and suggest parameters.'))
    .option('--study-name <name>', 'name of the study')
    .addOption(new Option('--study <name>').hideHelp())
    .option('--sampler <class>', 'class name of the sampler: TPESampler or RandomSampler')
    .option('--sampler-kwargs <json>', 'sampler keyword arguments as JSON (snake_case)')
    .option('--search-space <json>', "search space as JSON: name -> Optuna's distribution JSON")
    .addOption(formatOption('json'))
    .addOption(flattenOption('params'))
    .option('--seed <n>', 'tokcast: seed of the sampler; each trial draws from a stream hashed from (seed, study, trial number)'),
  io, async (o: { studyName?: string; study?: string; sampler?: string; samplerKwargs?: string; searchSpace?: string; format: OutputFormat; flatten?: boolean; seed?: string }, ctx) => {
    if (o.samplerKwargs !== undefined && o.sampler === undefined) throw new StudyCliError('`--sampler-kwargs` is set without `--sampler`. Please specify `--sampler` as well or omit `--sampler-kwargs`.');
    const kwargs = parseJsonObject(o.samplerKwargs, '--sampler-kwargs');
    const samplerClass = o.sampler ?? 'TPESampler';
    createSampler(samplerClass, { ...kwargs, seed: 0 });
    const space = parseSearchSpace(o.searchSpace);
    const seed = o.seed === undefined ? undefined : parseInteger(o.seed, '--seed');
    const name = o.studyName ?? o.study;
    const asked = await withStorage(ctx, async (s) => {
      await studyIdOf(s, name, " (ask does not create studies, as in Optuna 4: run create-study first)");
      return askTrial(s, name!, space, samplerClass, kwargs, seed);
    });
    const params: Record<string, PyValue> = {};
    for (const [k, v] of Object.entries(asked.params)) params[k] = pyParam(v, space[k]);
    ctx.log.info(`Asked trial ${asked.number} with parameters ${pyRepr(params)}.`);
    const { record, columns } = askRecord(asked.number, params, Boolean(o.flatten));
    io.out(formatOutput(record, columns, o.format, Boolean(o.flatten)));
  });

  const parseFloatArg = (v: string, prev: number[] | undefined) => {
    try {
      return [...(prev ?? []), parseNumber(v, '--values')];
    } catch {
      throw new InvalidArgumentError(`invalid float value: '${v}'`);
    }
  };
  action(globalOptions(study.command('tell').description('Finish a trial, which was created by the ask command.'))
    .option('--study-name <name>', 'name of the study')
    .addOption(new Option('--study <name>').hideHelp())
    .option('--trial-number <n>', 'trial number', (v: string) => {
      if (!/^\s*[-+]?\d+\s*$/.test(v)) throw new InvalidArgumentError(`invalid int value: '${v}'`);
      return Number(v);
    })
    .addOption(new Option('--values <values...>', 'objective values').argParser(parseFloatArg))
    .addOption(new Option('--value <values...>').argParser(parseFloatArg).hideHelp())
    .addOption(new Option('--state <state>', 'trial state').choices(['complete', 'pruned', 'fail']))
    .option('--skip-if-finished', 'tell is skipped without any error when the trial is already finished')
    .option('--step <k>', 'tokcast: report an intermediate value at this step (the trial stays RUNNING); prints {"number", "step", "should_prune"}')
    .option('--intermediate <v>', 'tokcast: the intermediate value')
    .option('--pruner <class>', 'tokcast: MedianPruner, PercentilePruner, SuccessiveHalvingPruner or NopPruner', 'MedianPruner')
    .option('--pruner-kwargs <json>', 'tokcast: pruner keyword arguments (JSON, snake_case)'),
  io, async (o: TellOptions & { study?: string; value?: number[] }, ctx) => {
    const opts: TellOptions = { ...o, studyName: o.studyName ?? o.study, values: o.values ?? o.value };
    const intermediate = o.step !== undefined || o.intermediate !== undefined;
    const verdict = await withStorage(ctx, async (s) => {
      const id = await studyIdOf(s, opts.studyName);
      if (intermediate) return tellIntermediate(s, id, opts, ctx.log);
      await tellFinal(s, id, opts, ctx.log);
      return null;
    });
    if (verdict) io.out(`${JSON.stringify(verdict)}\n`);
  });
}

function registerStorage(study: Command, io: StudyCliIo): void {
  action(globalOptions(study.command('storage').description('Storage operations (upgrade).').command('upgrade').description('Upgrade the schema of an RDB storage.')),
    io, async (_o: unknown, ctx) => {
      const url = storageUrlOf(ctx);
      const r = await upgradeStorage(url);
      if (r.done === 'up-to-date') ctx.log.info('This storage is up-to-date.');
      else if (r.done === 'empty') ctx.log.warning(`storage ${redact(url)} holds no study tables; nothing to upgrade`);
      else {
        ctx.log.info('Upgrading the storage schema to the latest version.');
        ctx.log.info(`Completed to upgrade the storage.${r.backup ? ` The earlier database is kept as ${r.backup}.` : ''}`);
      }
    });
}

/** Adds `study` with Optuna's verbs to `program`. Every failure is printed here; main.ts gets a StudyExit with the exit code. */
export function registerStudyCommands(program: Command, io: StudyCliIo = processIo): void {
  program.enablePositionalOptions(); // `tokcast study --version` is the study CLI's, not tokcast's own --version
  const study = globalOptions(program.command('study').description("Optuna's CLI verb for verb on a study storage (SQLite file, PostgreSQL, memory)"))
    .version(STUDY_VERSION_TEXT, '--version', 'show the version and exit')
    .exitOverride((e: CommanderError) => {
      throw new StudyExit(e.exitCode === 0 ? 0 : 2);
    })
    .argument('[verb]')
    .action((verb: string | undefined) => {
      if (verb === undefined) return study.outputHelp(); // no verb: the help, exit 0, as `optuna` alone
      io.err(`error: '${verb}' is not a tokcast study verb; see 'tokcast study --help'\n`);
      throw new StudyExit(2);
    });
  registerCreateDelete(study, io);
  registerListing(study, io);
  registerAskTell(study, io);
  registerStorage(study, io);
}
