// Argument parsing of the `tokcast study` verbs: numbers as Python's float()/int() read them, JSON objects, and Optuna's
// --search-space JSON. Each throws a UserError naming the flag and the value.
import { UserError } from '../../util/errors.ts';
import { distributionFromJson, type Distribution, type DistributionJson } from '../../tune/distributions.ts';

/** Parses a number the way Python's float() does (inf, -inf, nan, 1_000 accepted); throws UserError naming the flag. */
export function parseNumber(text: string, flag: string): number {
  const t = text.trim().toLowerCase();
  if (['inf', '+inf', 'infinity', '+infinity'].includes(t)) return Infinity;
  if (['-inf', '-infinity'].includes(t)) return -Infinity;
  if (['nan', '+nan', '-nan'].includes(t)) return NaN;
  const plain = /^[-+]?(\d(_?\d)*)?(\.(\d(_?\d)*)?)?([eE][-+]?\d(_?\d)*)?$/.test(t) && /\d/.test(t) ? t.replace(/_/g, '') : '';
  const v = Number(plain);
  if (plain === '' || Number.isNaN(v)) throw new UserError(`${flag}: a number expected, got ${JSON.stringify(text)}`);
  return v;
}

/** Parses an integer flag; throws UserError naming the flag. */
export function parseInteger(text: string, flag: string, min = 0): number {
  const v = Number(text);
  if (!/^\s*[-+]?\d+\s*$/.test(text) || !Number.isSafeInteger(v) || v < min) throw new UserError(`${flag}: an integer >= ${min} expected, got ${JSON.stringify(text)}`);
  return v;
}

/** Parses a JSON object flag; throws UserError naming the flag. */
export function parseJsonObject(text: string | undefined, flag: string): Record<string, unknown> {
  if (text === undefined) return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${flag}: invalid JSON (${(e as Error).message})`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new UserError(`${flag}: a JSON object expected, got ${text}`);
  return v as Record<string, unknown>;
}

/** Parses Optuna's --search-space JSON (name -> distribution JSON); none given is an empty space, as in Optuna. */
export function parseSearchSpace(text: string | undefined): Record<string, Distribution> {
  const raw = parseJsonObject(text, '--search-space');
  const out: Record<string, Distribution> = {};
  for (const [name, d] of Object.entries(raw)) {
    try {
      out[name] = distributionFromJson(d as DistributionJson);
    } catch (e) {
      throw new UserError(`--search-space: parameter "${name}": ${(e as Error).message}`);
    }
  }
  return out;
}
