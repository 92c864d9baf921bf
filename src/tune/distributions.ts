// Search-space distributions (float, int, categorical) with Optuna's JSON form and internal/external values.
// Follows optuna/distributions.py (4.x): validation rules, legacy names on input, compatibility within a study.
import { UserError } from '../util/errors.ts';

/** A categorical choice: anything Optuna can store as JSON. */
export type CategoricalChoice = null | boolean | number | string;
/** A parameter value in the external representation (what the objective sees). */
export type ParamValue = number | CategoricalChoice;

/** Optuna's distribution JSON (also the CLI's --search-space entry format). */
export interface DistributionJson {
  name: string;
  attributes: Record<string, unknown>;
}

/** Continuous (or stepped) float in [low, high]; log and step are mutually exclusive. */
export class FloatDistribution {
  readonly kind = 'float' as const;
  readonly low: number;
  readonly high: number;
  readonly log: boolean;
  readonly step: number | null;

  /** Throws UserError on low > high, log with low <= 0, log with step, or step <= 0; high is snapped down to the step grid. */
  constructor(low: number, high: number, opts: { log?: boolean; step?: number | null } = {}) {
    const log = opts.log ?? false;
    const step = opts.step ?? null;
    if (!Number.isFinite(low) || !Number.isFinite(high)) throw new UserError(`FloatDistribution: low and high must be finite numbers, got low=${low}, high=${high}`);
    if (log && step !== null) throw new UserError('FloatDistribution: step is not supported with log=true');
    if (low > high) throw new UserError(`FloatDistribution: low <= high expected, got low=${low}, high=${high}`);
    if (log && low <= 0) throw new UserError(`FloatDistribution: low > 0 expected with log=true, got low=${low}`);
    if (step !== null && !(step > 0 && Number.isFinite(step))) throw new UserError(`FloatDistribution: step > 0 expected, got step=${step}`);
    this.low = low;
    this.high = step !== null ? adjustHigh(low, high, step) : high;
    this.log = log;
    this.step = step;
  }

  /** True when the distribution has a single possible value. */
  single(): boolean {
    if (this.step === null) return this.low === this.high;
    if (this.low === this.high) return true;
    return this.high - this.low < this.step;
  }

  /** Whether an internal value lies in the domain (and on the step grid). */
  contains(internal: number): boolean {
    if (!(internal >= this.low && internal <= this.high)) return false;
    if (this.step === null) return true;
    const k = (internal - this.low) / this.step;
    return Math.abs(k - Math.round(k)) < 1e-8;
  }

  toInternal(external: ParamValue): number {
    if (typeof external !== 'number') throw new UserError(`FloatDistribution: a number expected, got ${JSON.stringify(external)}`);
    return external;
  }

  toExternal(internal: number): number {
    return internal;
  }

  toJSON(): DistributionJson {
    return { name: 'FloatDistribution', attributes: { low: this.low, high: this.high, log: this.log, step: this.step } };
  }
}

/** Integer in [low, high] on the grid low + k*step; log requires step 1 and low >= 1. */
export class IntDistribution {
  readonly kind = 'int' as const;
  readonly low: number;
  readonly high: number;
  readonly log: boolean;
  readonly step: number;

  /** Throws UserError on non-integers, low > high, log with low < 1, log with step != 1, or step <= 0. */
  constructor(low: number, high: number, opts: { log?: boolean; step?: number } = {}) {
    const log = opts.log ?? false;
    const step = opts.step ?? 1;
    if (!Number.isInteger(low) || !Number.isInteger(high)) throw new UserError(`IntDistribution: integer low and high expected, got low=${low}, high=${high}`);
    if (!Number.isInteger(step) || step <= 0) throw new UserError(`IntDistribution: integer step > 0 expected, got step=${step}`);
    if (log && step !== 1) throw new UserError(`IntDistribution: step must be 1 with log=true, got step=${step}`);
    if (low > high) throw new UserError(`IntDistribution: low <= high expected, got low=${low}, high=${high}`);
    if (log && low < 1) throw new UserError(`IntDistribution: low >= 1 expected with log=true, got low=${low}`);
    this.low = low;
    this.high = adjustHigh(low, high, step);
    this.log = log;
    this.step = step;
  }

  single(): boolean {
    if (this.low === this.high) return true;
    return this.high - this.low < this.step;
  }

  contains(internal: number): boolean {
    if (!(internal >= this.low && internal <= this.high)) return false;
    const k = (internal - this.low) / this.step;
    return Math.abs(k - Math.round(k)) < 1e-8;
  }

  toInternal(external: ParamValue): number {
    if (typeof external !== 'number' || !Number.isFinite(external)) throw new UserError(`IntDistribution: an integer expected, got ${JSON.stringify(external)}`);
    return external;
  }

  toExternal(internal: number): number {
    return Math.round(internal);
  }

  toJSON(): DistributionJson {
    return { name: 'IntDistribution', attributes: { low: this.low, high: this.high, log: this.log, step: this.step } };
  }
}

/** One of a fixed list of choices; the internal value is the index of the choice. */
export class CategoricalDistribution {
  readonly kind = 'categorical' as const;
  readonly choices: readonly CategoricalChoice[];

  /** Throws UserError on an empty list or a choice that is not null/boolean/number/string. */
  constructor(choices: readonly CategoricalChoice[]) {
    if (!Array.isArray(choices) || choices.length === 0) throw new UserError('CategoricalDistribution: a non-empty list of choices expected');
    for (const c of choices) {
      if (!(c === null || typeof c === 'boolean' || typeof c === 'number' || typeof c === 'string')) {
        throw new UserError(`CategoricalDistribution: choices must be null, boolean, number or string, got ${JSON.stringify(c)}`);
      }
    }
    this.choices = Object.freeze([...choices]);
  }

  single(): boolean {
    return this.choices.length === 1;
  }

  contains(internal: number): boolean {
    return Number.isInteger(internal) && internal >= 0 && internal < this.choices.length;
  }

  /** Index of the choice; NaN matches a NaN choice. Throws UserError when absent. */
  toInternal(external: ParamValue): number {
    const i = this.choices.findIndex((c) => c === external || (typeof c === 'number' && typeof external === 'number' && Number.isNaN(c) && Number.isNaN(external)));
    if (i < 0) throw new UserError(`CategoricalDistribution: ${JSON.stringify(external)} is not one of ${JSON.stringify(this.choices)}`);
    return i;
  }

  toExternal(internal: number): CategoricalChoice {
    const i = Math.round(internal);
    if (!(i >= 0 && i < this.choices.length)) throw new UserError(`CategoricalDistribution: index ${internal} out of range for ${this.choices.length} choices`);
    return this.choices[i];
  }

  toJSON(): DistributionJson {
    return { name: 'CategoricalDistribution', attributes: { choices: [...this.choices] } };
  }
}

export type Distribution = FloatDistribution | IntDistribution | CategoricalDistribution;

function decimals(x: number): number | null {
  const str = String(x);
  if (/e/i.test(str)) return null;
  const dot = str.indexOf('.');
  return dot < 0 ? 0 : str.length - dot - 1;
}

/** Snaps high down to low + k*step in decimal arithmetic (as Optuna's Decimal(str(x))), so (0, 1, 0.3) gives exactly 0.9. */
function adjustHigh(low: number, high: number, step: number): number {
  if (high - low <= 0) return high;
  const d = Math.max(decimals(low) ?? 99, decimals(high) ?? 99, decimals(step) ?? 99);
  if (d <= 12) {
    const scale = 10 ** d;
    const L = Math.round(low * scale), H = Math.round(high * scale), S = Math.round(step * scale);
    if (Number.isSafeInteger(L) && Number.isSafeInteger(H) && Number.isSafeInteger(S) && S > 0) {
      const k = Math.floor((H - L) / S);
      return L + k * S === H ? high : (L + k * S) / scale;
    }
  }
  const k = Math.floor((high - low) / step + 1e-9);
  return Math.min(low + k * step, high);
}

/** Optuna's JSON form of a distribution. */
/**
 * Whether `internal` can be stored as a trial param of `d`: a number (NaN excluded), a valid choice index for
 * categoricals. Numbers outside a numeric range are storable, as in Optuna, where an enqueued out-of-range value is
 * used (with a warning) rather than refused.
 */
export function storableInternal(d: Distribution, internal: unknown): boolean {
  if (typeof internal !== 'number' || Number.isNaN(internal)) return false;
  if (d.kind === 'categorical') return Number.isInteger(internal) && internal >= 0 && internal < d.choices.length;
  return true;
}

export function distributionToJson(d: Distribution): DistributionJson {
  return d.toJSON();
}

function num(attrs: Record<string, unknown>, key: string, where: string): number {
  const v = attrs[key];
  if (typeof v !== 'number') throw new UserError(`${where}: attribute "${key}" must be a number, got ${JSON.stringify(v)}`);
  return v;
}

/** Parses Optuna's distribution JSON (object or string), including legacy names; throws UserError naming the bad key. */
export function distributionFromJson(input: DistributionJson | string): Distribution {
  let json: unknown = input;
  if (typeof input === 'string') {
    try {
      json = JSON.parse(input);
    } catch {
      throw new UserError(`distribution JSON: cannot parse ${JSON.stringify(input)}`);
    }
  }
  if (typeof json !== 'object' || json === null || typeof (json as DistributionJson).name !== 'string') {
    throw new UserError(`distribution JSON: {"name": ..., "attributes": {...}} expected, got ${JSON.stringify(json)}`);
  }
  const { name } = json as DistributionJson;
  const a = ((json as DistributionJson).attributes ?? {}) as Record<string, unknown>;
  if (typeof a !== 'object') throw new UserError(`${name}: "attributes" must be an object`);
  switch (name) {
    case 'FloatDistribution':
      return new FloatDistribution(num(a, 'low', name), num(a, 'high', name), { log: a.log === true, step: a.step == null ? null : num(a, 'step', name) });
    case 'IntDistribution':
      return new IntDistribution(num(a, 'low', name), num(a, 'high', name), { log: a.log === true, step: a.step == null ? 1 : num(a, 'step', name) });
    case 'CategoricalDistribution':
      if (!Array.isArray(a.choices)) throw new UserError(`${name}: attribute "choices" must be a list`);
      return new CategoricalDistribution(a.choices as CategoricalChoice[]);
    case 'UniformDistribution':
      return new FloatDistribution(num(a, 'low', name), num(a, 'high', name));
    case 'LogUniformDistribution':
      return new FloatDistribution(num(a, 'low', name), num(a, 'high', name), { log: true });
    case 'DiscreteUniformDistribution':
      return new FloatDistribution(num(a, 'low', name), num(a, 'high', name), { step: num(a, 'q', name) });
    case 'IntUniformDistribution':
      return new IntDistribution(num(a, 'low', name), num(a, 'high', name), { step: a.step == null ? 1 : num(a, 'step', name) });
    case 'IntLogUniformDistribution':
      return new IntDistribution(num(a, 'low', name), num(a, 'high', name), { log: true });
    default:
      throw new UserError(`distribution JSON: unknown distribution name "${name}"`);
  }
}

/** True when both distributions are the same class with identical attributes. */
export function distributionsEqual(a: Distribution, b: Distribution): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind) return false;
  if (a.kind === 'categorical') {
    const bc = (b as CategoricalDistribution).choices;
    return a.choices.length === bc.length && a.choices.every((c, i) => Object.is(c, bc[i]));
  }
  const o = b as FloatDistribution | IntDistribution;
  return a.low === o.low && a.high === o.high && a.log === o.log && a.step === o.step;
}

/** Throws UserError unless `b` may replace `a` for the same parameter name within a study (same class, same log flag, same choices). */
export function checkDistributionCompatibility(a: Distribution, b: Distribution, paramName = 'parameter'): void {
  if (a.kind !== b.kind) throw new UserError(`${paramName}: cannot change distribution class from ${a.toJSON().name} to ${b.toJSON().name} within a study`);
  if (a.kind === 'categorical') {
    const same = JSON.stringify(a.choices) === JSON.stringify((b as CategoricalDistribution).choices);
    if (!same) throw new UserError(`${paramName}: categorical choices must stay identical within a study (${JSON.stringify(a.choices)} vs ${JSON.stringify((b as CategoricalDistribution).choices)})`);
    return;
  }
  if (a.log !== (b as FloatDistribution | IntDistribution).log) throw new UserError(`${paramName}: cannot change log=${a.log} to log=${!a.log} within a study`);
}
