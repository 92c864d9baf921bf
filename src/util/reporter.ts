// Progress and log sink that long-running domain code reports through; the CLI implements it.
/** Progress and log sink; the CLI implements it (bars on a TTY, plain lines otherwise). The engine never prints. */
export interface Reporter {
  /** a one-line message for the user (stderr) */
  log(message: string): void;
  /** start a bounded task; returns a handle to advance and finish it */
  progress(label: string, total: number, unit?: string): ProgressHandle;
}
export interface ProgressHandle {
  tick(n?: number, info?: Record<string, string | number>): void;
  done(): void;
}

export const silentReporter: Reporter = {
  log: () => {},
  progress: () => ({ tick: () => {}, done: () => {} }),
};
