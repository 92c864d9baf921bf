// Temporal train / validation / test split of the cleaned hours (docs/architecture.md#steps): by row ratio or by date, with an
// optional embargo of hours after each boundary; rows stay in time order, nothing is shuffled.
import { HOUR_MS } from './candles.ts';
import { isoHour } from './align.ts';
import { UserError } from '../util/errors.ts';

export const SPLIT_NAMES = ['train', 'val', 'test'] as const;
export type SplitName = (typeof SPLIT_NAMES)[number];
/** Codes of the `split` column; EMBARGO rows belong to no split. */
export const SPLIT_CODE = { train: 0, val: 1, test: 2 } as const;
export const EMBARGO = 255;

export interface SplitOptions {
  mode: 'ratio' | 'date';
  trainRatio: number;
  valRatio: number;
  trainEnd: string | null;
  valEnd: string | null;
  embargoHours: number;
}

export interface SplitRange {
  name: SplitName;
  /** first and one-past-last row of the table (embargo rows excluded from the front) */
  start_row: number;
  end_row: number;
  rows: number;
  start: string;
  end: string;
  start_ms: number;
  end_ms: number;
}

/** Parses a config bound: a date means its last hour (23:00 UTC), a date-time means that hour. */
export function parseHourBound(s: string, key: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?Z?)?$/.exec(s);
  if (!m) throw new UserError(`config ${key}: "${s}" is not a date like 2022-12-31 or 2022-12-31T23:00Z`);
  const ms = m[4] === undefined
    ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, 23)
    : Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0));
  if (!Number.isFinite(ms) || ms % HOUR_MS !== 0) throw new UserError(`config ${key}: "${s}" is not a valid date on the hour`);
  return ms;
}

/**
 * Assigns each row (hours in time order) to train, val or test. Ratio mode: the first round(n * train_ratio) rows are
 * train, the next round(n * val_ratio) val and the rest test (train_ratio + val_ratio = 1: no test split). Date mode:
 * train up to and including train_end, val up to and including val_end (or the end), test after. Embargo: rows less
 * than embargo_hours hours after the last row of the previous split get code EMBARGO and belong to no split.
 */
export function splitRows(openTime: Float64Array, opts: SplitOptions): { split: Uint8Array; ranges: SplitRange[]; embargoRows: number } {
  const n = openTime.length;
  const code = new Uint8Array(n);
  if (opts.mode === 'ratio') {
    const sum = opts.trainRatio + opts.valRatio;
    if (sum > 1 + 1e-9) throw new UserError(`config split.train_ratio + split.val_ratio = ${sum} > 1`);
    const nTrain = Math.round(n * opts.trainRatio);
    const nVal = sum >= 1 - 1e-9 ? n - nTrain : Math.round(n * opts.valRatio);
    for (let i = 0; i < n; i++) code[i] = i < nTrain ? SPLIT_CODE.train : i < nTrain + nVal ? SPLIT_CODE.val : SPLIT_CODE.test;
  } else {
    if (!opts.trainEnd) throw new UserError('config split.train_end: required when split.mode is "date"');
    const trainEnd = parseHourBound(opts.trainEnd, 'split.train_end');
    const valEnd = opts.valEnd ? parseHourBound(opts.valEnd, 'split.val_end') : Infinity;
    if (!(valEnd > trainEnd)) throw new UserError(`config split.val_end (${opts.valEnd}) must be after split.train_end (${opts.trainEnd})`);
    for (let i = 0; i < n; i++) {
      const t = openTime[i]!;
      code[i] = t <= trainEnd ? SPLIT_CODE.train : t <= valEnd ? SPLIT_CODE.val : SPLIT_CODE.test;
    }
  }
  // embargo after each boundary
  let embargoRows = 0;
  if (opts.embargoHours > 0) {
    const orig = code.slice();
    let boundary = NaN; // open time of the last row of the previous split
    for (let i = 1; i < n; i++) {
      if (orig[i] !== orig[i - 1]) boundary = openTime[i - 1]!;
      if (openTime[i]! - boundary <= opts.embargoHours * HOUR_MS) { code[i] = EMBARGO; embargoRows++; }
    }
  }
  const ranges: SplitRange[] = [];
  for (const name of SPLIT_NAMES) {
    const c = SPLIT_CODE[name];
    const first = code.indexOf(c), last = code.lastIndexOf(c);
    if (first < 0) continue;
    ranges.push({
      name, start_row: first, end_row: last + 1, rows: last + 1 - first,
      start: isoHour(openTime[first]!), end: isoHour(openTime[last]!), start_ms: openTime[first]!, end_ms: openTime[last]!,
    });
  }
  for (const need of ['train', 'val'] as const) {
    if (!ranges.some((r) => r.name === need)) {
      throw new UserError(`split: the ${need} split is empty (${n} rows ${n ? `${isoHour(openTime[0]!)} .. ${isoHour(openTime[n - 1]!)}` : ''}); ` +
        `check split.${opts.mode === 'ratio' ? `${need}_ratio` : 'train_end / split.val_end'} and split.embargo_hours`);
    }
  }
  return { split: code, ranges, embargoRows };
}
