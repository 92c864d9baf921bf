// `tokcast dashboard`: serves the study and run dashboard on a local port until interrupted.
import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { port } from '../args.ts';
import { UserError } from '../../util/errors.ts';

interface DashboardFlags { storage?: string; artifactsDir: string; port: number; host: string; open?: boolean }

function openBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const p = spawn(cmd, [url], { stdio: 'ignore', detached: true });
    p.on('error', () => process.stderr.write(`dashboard: could not start ${cmd}; open ${url} yourself\n`));
    p.unref();
  } catch {
    process.stderr.write(`dashboard: could not start ${cmd}; open ${url} yourself\n`);
  }
}

export function registerDashboardCommand(program: Command): void {
  program.command('dashboard')
    .description('serve a read-only dashboard of the studies in --storage and the runs in --artifacts-dir')
    .option('--storage <url>', 'storage URL: sqlite:///path.db, a file path or postgresql://user@host/db (env TOKCAST_STORAGE; default artifacts/studies.db)')
    .option('--artifacts-dir <dir>', 'artifacts folder whose runs to show', 'artifacts')
    .option('--port <n>', 'TCP port (0 picks a free one)', port, 8080)
    .option('--host <addr>', 'address to listen on; anything but loopback exposes the dashboard to the network', '127.0.0.1')
    .option('--open', 'open the page in the default browser')
    .action(async (f: DashboardFlags) => {
      const { startDashboard, isLoopback } = await import('../../dashboard/server.ts');
      const { makeScrub } = await import('../../dashboard/storage.ts');
      if (!isLoopback(f.host)) {
        process.stderr.write(`dashboard: warning: listening on ${f.host}, not loopback: anyone who can reach this address can read every study and run (read-only, no authentication)\n`);
      }
      const storage = f.storage ?? process.env.TOKCAST_STORAGE ?? process.env.OPTUNA_STORAGE;
      const scrub = makeScrub(storage);
      let d: Awaited<ReturnType<typeof startDashboard>>;
      try {
        d = await startDashboard({ storage, artifactsDir: f.artifactsDir, port: f.port, host: f.host });
      } catch (e) {
        // a storage URL's password never reaches the terminal, whatever part of the URL was wrong
        if (e instanceof UserError) throw new UserError(scrub(e.message));
        throw e;
      }
      if (d.storageError) process.stderr.write(`dashboard: warning: ${d.storageError} (the page shows studies once it can be read)\n`);
      process.stdout.write(`tokcast dashboard: ${d.url} (storage ${d.storage?.label ?? 'unavailable'}, artifacts ${f.artifactsDir}); Ctrl-C stops\n`);
      if (f.open) openBrowser(d.url);
      await new Promise<void>((resolve) => {
        const stop = () => { void d.close().then(resolve); };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
