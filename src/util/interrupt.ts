// The error a step throws when it stopped because the user pressed Ctrl-C (or the process got SIGTERM): the CLI exits 130.

/** A step stopped cleanly on a signal; its message says what was kept and how to go on. */
export class InterruptedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InterruptedError';
  }
}
