// Logging and exit codes of `tokcast study`, as Optuna's CLI does them: `[I 2026-12-03 13:29:20,118] message` lines on
// stderr at INFO (-q: warnings and errors only; -v -v: debug too), the same lines appended to --log-file; a failure is one
// `error:` line (its stack with --debug) and exit 1; argument errors exit 2 (as argparse).
import { appendFileSync } from 'node:fs';
import { UserError } from '../../util/errors.ts';

/** Where the verbs write; tests pass their own. */
export interface StudyCliIo {
  out(text: string): void;
  err(text: string): void;
}

/** Thrown once the verb has said what it had to: main.ts exits with `exitCode` and prints nothing more. */
export class StudyExit extends UserError {
  constructor(override readonly exitCode: number) {
    super('');
    this.name = 'UserError';
  }
}

/** A verb's failure with a one-line reason (Optuna's exceptions, exit 1). */
export class StudyCliError extends UserError {}

export type LogLevel = 'debug' | 'info' | 'warning' | 'error';
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warning: 30, error: 40 };
const CHAR: Record<LogLevel, string> = { debug: 'D', info: 'I', warning: 'W', error: 'E' };

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
/** Python logging's asctime: local time, `YYYY-MM-DD HH:MM:SS,mmm`. */
export function asctime(d = new Date()): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`;
}

/** Optuna's logger for one CLI call. verbosity: 0 (-q) warnings, 1 (default) info, 2+ (-v) debug. */
export class StudyLog {
  private readonly threshold: number;
  constructor(private readonly io: StudyCliIo, verbosity: number, private readonly logFile?: string) {
    this.threshold = verbosity <= 0 ? RANK.warning : verbosity === 1 ? RANK.info : RANK.debug;
  }

  log(level: LogLevel, message: string): void {
    if (RANK[level] < this.threshold) return;
    const line = `[${CHAR[level]} ${asctime()}] ${message}\n`;
    this.io.err(line);
    this.toFile(line);
  }

  debug(m: string): void { this.log('debug', m); }
  info(m: string): void { this.log('info', m); }
  warning(m: string): void { this.log('warning', m); }

  /** The failure line: `error: ...` on stderr (with the stack under --debug), `[E ...]` in the log file. */
  failure(e: unknown, debug: boolean): void {
    const err = e as Error;
    const message = err?.message || String(e);
    this.io.err(debug && err?.stack ? `${err.stack}\n` : `error: ${message}\n`);
    this.toFile(`[E ${asctime()}] ${message}\n`);
  }

  private toFile(line: string): void {
    if (!this.logFile) return;
    try {
      appendFileSync(this.logFile, line);
    } catch (e) {
      this.io.err(`error: --log-file '${this.logFile}': ${(e as Error).message}\n`);
    }
  }
}
