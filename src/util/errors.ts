// The error type tokcast raises for bad input: its message names the file, row or key and what was expected.

/** An error caused by the user's input (config, data, arguments), not by a bug; the CLI prints it as one line, without a stack. */
export class UserError extends Error {
  /** the process exit code the CLI uses for it */
  readonly exitCode: number;
  constructor(message: string, opts: { exitCode?: number; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'UserError';
    this.exitCode = opts.exitCode ?? 2;
  }
}
