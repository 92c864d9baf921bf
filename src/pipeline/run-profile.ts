// The run profile `<artifacts>/run.json`: the identity of the run an artifacts folder holds (source, data folder and the
// hashes of the files read, coins, target, dates, config hash, tool version). Step 1 writes it; every later step takes its
// data keys from it, and a flag that contradicts it is refused (docs/pipeline.md#the-run-profile).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { Config } from '../config/schema.ts';
import { configRange } from '../data/sources.ts';
import { findCoinFile } from '../data/csv.ts';
import { readJson, writeJsonAtomic } from '../util/fs.ts';
import { hashFile, sha256Hex } from '../util/hash.ts';
import { UserError } from '../util/errors.ts';
import { TOOL_VERSION } from '../util/version.ts';
import { issuesLine } from '../util/zod-issues.ts';

export const RUN_FILE = 'run.json';

const dataFileSchema = z.object({ coin: z.string(), file: z.string(), bytes: z.number().int().min(0), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict();

export const runProfileSchema = z.object({
  format: z.literal('tokcast-run'),
  version: z.literal(1),
  created_at: z.string(),
  tool_version: z.string(),
  /** hash of the whole config the first step ran with */
  config_hash: z.string(),
  source: z.enum(['binance', 'csv', 'synthetic']),
  /** csv: the folder, as an absolute path */
  data_dir: z.string().nullable(),
  /** binance: the API; synthetic: the market's seed */
  binance_url: z.string().nullable(),
  synthetic_seed: z.number().int().nullable(),
  coins: z.array(z.string()).min(1),
  target_coin: z.string(),
  /** data.start / data.end as given, and the hours they resolve to */
  start: z.string(),
  end: z.string(),
  first_hour: z.string(),
  last_hour: z.string(),
  /** csv: every file read, with its size and sha256; `data_hash` is the sha256 over that list */
  data_files: z.array(dataFileSchema),
  data_hash: z.string(),
}).strict();
export type RunProfile = z.infer<typeof runProfileSchema>;

/** The data keys that make a run's identity, with the flag that sets each. */
export const IDENTITY_KEYS = ['source', 'data_dir', 'coins', 'target_coin', 'start', 'end'] as const;
export type IdentityKey = (typeof IDENTITY_KEYS)[number];
export const IDENTITY_FLAG: Record<IdentityKey, string> = {
  source: '--source', data_dir: '--data-dir', coins: '--coins', target_coin: '--target-coin', start: '--start', end: '--end',
};

const isoHour = (t: number) => new Date(t).toISOString().replace(':00.000Z', 'Z');

/** Size and sha256 of each coin's CSV in the folder (csv source); empty for the other sources. */
export function dataFilesOf(data: Config['data']): RunProfile['data_files'] {
  if (data.source !== 'csv' || !data.data_dir) return [];
  return data.coins.map((coin) => {
    const file = findCoinFile(data.data_dir!, coin, data.quote);
    return { coin, file: resolve(file), ...hashFile(file) };
  });
}

/** The profile of a run about to download with `config`. */
export function profileFromConfig(config: Config, configHash: string): RunProfile {
  const d = config.data;
  const { startMs, endMs } = configRange(d);
  const files = dataFilesOf(d);
  return {
    format: 'tokcast-run', version: 1, created_at: new Date().toISOString(), tool_version: TOOL_VERSION, config_hash: configHash,
    source: d.source, data_dir: d.source === 'csv' && d.data_dir ? resolve(d.data_dir) : null,
    binance_url: d.source === 'binance' ? d.binance.base_url : null,
    synthetic_seed: d.source === 'synthetic' ? (d.synthetic.seed ?? config.seed) : null,
    coins: d.coins, target_coin: d.target_coin, start: d.start, end: d.end, first_hour: isoHour(startMs), last_hour: isoHour(endMs),
    data_files: files, data_hash: sha256Hex(files.map((f) => `${f.coin} ${f.sha256}\n`).join('')),
  };
}

export const runProfilePath = (artifactsDir: string) => join(artifactsDir, RUN_FILE);

export function writeRunProfile(artifactsDir: string, profile: RunProfile): void {
  writeJsonAtomic(runProfilePath(artifactsDir), runProfileSchema.parse(profile));
}

/** The folder's profile, or null when there is none (a new folder, or one written before profiles existed). */
export function readRunProfile(artifactsDir: string): RunProfile | null {
  const path = runProfilePath(artifactsDir);
  if (!existsSync(path)) return null;
  let raw: unknown;
  try {
    raw = readJson(path);
  } catch (e) {
    throw new UserError(`${(e as Error).message}; run \`tokcast pipeline reset\` to start a new run`);
  }
  const parsed = runProfileSchema.safeParse(raw);
  if (!parsed.success) {
    const where = issuesLine(parsed.error, raw);
    throw new UserError(`${path}: not a valid run profile (${where}); run \`tokcast pipeline reset\` to start a new run`);
  }
  return parsed.data;
}

/** A key's value in the profile and in a config, as the user writes it, and whether the two mean the same. */
function compare(key: IdentityKey, p: RunProfile, d: Config['data']): { run: string; given: string; same: boolean } {
  const show = (v: unknown) => (Array.isArray(v) ? v.join(',') : v === null ? '(none)' : String(v));
  switch (key) {
    case 'data_dir': {
      const given = d.source === 'csv' && d.data_dir ? resolve(d.data_dir) : null;
      return { run: show(p.data_dir), given: show(d.data_dir), same: given === p.data_dir };
    }
    case 'start': case 'end': {
      const hour = (s: string) => { try { return configRange({ start: s, end: s })[key === 'start' ? 'startMs' : 'endMs']; } catch { return NaN; } };
      return { run: p[key], given: d[key], same: hour(p[key]) === hour(d[key]) };
    }
    case 'coins':
      return { run: show(p.coins), given: show(d.coins), same: p.coins.join(',') === d.coins.join(',') };
    default:
      return { run: show(p[key]), given: show(d[key]), same: p[key] === d[key] };
  }
}

export interface ProfileResolution {
  config: Config;
  /** keys taken from the profile where the config file said otherwise (the CLI prints a note) */
  fromProfile: Array<{ key: IdentityKey; run: string; config: string }>;
}

/**
 * The config a step runs with in a folder that holds `profile`: its data keys are the profile's. `given` names the keys
 * the user set on this command line (key -> the flag as typed, e.g. `--coins`); a given key that contradicts the profile is
 * refused, naming both values and the ways out. `free` keys may differ (out-of-sample evaluation's data, inference's --end).
 */
export function resolveWithProfile(config: Config, profile: RunProfile, given: Partial<Record<IdentityKey, string>>,
  free: readonly IdentityKey[] = [], artifactsDir = config.artifacts_dir, hint = ''): ProfileResolution {
  const d = config.data;
  const conflicts: string[] = [];
  const fromProfile: ProfileResolution['fromProfile'] = [];
  const data = { ...d, synthetic: { ...d.synthetic }, binance: { ...d.binance } };
  for (const key of IDENTITY_KEYS) {
    const c = compare(key, profile, d);
    if (c.same || (free.includes(key) && given[key])) continue;
    if (given[key]) { conflicts.push(`${given[key]} ${c.given} (this run: ${key} ${c.run})`); continue; }
    fromProfile.push({ key, run: c.run, config: c.given });
    if (key === 'coins') data.coins = profile.coins;
    else if (key === 'data_dir') data.data_dir = profile.data_dir;
    else if (key === 'source') data.source = profile.source;
    else data[key] = profile[key];
  }
  if (conflicts.length) {
    throw new UserError(`${runProfilePath(artifactsDir)}: ${conflicts.join('; ')}: this folder holds another run; ` +
      `start a new one with \`tokcast pipeline reset\`, or pass another --artifacts-dir${hint ? ` (${hint})` : ''}`);
  }
  // the market and the API of the run, unless the source itself is free and was changed
  if (data.source === profile.source) {
    if (profile.synthetic_seed !== null && (d.synthetic.seed ?? config.seed) !== profile.synthetic_seed) data.synthetic.seed = profile.synthetic_seed;
    if (profile.binance_url !== null) data.binance.base_url = profile.binance_url;
  }
  const changed = fromProfile.length > 0 || data.synthetic.seed !== d.synthetic.seed || data.binance.base_url !== d.binance.base_url;
  return { config: changed ? { ...config, data } : config, fromProfile };
}
