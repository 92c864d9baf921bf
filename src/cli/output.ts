// The console reporter: progress bars on a TTY (cli-progress), plain log lines otherwise; everything on stderr.
import cliProgress from 'cli-progress';
import type { Reporter, ProgressHandle } from '../util/reporter.ts';

/** Makes the CLI's reporter; `quiet` drops progress, keeps messages. */
export function consoleReporter(opts: { quiet?: boolean; tty?: boolean } = {}): Reporter {
  const tty = opts.tty ?? Boolean(process.stderr.isTTY);
  const log = (m: string) => process.stderr.write(`${m}\n`);
  return {
    log,
    progress(label: string, total: number, unit = ''): ProgressHandle {
      if (opts.quiet) return { tick: () => {}, done: () => {} };
      if (tty) {
        const bar = new cliProgress.SingleBar({
          stream: process.stderr,
          format: `${label} [{bar}] {value}/{total} ${unit} {eta_formatted} {info}`,
          hideCursor: true, clearOnComplete: false,
        }, cliProgress.Presets.shades_classic);
        bar.start(total, 0, { info: '' });
        return {
          tick: (n = 1, info) => bar.increment(n, { info: info ? fmt(info) : '' }),
          done: () => bar.stop(),
        };
      }
      // plain lines: at most ~10 per task, so logs stay readable
      let value = 0, lastPct = -1;
      const t0 = performance.now();
      return {
        tick: (n = 1, info) => {
          value += n;
          const pct = total > 0 ? Math.floor((value / total) * 10) : 0;
          if (pct !== lastPct) {
            lastPct = pct;
            log(`${label}: ${value}/${total} ${unit}${info ? ' ' + fmt(info) : ''}`);
          }
        },
        done: () => log(`${label}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`),
      };
    },
  };
}

function fmt(info: Record<string, string | number>): string {
  return Object.entries(info).map(([k, v]) => `${k}=${typeof v === 'number' ? (Number.isInteger(v) ? v : v.toPrecision(4)) : v}`).join(' ');
}
