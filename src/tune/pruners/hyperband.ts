// Hyperband (Li et al. 2018) as Optuna's HyperbandPruner: trials hashed into brackets, one ASHA pruner per bracket.
// Follows docs/tuning.md#hyperband and optuna/pruners/_hyperband.py; the sampler also sees only the trial's bracket (Study.ask).
import { UserError } from '../../util/errors.ts';
import type { FrozenTrial, TrialState } from '../frozen-trial.ts';
import type { Pruner, PrunerStudy } from './pruner.ts';
import { SuccessiveHalvingPruner } from './successive-halving.ts';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 (IEEE, as zlib/binascii.crc32) of a string's UTF-8 bytes. */
export function crc32(text: string): number {
  let c = 0xffffffff;
  for (const byte of new TextEncoder().encode(text)) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export interface HyperbandPrunerOptions {
  /** @default 1 */
  minResource?: number;
  /** @default 'auto': max last step of COMPLETE trials + 1, fixed once known */
  maxResource?: number | 'auto';
  /** @default 3 */
  reductionFactor?: number;
  /** @default 0 */
  bootstrapCount?: number;
}

/** Runs several ASHA brackets with different aggressiveness; a trial's bracket comes from crc32("<study>_<number>"). */
export class HyperbandPruner implements Pruner {
  readonly minResource: number;
  readonly reductionFactor: number;
  readonly bootstrapCount: number;
  private maxResource: number | null;
  private budgets: number[] = [];
  private pruners: SuccessiveHalvingPruner[] = [];

  /** Throws UserError for invalid resources or reduction factor. */
  constructor(opts: HyperbandPrunerOptions = {}) {
    this.minResource = opts.minResource ?? 1;
    const max = opts.maxResource ?? 'auto';
    this.reductionFactor = opts.reductionFactor ?? 3;
    this.bootstrapCount = opts.bootstrapCount ?? 0;
    if (!Number.isInteger(this.minResource) || this.minResource < 1) throw new UserError(`min_resource must be an integer >= 1, got ${this.minResource}`);
    if (max !== 'auto' && !(Number.isInteger(max) && max >= this.minResource)) throw new UserError(`max_resource must be "auto" or an integer >= min_resource, got ${JSON.stringify(max)}`);
    if (!Number.isInteger(this.reductionFactor) || this.reductionFactor < 2) throw new UserError(`reduction_factor must be an integer >= 2, got ${this.reductionFactor}`);
    this.maxResource = max === 'auto' ? null : max;
    if (this.maxResource !== null) this.init(this.maxResource);
  }

  get nBrackets(): number {
    return this.pruners.length;
  }

  private init(maxResource: number): void {
    const n = Math.floor(Math.log(maxResource / this.minResource) / Math.log(this.reductionFactor) + 1e-9) + 1;
    for (let b = 0; b < n; b++) {
      const s = n - 1 - b;
      this.budgets.push(Math.ceil((n * this.reductionFactor ** s) / (s + 1)));
      this.pruners.push(new SuccessiveHalvingPruner({ minResource: this.minResource, reductionFactor: this.reductionFactor, minEarlyStoppingRate: b, bootstrapCount: this.bootstrapCount }));
    }
  }

  private async tryInit(study: PrunerStudy): Promise<void> {
    if (this.pruners.length || this.maxResource !== null) return;
    let last: number | null = null;
    for (const t of await study.getTrials({ states: ['COMPLETE'] })) if (t.lastStep !== null && (last === null || t.lastStep > last)) last = t.lastStep;
    if (last === null) return;
    this.maxResource = last + 1;
    this.init(this.maxResource);
  }

  /** The bracket of trial `number` (0 before the brackets exist). */
  bracketOf(studyName: string, number: number): number {
    if (!this.pruners.length) return 0;
    const total = this.budgets.reduce((a, b) => a + b, 0);
    let n = crc32(`${studyName}_${number}`) % total;
    for (let b = 0; b < this.budgets.length; b++) {
      n -= this.budgets[b];
      if (n < 0) return b;
    }
    return this.budgets.length - 1;
  }

  /** Trials in the same bracket as `number` (what the sampler and the bracket's ASHA see). */
  filterTrials(studyName: string, trials: readonly FrozenTrial[], number: number): FrozenTrial[] {
    const b = this.bracketOf(studyName, number);
    return trials.filter((t) => this.bracketOf(studyName, t.number) === b);
  }

  async prune(study: PrunerStudy, trial: FrozenTrial): Promise<boolean> {
    await this.tryInit(study);
    if (!this.pruners.length) return false;
    const name = study.studyName ?? '';
    const bracketStudy: PrunerStudy = {
      studyName: name,
      directions: study.directions,
      getTrials: async (opts?: { states?: readonly TrialState[] }) => this.filterTrials(name, await study.getTrials(opts), trial.number),
      setTrialSystemAttr: (id, key, value) => study.setTrialSystemAttr(id, key, value),
    };
    return this.pruners[this.bracketOf(name, trial.number)].prune(bracketStudy, trial);
  }
}
