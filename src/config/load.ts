// Loads config.yaml (or --config PATH), applies CLI overrides (dotted keys), validates with zod, and hashes it.
import { readFileSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { configSchema, type Config } from './schema.ts';
import { UserError } from '../util/errors.ts';
import { describeIssues } from '../util/zod-issues.ts';
import { didYouMean } from '../util/suggest.ts';

export type Overrides = Record<string, unknown>;

/** Loads and validates a config file; a missing default `config.yaml` means all defaults. */
export function loadConfig(path: string | null = 'config.yaml', overrides: Overrides = {}): Config {
  let raw: unknown = {};
  const label = path ?? '(defaults)';
  if (path !== null) {
    if (!existsSync(path)) {
      if (path !== 'config.yaml') throw new UserError(`${path}: config file not found`);
    } else {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new UserError(`${path}: ${code === 'EISDIR' ? 'a folder, expected a YAML config file' : `cannot read (${code ?? (e as Error).message})`}`);
      }
      try {
        raw = parseYaml(text) ?? {};
      } catch (e) {
        throw new UserError(`${path}: not valid YAML (${(e as Error).message.split('\n')[0]})`);
      }
      if (typeof raw !== 'object' || Array.isArray(raw)) throw new UserError(`${path}: expected a mapping of keys at the top level`);
    }
  }
  const merged = structuredClone(raw) as Record<string, unknown>;
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) setPath(merged, key, value);
  return validateConfig(merged, label);
}

/** Validates a plain object as a Config, with errors naming the key, the value and what was expected. */
export function validateConfig(raw: unknown, label = 'config'): Config {
  const result = configSchema.safeParse(raw);
  if (!result.success) throw new UserError(`${label}: invalid config: ${describeIssues(result.error, raw, configSchema)}`);
  const cfg = result.data;
  const problems: string[] = [];
  if (!cfg.data.coins.includes(cfg.data.target_coin))
    problems.push(`key "data.target_coin": "${cfg.data.target_coin}" is not one of data.coins (${cfg.data.coins.join(', ')})${didYouMean(cfg.data.target_coin, cfg.data.coins)}`);
  if (new Set(cfg.data.coins).size !== cfg.data.coins.length) problems.push(`key "data.coins": coins repeat (${cfg.data.coins.join(', ')})`);
  if (cfg.data.source === 'csv' && !cfg.data.data_dir) problems.push('key "data.data_dir": required when data.source is csv (or pass --data-dir DIR)');
  if (Date.parse(cfg.data.start) > Date.parse(cfg.data.end)) problems.push(`key "data.start": ${cfg.data.start} is after data.end ${cfg.data.end}, expected start before end`);
  if (cfg.model.d_model % cfg.model.n_heads !== 0)
    problems.push(`key "model.n_heads": d_model ${cfg.model.d_model} is not divisible by n_heads ${cfg.model.n_heads}`);
  if (cfg.split.mode === 'ratio' && cfg.split.train_ratio + cfg.split.val_ratio > 1 + 1e-9)
    problems.push(`key "split.val_ratio": train_ratio + val_ratio = ${cfg.split.train_ratio + cfg.split.val_ratio}, expected at most 1`);
  if (cfg.split.mode === 'date' && !cfg.split.train_end) problems.push('key "split.train_end": required when split.mode is date');
  for (const [k, r] of Object.entries(cfg.tune.search_space)) {
    if (r === null || Array.isArray(r)) continue;
    if ('low' in r && r.low > r.high) problems.push(`key "tune.search_space.${k}": low ${r.low} is above high ${r.high}`);
    if ('log' in r && r.log && r.low <= 0) problems.push(`key "tune.search_space.${k}": log range needs low > 0, got ${r.low}`);
  }
  if (problems.length) throw new UserError(`${label}: invalid config: ${problems.join('; ')}`);
  return cfg;
}

/** Stable hash of a config (sorted keys), recorded in every artifact. */
export function configHash(cfg: unknown): string {
  return createHash('sha256').update(canonicalJson(cfg)).digest('hex').slice(0, 16);
}

export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
}

/** Parses `key=value` (value as YAML scalar/flow) into an override entry. */
export function parseSet(expr: string): [string, unknown] {
  const i = expr.indexOf('=');
  if (i <= 0) throw new UserError(`--set ${expr}: expected key=value, e.g. --set train.lr=0.001`);
  return [expr.slice(0, i).trim(), parseYaml(expr.slice(i + 1))];
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur: Record<string, unknown> = obj;
  for (const p of parts.slice(0, -1)) {
    if (cur[p] === undefined || cur[p] === null) cur[p] = {};
    if (typeof cur[p] !== 'object' || Array.isArray(cur[p])) throw new UserError(`override ${path}: "${p}" is not a section`);
    cur = cur[p] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]] = value;
}
