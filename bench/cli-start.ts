// Benchmark: how long `tokcast` takes as a whole process, the way a shell script or an Optuna-CLI loop calls it:
// `tokcast --help` and `tokcast study studies --storage sqlite:///x.db` (a new empty database each time the file is gone).
// Each figure: the median of 10 runs after one warm-up, with min and max, beside a bare `node -e 0` on the same machine.
// `cpu_*_ms`: the child processes' user+system CPU time (Linux, /proc/self/stat, 10 ms ticks), which a loaded machine
// inflates far less than wall time. `mode` says what bin/tokcast.js ran: `lib` (the compiled JavaScript of `npm run build:cli`, current) or `tsx` (the sources).
// `node --import tsx bench/cli-start.ts` runs it alone; `npm run bench -- cli-start` through the runner.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, round, spread } from './util.ts';
import { cliSources } from '../scripts/cli-sources.mjs';

export const figureNames = ['cli_start'];

const BIN = fileURLToPath(new URL('../bin/tokcast.js', import.meta.url));
const LIB_SOURCES = fileURLToPath(new URL('../lib/sources.json', import.meta.url));

/** What bin/tokcast.js runs now: the compiled lib/ when it matches src/ (as the bin decides), else the sources through tsx. */
function mode(): 'lib' | 'tsx' {
  if (process.env.TOKCAST_FROM_SOURCE === '1' || !existsSync(LIB_SOURCES)) return 'tsx';
  const now = JSON.stringify(cliSources(fileURLToPath(new URL('../src/', import.meta.url))));
  return readFileSync(LIB_SOURCES, 'utf8').trim() === now ? 'lib' : 'tsx';
}
const RUNS = 10;

/** CPU milliseconds used by this process's finished children so far (cutime + cstime), or NaN off Linux. */
function childCpuMs(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from 3 (state) on
    return (Number(f[13]) + Number(f[14])) * 10;
  } catch {
    return NaN;
  }
}

let cpuTimes: number[] = [];
function run(args: string[]): void {
  const c0 = childCpuMs();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bench cli-start: node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  cpuTimes.push(childCpuMs() - c0);
}

export interface CliStartFigure {
  name: string; command: string; mode: 'lib' | 'tsx'; runs: number; warmup: number; median_ms: number; min_ms: number; max_ms: number;
  node_baseline_median_ms: number; cpu_median_ms: number; cpu_min_ms: number; cpu_max_ms: number; load_avg_1m: number;
}

export async function benchCliStart(): Promise<CliStartFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tokcast-clistart-'));
  try {
    const base = await measure(() => run(['-e', '0']), { warmup: 1, runs: RUNS });
    const cases: [string, string[]][] = [
      ['tokcast --help', [BIN, '--help']],
      ['tokcast study studies --storage sqlite:///x.db', [BIN, 'study', 'studies', '--storage', `sqlite:///${join(dir, 'x.db')}`]],
    ];
    const out: CliStartFigure[] = [];
    for (const [command, args] of cases) {
      cpuTimes = [];
      const m = await measure(() => run(args), { warmup: 1, runs: RUNS });
      const cpu = spread(cpuTimes.slice(1), 1, 0);
      out.push({
        name: 'cli_start', command, mode: mode(), runs: m.runs, warmup: m.warmup,
        median_ms: round(m.median_ms, 1), min_ms: round(m.min_ms, 1), max_ms: round(m.max_ms, 1), node_baseline_median_ms: round(base.median_ms, 1),
        cpu_median_ms: cpu.median, cpu_min_ms: cpu.min, cpu_max_ms: cpu.max, load_avg_1m: round(loadavg()[0], 2),
      });
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const f of await benchCliStart()) process.stdout.write(JSON.stringify(f) + '\n');
}
