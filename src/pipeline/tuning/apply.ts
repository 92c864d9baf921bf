// Writing tuned hyperparameters back into config.yaml (`tokcast pipeline tune --apply`) and onto an in-memory Config.
// Uses the yaml Document API so comments, key order and untouched formatting survive; the result is validated before writing.
import { readFileSync } from 'node:fs';
import { parseDocument, isScalar, stringify, type Document } from 'yaml';
import type { Config } from '../../config/schema.ts';
import { validateConfig } from '../../config/load.ts';
import { writeFileAtomic, readJson } from '../../util/fs.ts';
import { UserError } from '../../util/errors.ts';
import type { ParamValue } from '../../tune/distributions.ts';

/** Where each search-space parameter lives in the config (tune.search_space key -> config path). */
export const PARAM_CONFIG_PATHS: Readonly<Record<string, readonly string[]>> = {
  lr: ['train', 'lr'],
  weight_decay: ['train', 'weight_decay'],
  batch_size: ['train', 'batch_size'],
  token_noise_prob: ['train', 'token_noise_prob'],
  dropout: ['model', 'dropout'],
  label_smoothing: ['model', 'label_smoothing'],
  embed_dim: ['model', 'embed_dim'],
  n_layers: ['model', 'n_layers'],
  n_heads: ['model', 'n_heads'],
  d_ff: ['model', 'd_ff'],
};

/** One change made (or that would be made) to the config. */
export interface AppliedParam {
  param: string;
  /** dotted config key, e.g. train.lr */
  key: string;
  from: unknown;
  to: ParamValue;
}

/** Outcome of applying params: the changes, and params with no known config key (left alone). */
export interface ApplyResult {
  applied: AppliedParam[];
  skipped: string[];
}

function pathOf(param: string): readonly string[] | null {
  return Object.prototype.hasOwnProperty.call(PARAM_CONFIG_PATHS, param) ? PARAM_CONFIG_PATHS[param] : null;
}

/** A copy of `config` with the trial's params set at their config paths (the training objective's view of a trial). */
export function applyParamsToConfig(config: Config, params: Readonly<Record<string, ParamValue>>): Config {
  const out = structuredClone(config) as unknown as Record<string, Record<string, unknown>>;
  for (const [param, value] of Object.entries(params)) {
    const path = pathOf(param);
    if (path === null) continue;
    let node: Record<string, unknown> = out;
    for (const k of path.slice(0, -1)) node = (node[k] ??= {}) as Record<string, unknown>;
    node[path[path.length - 1]] = value;
  }
  return out as unknown as Config;
}

/**
 * Applies params to YAML text and returns the new text. Existing values are replaced in place in the source text (found
 * through the Document API's node ranges), so every other byte, comment and alignment is kept; missing keys are added through
 * the Document API (that re-serialises the file). Throws UserError when the text is not YAML or the result is not a valid config.
 */
export function applyParamsToYamlText(text: string, params: Readonly<Record<string, ParamValue>>, label = 'config.yaml'): ApplyResult & { text: string } {
  const doc = parseYaml(text, label);
  const applied: AppliedParam[] = [];
  const skipped: string[] = [];
  const edits: { from: number; to: number; text: string }[] = [];
  const missing: [readonly string[], ParamValue][] = [];
  for (const [param, value] of Object.entries(params)) {
    const path = pathOf(param);
    if (path === null) { skipped.push(param); continue; }
    const node = doc.getIn(path, true);
    applied.push({ param, key: path.join('.'), from: isScalar(node) ? node.value : node === undefined ? undefined : doc.getIn(path), to: value });
    if (isScalar(node) && node.range) edits.push(valueEdit(text, node.range[0], node.range[1], stringify(value).trimEnd()));
    else missing.push([path, value]);
  }
  let out = text;
  for (const e of edits.sort((a, b) => b.from - a.from)) out = out.slice(0, e.from) + e.text + out.slice(e.to);
  if (missing.length > 0) {
    const d = parseYaml(out, label);
    if (d.contents === null) d.contents = d.createNode({}) as unknown as typeof d.contents;
    for (const [path, value] of missing) d.setIn(path, value);
    out = d.toString();
  }
  validateConfig(parseDocument(out).toJS() ?? {}, `${label} with the tuned parameters`);
  return { applied, skipped, text: out };
}

/** replaces text[from, to) and keeps a trailing comment in its column where the spaces allow */
function valueEdit(text: string, from: number, to: number, value: string): { from: number; to: number; text: string } {
  const gap = /^ +(?=#)/.exec(text.slice(to))?.[0].length ?? 0;
  if (gap === 0) return { from, to, text: value };
  return { from, to: to + gap, text: value + ' '.repeat(Math.max(1, gap + (to - from) - value.length)) };
}

function parseYaml(text: string, label: string): Document {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new UserError(`${label}: not valid YAML (${doc.errors[0].message})`);
  return doc;
}

/**
 * Writes the best params of a tuning run into a config file (atomically), keeping comments and key order.
 * `source` is a params object or the path of a tuning_results.json. Throws UserError on unreadable inputs or an invalid result.
 */
export function applyBestParams(configPath: string, source: string | Readonly<Record<string, ParamValue>>): ApplyResult {
  const params = typeof source === 'string' ? bestParamsFromResults(source) : source;
  let text: string;
  try {
    text = readFileSync(configPath, 'utf8');
  } catch (e) {
    throw new UserError(`${configPath}: cannot read config (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const result = applyParamsToYamlText(text, params, configPath);
  if (result.text !== text) writeFileAtomic(configPath, result.text);
  return { applied: result.applied, skipped: result.skipped };
}

/** best_trial.params of a tuning_results.json written by runTuning. */
export function bestParamsFromResults(path: string): Record<string, ParamValue> {
  const json = readJson(path) as { best_trial?: { params?: unknown } | null };
  const params = json?.best_trial?.params;
  if (typeof params !== 'object' || params === null) throw new UserError(`${path}: no best_trial.params (did any trial complete?)`);
  return params as Record<string, ParamValue>;
}
