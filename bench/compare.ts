// `npm run bench -- compare [--rounds N] [--steps S] [--only train|infer]`: tokcast beside the PyTorch reference
// (the folder TOKCAST_PYTORCH_REF, with bench_train.py / bench_infer.py; Python from TOKCAST_PYTHON, default
// /usr/bin/python3), on the same machine, in the same run, with the same shapes and thread counts. Every round runs
// each (engine, setting) once in a fresh process, alternating which engine goes first; a figure is the median over
// the rounds with min and max, and each ratio is PyTorch / tokcast (above 1: tokcast is faster or smaller), the
// median ratio from the same rounds with its min and max. Without the reference the command says so on stderr in
// capitals, prints tokcast's figures with `pytorch: null`, and exits 1.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Trainer } from '../src/train/engine.ts';
import { Forecaster } from '../src/train/forecaster.ts';
import { initParams } from '../src/model/params.ts';
import { BENCH_MODEL, benchInputs } from './train-step.ts';
import { median, peakRssMb, round } from './util.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const OPTIM = { lr: 1e-3, weight_decay: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, max_norm: 1 };
const TRAIN_BATCH = 256, EVAL_BATCH = 1024;

// ---- the tokcast side: one measurement per process (`--worker train|infer`), one JSON line ----

async function trainWorker(threads: number, steps: number, warmup: number): Promise<object> {
  const trainer = await Trainer.create(BENCH_MODEL, OPTIM, { seed: 1, threads });
  const batches = Array.from({ length: 4 }, (_, i) => benchInputs.randomBatch(BENCH_MODEL, TRAIN_BATCH, 100 + i));
  let k = 0;
  const step = () => { const b = batches[k++ % batches.length]!; return trainer.trainStep(b.x, b.y); };
  for (let i = 0; i < warmup; i++) await step();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) await step();
  const ms = (performance.now() - t0) / steps;
  const provider = trainer.executionProviderUsed;
  await trainer.dispose();
  return { ms_per_step: ms, peak_rss_mb: peakRssMb(), execution_provider_used: provider };
}

async function inferWorker(threads: number, reps: number): Promise<object> {
  const f = await Forecaster.create(BENCH_MODEL, initParams(BENCH_MODEL, 1), { horizon: 8, threads });
  const { x: x1 } = benchInputs.randomBatch(BENCH_MODEL, 1, 5);
  for (let i = 0; i < 10; i++) await f.forecast(x1);
  const times: number[] = [];
  for (let i = 0; i < reps; i++) { const t0 = performance.now(); await f.forecast(x1); times.push(performance.now() - t0); }
  const provider = f.executionProviderUsed;
  await f.dispose();
  const trainer = await Trainer.create(BENCH_MODEL, OPTIM, { seed: 1, threads });
  const { x, y } = benchInputs.randomBatch(BENCH_MODEL, EVAL_BATCH, 6);
  for (let i = 0; i < 2; i++) await trainer.evaluate(x, y);
  const t0 = performance.now();
  await trainer.evaluate(x, y);
  const batchMs = performance.now() - t0;
  await trainer.dispose();
  return { forecast_ms_median: median(times), batch_forward_ms: batchMs, peak_rss_mb: peakRssMb(), execution_provider_used: provider };
}

// ---- the driver ----

interface Job { engine: 'tokcast' | 'pytorch'; kind: 'train' | 'infer'; setting: string; threads: number; blas?: number; passive?: boolean }
type Sample = Record<string, number | string>;

function flag(args: string[], name: string, dflt: number): number {
  const i = args.indexOf(name);
  if (i < 0) return dflt;
  const v = Number(args[i + 1]);
  if (!Number.isInteger(v) || v < 1) {
    process.stderr.write(`bench compare: ${name} ${args[i + 1]}: expected a whole number >= 1\n`);
    process.exit(2);
  }
  return v;
}

/** Why the PyTorch reference cannot run here, or null when it can. */
export function referenceProblem(refDir: string | undefined, python: string): string | null {
  if (!refDir) return 'TOKCAST_PYTORCH_REF is not set (the folder holding bench_train.py and bench_infer.py)';
  for (const f of ['bench_train.py', 'bench_infer.py']) if (!existsSync(join(refDir, f))) return `TOKCAST_PYTORCH_REF=${refDir}: ${f} not found`;
  const r = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  if (r.status !== 0) return `${python} cannot import torch (${(r.stderr || String(r.error ?? '')).trim().split('\n').pop()}); install python3-torch or set TOKCAST_PYTHON`;
  return null;
}

function lastJson(stdout: string, what: string): Sample {
  const line = stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (!line) throw new Error(`bench compare: ${what} printed no JSON line`);
  return JSON.parse(line) as Sample;
}

const modelFlags = (): string[] => {
  const m = BENCH_MODEL;
  return ['--T', m.T, '--C', m.C, '--K', m.K, '--V', m.V, '--O', m.O, '--e', m.e, '--d', m.d, '--H', m.H, '--N', m.N, '--F', m.F,
    '--dropout', m.dropout, '--coin-mixing', m.coin_mixing, '--loss-positions', m.loss_positions, '--target-coin', m.target_coin,
    '--label-smoothing', m.label_smoothing].map(String);
};

// the reference scripts print their own JSON; this wrapper adds the process's peak RSS (ru_maxrss, KiB on Linux)
const PY_WRAP = 'import json, resource, runpy, sys; s = sys.argv[1]; sys.argv = sys.argv[1:]; runpy.run_path(s, run_name="__main__"); ' +
  'print(json.dumps({"peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))';

function runJob(job: Job, o: { steps: number; warmup: number; reps: number; refDir: string; python: string }): Sample {
  if (job.engine === 'tokcast') {
    const args = ['--import', 'tsx', join(here, 'compare.ts'), '--worker', job.kind, '--threads', String(job.threads),
      '--steps', String(o.steps), '--warmup', String(o.warmup), '--reps', String(o.reps)];
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) throw new Error(`bench compare: tokcast ${job.kind} worker failed (exit ${r.status}): ${r.stderr.trim().split('\n').pop()}`);
    return lastJson(r.stdout, `tokcast ${job.kind}`);
  }
  const script = join(o.refDir, job.kind === 'train' ? 'bench_train.py' : 'bench_infer.py');
  const args = job.kind === 'train'
    ? ['--batch', TRAIN_BATCH, '--steps', o.steps, '--warmup', o.warmup, '--repeats', 1, '--lr', OPTIM.lr, '--weight-decay', OPTIM.weight_decay, '--max-norm', OPTIM.max_norm]
    : ['--reps', o.reps, '--batch', EVAL_BATCH, '--batch-reps', 1, '--horizon', 8];
  const env = { ...process.env, ...(job.passive ? { OMP_WAIT_POLICY: 'PASSIVE' } : {}) };
  const r = spawnSync(o.python, ['-c', PY_WRAP, script, ...modelFlags(), '--threads', String(job.threads), '--blas-threads', String(job.blas), ...args.map(String)],
    { encoding: 'utf8', env, cwd: o.refDir, maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`bench compare: PyTorch ${job.kind} (${job.setting}) failed (exit ${r.status}): ${r.stderr.trim().split('\n').pop()}`);
  const lines = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Sample);
  if (lines.length < 2) throw new Error(`bench compare: PyTorch ${job.kind} (${job.setting}) printed ${lines.length} JSON lines, expected 2`);
  return { ...lines[0], ...lines[1] };
}

const stats = (xs: number[], digits = 2) => ({ median: round(median(xs), digits), min: round(Math.min(...xs), digits), max: round(Math.max(...xs), digits) });

async function drive(args: string[]): Promise<number> {
  const rounds = flag(args, '--rounds', 5), steps = flag(args, '--steps', 5), warmup = flag(args, '--warmup', 2), reps = flag(args, '--reps', 50);
  const onlyAt = args.indexOf('--only'), only = onlyAt >= 0 ? args[onlyAt + 1] : undefined;
  if (only !== undefined && only !== 'train' && only !== 'infer') {
    process.stderr.write(`bench compare: --only ${only}: expected train or infer\n`);
    return 2;
  }
  const refDir = process.env.TOKCAST_PYTORCH_REF, python = process.env.TOKCAST_PYTHON ?? '/usr/bin/python3';
  const problem = referenceProblem(refDir, python);
  const shout = (m: string) => process.stderr.write(`\n${'!'.repeat(100)}\n!!! ${m}\n${'!'.repeat(100)}\n\n`);
  if (problem) shout(`THE PYTORCH REFERENCE IS ABSENT: ${problem}. ONLY TOKCAST IS MEASURED; THERE ARE NO RATIOS.`);
  const torchVersion = problem ? null : spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).stdout.trim();

  const jobs: Job[] = [];
  if (only !== 'infer') {
    jobs.push({ engine: 'tokcast', kind: 'train', setting: 'threads 2', threads: 2 });
    if (!problem) {
      jobs.push({ engine: 'pytorch', kind: 'train', setting: 'threads 2, blas 2, OMP passive', threads: 2, blas: 2, passive: true });
      jobs.push({ engine: 'pytorch', kind: 'train', setting: 'threads 1, blas 2', threads: 1, blas: 2 });
    }
  }
  if (only !== 'train') {
    for (const t of [1, 2]) {
      jobs.push({ engine: 'tokcast', kind: 'infer', setting: `threads ${t}`, threads: t });
      if (!problem) jobs.push({ engine: 'pytorch', kind: 'infer', setting: `threads ${t}, blas ${t}${t > 1 ? ', OMP passive' : ''}`, threads: t, blas: t, passive: t > 1 });
    }
  }
  const samples = new Map<Job, Sample[]>(jobs.map((j) => [j, []]));
  const load0 = loadavg()[0]!, started = new Date();
  for (let r = 0; r < rounds; r++) {
    // side by side: each tokcast job next to the PyTorch jobs of the same kind and threads, tokcast first in even
    // rounds and last in odd ones
    const group = (j: Job) => `${j.kind} ${j.kind === 'train' ? '' : j.threads}`;
    const groups = [...new Set(jobs.map(group))];
    const order = groups.flatMap((g) => {
      const js = jobs.filter((j) => group(j) === g);
      return r % 2 === 0 ? js : js.reverse();
    });
    for (const j of order) {
      const s = runJob(j, { steps, warmup, reps, refDir: refDir ?? '', python });
      samples.get(j)!.push(s);
      process.stderr.write(`bench compare: round ${r + 1}/${rounds} ${j.engine} ${j.kind} (${j.setting}): ${JSON.stringify(Object.fromEntries(Object.entries(s).filter(([k]) => /ms|rss/.test(k))))}\n`);
    }
  }
  const common = {
    date: started.toISOString(), machine: `${cpus().length} cores, ${cpus()[0]?.model ?? '?'}`,
    load_avg_1m_start: round(load0, 1), load_avg_1m_end: round(loadavg()[0]!, 1), rounds,
    pytorch_reference: problem ? null : `torch ${torchVersion}`, ...(problem ? { reference_absent: problem } : {}),
  };
  const byKind = (engine: Job['engine'], kind: Job['kind']) => jobs.filter((j) => j.engine === engine && j.kind === kind);
  const col = (j: Job, key: string) => samples.get(j)!.map((s) => Number(s[key]));
  const out: object[] = [];
  const table: string[] = [];

  if (only !== 'infer') {
    const tk = byKind('tokcast', 'train')[0]!, tkMs = col(tk, 'ms_per_step'), tkRss = col(tk, 'peak_rss_mb');
    const pt = byKind('pytorch', 'train');
    // PyTorch's best thread setting: the lower median ms/step; per-round ratios against that round's best setting
    const ptBest = pt.length ? pt.reduce((a, b) => (median(col(a, 'ms_per_step')) <= median(col(b, 'ms_per_step')) ? a : b)) : null;
    const perRound = ptBest ? tkMs.map((ms, r) => Math.min(...pt.map((j) => col(j, 'ms_per_step')[r]!)) / ms) : [];
    const ptRss = ptBest ? col(ptBest, 'peak_rss_mb') : [];
    const fig = {
      name: 'compare_train_step', batch: TRAIN_BATCH, steps_per_round: steps, warmup_steps: warmup, ...common,
      tokcast: { setting: tk.setting, ms_per_step: stats(tkMs), samples_per_s: round((TRAIN_BATCH * 1000) / median(tkMs), 1), peak_rss_mb: stats(tkRss, 0), execution_provider_used: samples.get(tk)![0]!.execution_provider_used },
      pytorch: ptBest ? Object.fromEntries(pt.map((j) => [j.setting, { ms_per_step: stats(col(j, 'ms_per_step')), samples_per_s: round((TRAIN_BATCH * 1000) / median(col(j, 'ms_per_step')), 1), peak_rss_mb: stats(col(j, 'peak_rss_mb'), 0) }])) : null,
      pytorch_best_setting: ptBest?.setting ?? null,
      speed_ratio: ptBest ? { ...stats(perRound), of_medians: round(median(col(ptBest, 'ms_per_step')) / median(tkMs), 2) } : null,
      memory_ratio: ptBest ? round(median(ptRss) / median(tkRss), 2) : null,
    };
    out.push(fig);
    table.push(`train_step (B=${TRAIN_BATCH}): tokcast ${fig.tokcast.samples_per_s} samples/s` +
      (ptBest ? `, PyTorch ${round((TRAIN_BATCH * 1000) / median(col(ptBest, 'ms_per_step')), 1)} (${ptBest.setting}); ratio ${fig.speed_ratio!.median} (${fig.speed_ratio!.min}-${fig.speed_ratio!.max}); peak RSS ${round(median(tkRss), 0)} vs ${round(median(ptRss), 0)} MB` : ''));
  }
  if (only !== 'train') {
    for (const t of [1, 2]) {
      const tk = byKind('tokcast', 'infer').find((j) => j.threads === t)!, pt = byKind('pytorch', 'infer').find((j) => j.threads === t);
      const f = col(tk, 'forecast_ms_median'), b = col(tk, 'batch_forward_ms');
      const pf = pt ? col(pt, 'forecast_ms_median') : [], pb = pt ? col(pt, 'batch_forward_ms') : [];
      const ratio = (p: number[], k: number[]) => (pt ? stats(p.map((v, r) => v / k[r]!)) : null);
      const provider = samples.get(tk)![0]!.execution_provider_used;
      out.push({
        name: 'compare_forecast_8h', threads: t, batch: 1, horizon: 8, forecasts_per_round: reps, ...common,
        tokcast: { median_ms: stats(f, 3), execution_provider_used: provider }, pytorch: pt ? { setting: pt.setting, median_ms: stats(pf, 3) } : null,
        speed_ratio: ratio(pf, f),
      });
      out.push({
        name: 'compare_eval_forward', threads: t, batch: EVAL_BATCH, ...common,
        tokcast: { ms: stats(b, 1), samples_per_s: round((EVAL_BATCH * 1000) / median(b), 1), execution_provider_used: provider },
        pytorch: pt ? { setting: pt.setting, ms: stats(pb, 1), samples_per_s: round((EVAL_BATCH * 1000) / median(pb), 1) } : null,
        speed_ratio: ratio(pb, b),
      });
      table.push(`forecast_8h (batch 1, ${t} thread${t > 1 ? 's' : ''}): tokcast ${round(median(f), 2)} ms` + (pt ? `, PyTorch ${round(median(pf), 2)} ms; ratio ${ratio(pf, f)!.median}` : ''));
      table.push(`eval_forward (batch ${EVAL_BATCH}, ${t} thread${t > 1 ? 's' : ''}): tokcast ${round((EVAL_BATCH * 1000) / median(b), 1)} samples/s` + (pt ? `, PyTorch ${round((EVAL_BATCH * 1000) / median(pb), 1)}; ratio ${ratio(pb, b)!.median}` : ''));
    }
  }
  for (const f of out) process.stdout.write(JSON.stringify(f) + '\n');
  process.stderr.write(`\nbench compare, ${common.date}, ${rounds} rounds, load ${common.load_avg_1m_start} -> ${common.load_avg_1m_end} (ratios: PyTorch / tokcast, median (min-max) over rounds)\n  ${table.join('\n  ')}\n`);
  if (problem) { shout(`THE PYTORCH REFERENCE IS ABSENT: ${problem}. NO RATIOS WERE MEASURED.`); return 1; }
  return 0;
}

/** Entry point from bench/run.ts (`npm run bench -- compare ...`) or `node --import tsx bench/compare.ts ...`. */
export async function compareMain(args: string[]): Promise<number> {
  const w = args.indexOf('--worker');
  if (w >= 0) {
    const kind = args[w + 1], threads = flag(args, '--threads', 2);
    const fig = kind === 'train' ? await trainWorker(threads, flag(args, '--steps', 5), flag(args, '--warmup', 2)) : await inferWorker(threads, flag(args, '--reps', 50));
    process.stdout.write(JSON.stringify(fig) + '\n');
    return 0;
  }
  return drive(args);
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await compareMain(process.argv.slice(2));
