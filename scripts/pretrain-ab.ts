// A/B for docs/pretraining.md: fine-tuning from synthetic pretraining vs training from scratch on real candles, same
// model, epochs, batches and seeds, on several fractions of the training windows (to see how much data pretraining saves).
// node --import tsx scripts/pretrain-ab.ts [--out DIR] [--data-dir DIR] [--start D] [--end D] [--seeds 1,2,3]
//   [--arms scratch,pretrained] [--fractions 0.25,0.5,1] [--epochs 8] [--pretrain-samples 20000] [--pretrain-epochs 3] [--threads 1]
// node --import tsx scripts/pretrain-ab.ts --summarize A/ab_results.json,B/ab_results.json --out DIR  (merge runs, redo summary)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { validateConfig } from '../src/config/load.ts';
import type { Config } from '../src/config/schema.ts';
import { makeContext } from '../src/pipeline/context.ts';
import { artifactPath, readArtifact, stepDir } from '../src/pipeline/artifact.ts';
import { runDownload } from '../src/pipeline/steps/download.ts';
import { runClean } from '../src/pipeline/steps/clean.ts';
import { runSplit } from '../src/pipeline/steps/split.ts';
import { runTokenize } from '../src/pipeline/steps/tokenize.ts';
import { runSequences, sequencesStats, sequencesFile } from '../src/pipeline/steps/sequences.ts';
import { modelConfigFrom, readSequenceSet, trainerEngine, createTrainer, scheduleConfigFrom } from '../src/pipeline/model-setup.ts';
import { trainLoop, type EpochRecord, type WindowSet } from '../src/train/loop.ts';
import { runPretraining } from '../src/pipeline/pretraining/run.ts';
import type { MarketParams } from '../src/market/params.ts';
import type { Params } from '../src/model/params.ts';
import { renderPng } from '../src/plots/render.ts';

const { values: a } = parseArgs({
  options: {
    out: { type: 'string', default: '/tmp/tokcast-ab' }, 'data-dir': { type: 'string', default: process.env.TOKCAST_REAL_DATA_DIR ?? '' },
    start: { type: 'string', default: '2022-01-01' }, end: { type: 'string', default: '2022-12-31' },
    seeds: { type: 'string', default: '1,2,3' }, fractions: { type: 'string', default: '0.25,0.5,1' },
    epochs: { type: 'string', default: '8' }, 'pretrain-samples': { type: 'string', default: '20000' },
    'pretrain-epochs': { type: 'string', default: '3' }, threads: { type: 'string', default: '1' }, summarize: { type: 'string' }, arms: { type: 'string', default: 'scratch,pretrained' },
  },
});
const seeds = a.seeds!.split(',').map(Number), fractions = a.fractions!.split(',').map(Number);
const epochs = Number(a.epochs), pSamples = Number(a['pretrain-samples']), pEpochs = Number(a['pretrain-epochs']);
const log = (m: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);

interface Run { seed: number; fraction: number; arm: 'scratch' | 'pretrained'; windows: number; history: EpochRecord[] }
interface PretrainInfo { seed: number; seconds: number; best_round: number; best_val_nll: number; best_val_acc: number }
const runs: Run[] = [];
const pretrainInfo: PretrainInfo[] = [];
const mean = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;
const sd = (x: number[]) => { const m = mean(x); return Math.sqrt(x.reduce((s, v) => s + (v - m) ** 2, 0) / Math.max(1, x.length - 1)); };
const bestNll = (r: Run) => Math.min(...r.history.map((h) => h.val_nll));

/** Scratch windows needed for a val NLL (log-linear interpolation between tested sizes); null outside the range. */
function scratchWindowsFor(nll: number, pts: Array<{ windows: number; nll: number }>): number | null {
  for (let i = 0; i + 1 < pts.length; i++) {
    const a = pts[i]!, b = pts[i + 1]!;
    if (nll <= a.nll && nll >= b.nll) return Math.round(Math.exp(Math.log(a.windows) + (Math.log(b.windows) - Math.log(a.windows)) * (a.nll - nll) / (a.nll - b.nll)));
  }
  return null;
}

/** ab_summary.md and ab_curves.png from the runs: per fraction and arm, mean ± sd over seeds, and the mean curves. */
async function summarize(out: string, note: string): Promise<void> {
  const fr = [...new Set(runs.map((r) => r.fraction))].sort((x, y) => x - y);
  const seedsUsed = [...new Set(runs.map((r) => r.seed))];
  const lines = [`Seeds ${seedsUsed.join(', ')}; best = lowest validation NLL (last position, no smoothing) over the epochs of each run.`, '',
    '| train windows | arm | best val NLL (mean ± sd) | val acc at best NLL | epoch of best (mean) | val NLL after epoch 1 |', '|---|---|---|---|---|---|'];
  const pts: Record<string, Array<{ windows: number; nll: number }>> = { scratch: [], pretrained: [] };
  for (const fraction of fr) for (const arm of ['scratch', 'pretrained'] as const) {
    const rs = runs.filter((r) => r.fraction === fraction && r.arm === arm);
    if (!rs.length) continue;
    const best = rs.map(bestNll);
    const at = rs.map((r) => r.history.reduce((x, h) => (h.val_nll < x.val_nll ? h : x)));
    pts[arm]!.push({ windows: rs[0]!.windows, nll: mean(best) });
    lines.push(`| ${rs[0]!.windows} (${fraction * 100} %) | ${arm} | ${mean(best).toFixed(4)} ± ${sd(best).toFixed(4)} | ${mean(at.map((h) => h.val_acc)).toFixed(4)} | ` +
      `${mean(at.map((h) => h.epoch)).toFixed(1)} | ${mean(rs.map((r) => r.history[0]!.val_nll)).toFixed(4)} |`);
  }
  lines.push('');
  for (const p of pts.pretrained!) {
    const need = scratchWindowsFor(p.nll, pts.scratch!);
    lines.push(`- pretrained with ${p.windows} windows (best val NLL ${p.nll.toFixed(4)}): from scratch needs ` +
      (need !== null ? `~${need} windows (${(need / p.windows).toFixed(2)}x)` : p.nll < pts.scratch!.at(-1)!.nll ? `more than the ${pts.scratch!.at(-1)!.windows} tested` : `fewer than the ${pts.scratch![0]!.windows} tested`));
  }
  if (pretrainInfo.length) lines.push(`- pretraining alone (no fine-tuning), best real val NLL: ${mean(pretrainInfo.map((p) => p.best_val_nll)).toFixed(4)} ± ${sd(pretrainInfo.map((p) => p.best_val_nll)).toFixed(4)}, ` +
    `acc ${mean(pretrainInfo.map((p) => p.best_val_acc)).toFixed(4)}`);
  if (note) lines.push(`- ${note}`);
  writeFileSync(join(out, 'ab_summary.md'), lines.join('\n') + '\n');
  console.log(lines.join('\n'));
  const curve = runs.flatMap((r) => r.history.map((h) => ({ fraction: `${r.windows} windows (${r.fraction * 100} %)`, arm: r.arm, seed: r.seed, epoch: h.epoch, val_nll: h.val_nll, val_acc: h.val_acc })));
  const order = fr.map((f) => curve.find((c) => c.fraction.endsWith(`(${f * 100} %)`))!.fraction);
  await renderPng({
    title: `Fine-tuned from synthetic pretraining vs from scratch (mean over seeds ${seedsUsed.join(', ')}; early-stopped runs drop out)`, data: { values: curve },
    vconcat: ['val_nll', 'val_acc'].map((m) => ({
      facet: { column: { field: 'fraction', type: 'nominal', title: null, sort: order } },
      spec: { width: 220, height: 160, mark: { type: 'line', point: true },
        encoding: { x: { field: 'epoch', type: 'quantitative' }, y: { aggregate: 'mean', field: m, type: 'quantitative', scale: { zero: false }, title: `mean ${m}` }, color: { field: 'arm', type: 'nominal' } } },
    })),
  } as never, join(out, 'ab_curves.png'));
}

if (a.summarize) {
  mkdirSync(a.out!, { recursive: true });
  for (const f of a.summarize.split(',')) {
    const d = JSON.parse(readFileSync(f, 'utf8')) as { runs: Run[]; pretrainInfo: PretrainInfo[] };
    runs.push(...d.runs); pretrainInfo.push(...d.pretrainInfo);
  }
  await summarize(a.out!, '');
  process.exit(0);
}

// the demo model (config.demo.yaml) on the demo coins, real candles
if (!a['data-dir']) { console.error('pretrain-ab: give --data-dir or set TOKCAST_REAL_DATA_DIR (the real hourly candles folder)'); process.exit(2); }
const base = validateConfig({
  seed: seeds[0],
  data: { source: 'csv', data_dir: a['data-dir'], coins: ['BTC', 'ETH', 'BNB', 'XRP', 'SOL'], target_coin: 'XRP', start: a.start, end: a.end },
  model: { embed_dim: 16, d_model: 64, n_heads: 4, n_layers: 2, d_ff: 128 },
  train: { epochs, batch_size: 128, threads: Number(a.threads) },
  pretrain: { num_samples: pSamples, epochs: pEpochs },
});
const artifactsDir = join(a.out!, 'artifacts');
mkdirSync(artifactsDir, { recursive: true });
const ctx = makeContext(base, { log, progress: () => ({ tick() {}, done() {} }) }, artifactsDir);
await runDownload(ctx); await runClean(ctx); await runSplit(ctx); await runTokenize(ctx, { plot: false }); await runSequences(ctx);
const seq = readArtifact(artifactsDir, 'sequences', sequencesStats);
const seqDir = stepDir(artifactsDir, 'sequences');
const train = readSequenceSet(seqDir, sequencesFile('train'), seq.stats), val = readSequenceSet(seqDir, sequencesFile('val'), seq.stats);
log(`real windows: train ${train.N}, val ${val.N}`);

/** The most recent `f` of the training windows (closest in time to validation). */
function subset(s: WindowSet, f: number): WindowSet {
  const n = Math.max(base.train.batch_size, Math.round(s.N * f)), from = s.N - n;
  return { x: s.x.subarray(from * s.rowSize), y: s.y.subarray(from), N: n, rowSize: s.rowSize };
}

async function fit(config: Config, set: WindowSet, init: Params | null): Promise<EpochRecord[]> {
  const model = modelConfigFrom(config, seq.stats);
  const trainer = await createTrainer(config, model);
  try {
    if (init) trainer.setParams(init, true);
    const st = await trainLoop(trainerEngine(trainer), set, val, {
      epochs: config.train.epochs, batchSize: config.train.batch_size, seed: config.seed, shuffle: true, schedule: scheduleConfigFrom(config),
    });
    return st.history;
  } finally { await trainer.dispose(); }
}

let market: MarketParams | undefined, statsSummary: unknown;
const started = performance.now();
for (const seed of seeds) {
  const config = { ...base, seed };
  const arms = a.arms!.split(',') as Array<'scratch' | 'pretrained'>;
  const p = !arms.includes('pretrained') ? null : await runPretraining({
    config, tokenizeArtifact: artifactPath(artifactsDir, 'tokenize'), outputDir: join(a.out!, `pretrain-seed${seed}`),
    seed, marketParams: market, plot: seed === seeds[0], log,
  });
  if (p) {
    market = p.market; statsSummary = p.stats.summary;
    pretrainInfo.push({ seed, seconds: p.trainSeconds, best_round: p.best.round, best_val_nll: p.best.val_nll, best_val_acc: p.best.val_acc });
  }
  for (const fraction of fractions) {
    for (const arm of arms) {
      const set = subset(train, fraction);
      const history = await fit(config, set, arm === 'pretrained' ? p!.params : null);
      runs.push({ seed, fraction, arm, windows: set.N, history });
      const b = Math.min(...history.map((h) => h.val_nll));
      log(`seed ${seed} fraction ${fraction} ${arm}: best val nll ${b.toFixed(4)}, last acc ${history[history.length - 1]!.val_acc.toFixed(4)}`);
      writeFileSync(join(a.out!, 'ab_results.json'), JSON.stringify({ config: base, pretrainInfo, statsSummary, runs }, null, 1));
    }
  }
}

await summarize(a.out!, !pretrainInfo.length ? "" : `pretraining cost: ${mean(pretrainInfo.map((p) => p.seconds)).toFixed(0)} s per seed (${pSamples} windows x ${pEpochs} epochs); total ${((performance.now() - started) / 1000).toFixed(0)} s`);
log(`wrote ${join(a.out!, 'ab_summary.md')}, ab_results.json, ab_curves.png`);
