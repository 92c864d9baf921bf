// The `tokcast` program: `tokcast pipeline <step>` and `tokcast study <verb>`. Every failure prints one line
// `tokcast: error: ...` on stderr: exit 2 for the user's input, 1 for a bug; stack traces only with --debug or TOKCAST_DEBUG=1.
// Start-up stays fast: command modules define flags only and load their libraries when they run, and the study verbs
// (storages, samplers) are loaded only when the command line asks for them.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { registerPipelineCommands } from './commands/pipeline.ts';
import { registerDashboardCommand } from './commands/dashboard.ts';
import { registerTuneCommands } from './commands/tune.ts';
import { debugRequested, describeFailure } from './failure.ts';
import type { UserError } from '../util/errors.ts';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** What `tokcast --help` says of `study` when its verbs are not loaded. */
const STUDY_SUMMARY = 'Optuna-compatible study verbs on a storage (SQLite file, PostgreSQL, memory)';

/** The first word of the command line that is not an option: the command group asked for. */
function commandWord(argv: readonly string[]): string | undefined {
  return argv.slice(2).find((a) => !a.startsWith('-'));
}

/** The program; `argv` decides whether the study verbs are loaded (`study ...`, `help study`) or only named. */
export async function buildProgram(argv: readonly string[] = ['node', 'tokcast', 'study']): Promise<Command> {
  const program = new Command('tokcast')
    .description('forecast crypto price movements as tokens')
    .version(pkg.version)
    .option('--debug', 'print the stack trace of an error (also TOKCAST_DEBUG=1)')
    // parse errors are thrown to main() and printed there as one line; subcommands inherit both settings
    .exitOverride()
    .configureOutput({ outputError: () => {} });
  registerPipelineCommands(program);
  registerDashboardCommand(program);
  registerTuneCommands(program);
  const word = commandWord(argv);
  const studyFile = new URL('./commands/study.ts', import.meta.url);
  if (word !== 'study' && word !== 'help') {
    program.command('study').description(STUDY_SUMMARY);
  } else if (existsSync(fileURLToPath(studyFile))) {
    const mod = (await import(studyFile.href)) as { registerStudyCommands?: (p: Command) => void };
    // the study verbs print their own errors, as Optuna's CLI does: they get commander's default output
    program.configureOutput({ outputError: (str, write) => write(str) });
    mod.registerStudyCommands?.(program);
    program.configureOutput({ outputError: () => {} });
  }
  return program;
}

/** Runs the program on `argv` (as process.argv) and returns the exit code; never throws. */
export async function main(argv: string[]): Promise<number> {
  const debug = debugRequested(argv);
  try {
    const program = await buildProgram(argv);
    // --debug is taken anywhere on the line (program options are positional since `study` has its own --debug)
    await program.parseAsync(commandWord(argv) === 'study' ? argv : argv.filter((a, i) => i < 2 || a !== '--debug'));
    return 0;
  } catch (e) {
    if (e instanceof CommanderError && e.exitCode === 0) return 0; // --help, --version
    if (e instanceof CommanderError && e.code === 'commander.help') return 2; // a command group without its verb: help shown
    // a UserError without a message: the command has reported already and only names its exit code (`tokcast study`, Optuna's 0/1)
    if ((e as Error).name === 'UserError' && !(e as Error).message) return (e as UserError).exitCode ?? 2;
    const f = describeFailure(e);
    process.stderr.write(`tokcast: error: ${f.message}\n`);
    if (debug && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    return f.exitCode;
  }
}

const invokedDirectly = process.argv[1]?.endsWith("cli/main.ts");
if (invokedDirectly) process.exitCode = await main(process.argv);
