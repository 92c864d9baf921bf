// Any error thrown by a command -> one line for stderr and an exit code: 2 for the user's input (bad flags, config, data,
// a full disk), 1 for a bug; the stack only with --debug.
import { CommanderError } from 'commander';

export interface Failure {
  /** one line, without the `tokcast: error:` prefix */
  message: string;
  exitCode: number;
  /** true when it is not the user's fault */
  internal: boolean;
}

/** File-system and network conditions the user can fix, with what to say about them. */
const SYSTEM_ERRORS: Record<string, string> = {
  ENOSPC: 'no space left on device; free some space and rerun (files already written are unchanged)',
  EDQUOT: 'disk quota exceeded; free some space and rerun (files already written are unchanged)',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'is a folder, expected a file',
  EEXIST: 'already exists',
  ENAMETOOLONG: 'name too long',
};

const SYSCALL_VERBS: Record<string, string> = {
  open: 'open', write: 'write', read: 'read', mkdir: 'create folder', rename: 'rename', unlink: 'delete', rmdir: 'delete',
  scandir: 'list', stat: 'read', lstat: 'read', copyfile: 'copy', fsync: 'write', close: 'write', access: 'read',
};

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}

/** Commander's parse errors, reworded as `--flag: got 'value', expected ...`. */
function commanderMessage(e: CommanderError): string {
  const msg = oneLine(e.message.replace(/^error: /, '')).replace(/\(Did you mean/g, '(did you mean');
  const bad = /^option '([^']*)' argument '(.*)' is invalid\. (.*)$/.exec(msg);
  if (!bad) return msg;
  const flag = bad[1].match(/--[\w-]+/)?.[0] ?? bad[1].split(/[ ,]/)[0];
  const choices = /^Allowed choices are (.*)\.$/.exec(bad[3]);
  if (choices) return `${flag}: got '${bad[2]}', expected one of ${choices[1]}`;
  return `${flag}: got '${bad[2]}', ${bad[3].replace(/^expected /, 'expected ')}`;
}

/** Classifies an error thrown while running a command. */
export function describeFailure(e: unknown): Failure {
  if (e instanceof CommanderError) return { message: commanderMessage(e), exitCode: 2, internal: false };
  const err = e instanceof Error ? e : new Error(String(e));
  if (err.name === 'UserError') {
    const code = (err as { exitCode?: unknown }).exitCode;
    return { message: oneLine(err.message), exitCode: typeof code === 'number' ? code : 2, internal: false };
  }
  const sys = err as NodeJS.ErrnoException;
  if (sys.code && SYSTEM_ERRORS[sys.code] && (sys.path || sys.syscall)) {
    const verb = SYSCALL_VERBS[sys.syscall ?? ''] ?? sys.syscall ?? 'use';
    // name the file being written, not its temporary sibling (.name.PID.N.tmp, see src/util/fs.ts)
    const target = sys.path ? ` ${sys.path.replace(/([\\/])\.([^\\/]+)\.\d+\.\d+\.tmp$/, '$1$2')}` : '';
    return { message: `cannot ${verb}${target}: ${SYSTEM_ERRORS[sys.code]} (${sys.code})`, exitCode: 2, internal: false };
  }
  // native writers (DuckDB, SQLite) report a full disk in their own words
  if (/no space left on device|database or disk is full|SQLITE_FULL/i.test(err.message)) {
    return { message: `${oneLine(err.message)}: ${SYSTEM_ERRORS.ENOSPC}`, exitCode: 2, internal: false };
  }
  return {
    message: `internal error: ${oneLine(err.message) || err.name}; this is a bug in tokcast: rerun with --debug for the stack trace and report it`,
    exitCode: 1,
    internal: true,
  };
}

/** True when the user asked for stack traces: `--debug` anywhere on the command line, or TOKCAST_DEBUG=1. */
export function debugRequested(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): boolean {
  return argv.includes('--debug') || (env.TOKCAST_DEBUG !== undefined && env.TOKCAST_DEBUG !== '' && env.TOKCAST_DEBUG !== '0');
}
