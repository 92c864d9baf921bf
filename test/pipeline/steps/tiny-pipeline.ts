// Shared fixture for the step 6-8 tests: steps 1-5 on a tiny seeded synthetic market in a temp folder.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateConfig } from '../../../src/config/load.ts';
import { makeContext, type StepContext } from '../../../src/pipeline/context.ts';
import { runDownload } from '../../../src/pipeline/steps/download.ts';
import { runClean } from '../../../src/pipeline/steps/clean.ts';
import { runSplit } from '../../../src/pipeline/steps/split.ts';
import { runTokenize } from '../../../src/pipeline/steps/tokenize.ts';
import { runSequences } from '../../../src/pipeline/steps/sequences.ts';

/** A config for a model that trains in seconds; `extra` is merged section by section. */
export function tinyConfig(extra: Record<string, Record<string, unknown> | number | string> = {}) {
  const base: Record<string, Record<string, unknown> | number | string> = {
    seed: 7,
    data: { source: 'synthetic', coins: ['BTC', 'ETH', 'XRP'], target_coin: 'XRP', start: '2022-01-01', end: '2022-02-20' },
    sequences: { window: 8 },
    model: { embed_dim: 4, d_model: 8, n_heads: 2, n_layers: 1, d_ff: 16, dropout: 0.1 },
    train: { epochs: 2, batch_size: 64, threads: 1 },
    evaluate: { horizon: 4, bootstrap_samples: 50 },
    inference: { horizon: 4 },
  };
  for (const [k, v] of Object.entries(extra)) base[k] = typeof v === 'object' && typeof base[k] === 'object' ? { ...(base[k] as object), ...v } : v;
  return validateConfig(base);
}

/** Runs steps 1-5 into a fresh temp artifacts folder and returns the context. */
export async function tinyPipeline(extra: Parameters<typeof tinyConfig>[0] = {}): Promise<StepContext> {
  const dir = mkdtempSync(join(tmpdir(), 'tokcast-tiny-'));
  const ctx = makeContext(tinyConfig(extra), undefined, dir);
  await runDownload(ctx);
  await runClean(ctx);
  await runSplit(ctx);
  await runTokenize(ctx, { plot: false });
  await runSequences(ctx);
  return ctx;
}
