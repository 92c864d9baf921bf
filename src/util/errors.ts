// The error type tokcast raises for bad input: its message names the file, row or key and what was expected.

/** An error caused by the user's input (config, data, arguments), not by a bug; the CLI prints it without a stack. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}
