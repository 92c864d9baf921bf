// The `tokcast` program: `tokcast pipeline <step>` and `tokcast study <verb>`; user errors print without a stack.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { registerPipelineCommands } from './commands/pipeline.ts';
import { registerDashboardCommand } from './commands/dashboard.ts';
import { UserError } from '../util/errors.ts';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

export async function buildProgram(): Promise<Command> {
  const program = new Command('tokcast')
    .description('forecast crypto price movements as tokens')
    .version(pkg.version)
    .showHelpAfterError();
  registerPipelineCommands(program);
  registerDashboardCommand(program);
  const studyFile = new URL('./commands/study.ts', import.meta.url);
  if (existsSync(fileURLToPath(studyFile))) {
    const mod = (await import(studyFile.href)) as { registerStudyCommands?: (p: Command) => void };
    mod.registerStudyCommands?.(program);
  }
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = await buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof UserError || (e as Error).name === 'UserError') {
      // an empty message: the command has reported already and only names its exit code (`tokcast study`, Optuna's 0/1)
      if ((e as Error).message) process.stderr.write(`error: ${(e as Error).message}\n`);
      const code = (e as { exitCode?: unknown }).exitCode;
      return typeof code === 'number' ? code : 2;
    }
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}

const invokedDirectly = process.argv[1]?.endsWith("cli/main.ts");
if (invokedDirectly) process.exitCode = await main(process.argv);
