// A study's fingerprint: what its trials' values depend on besides their parameters (the data, the objective, the search
// space). The default study name is derived from it, and a study made for another fingerprint is never joined.
// Follows docs/tuning.md#studies-and-their-data.
import { createHash } from 'node:crypto';
import { UserError } from '../util/errors.ts';
import type { Distribution, DistributionJson } from './distributions.ts';
import type { JsonValue } from './frozen-trial.ts';

/** Study system attribute holding the fingerprint. */
export const FINGERPRINT_KEY = 'tokcast:fingerprint';

export interface StudyFingerprint {
  /** digest of the data the objective trains and validates on */
  data: string;
  /** how a trial is scored */
  objective: { metric: string; epochs_per_trial: number };
  /** the distributions asked for, by name */
  search_space: Record<string, DistributionJson>;
}

/** Builds the fingerprint of a run. */
export function studyFingerprint(data: string, objective: StudyFingerprint['objective'], space: Record<string, Distribution>): StudyFingerprint {
  const names = Object.keys(space).sort();
  return { data, objective: { metric: objective.metric, epochs_per_trial: objective.epochs_per_trial }, search_space: Object.fromEntries(names.map((n) => [n, space[n].toJSON()])) };
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

/** 12 hex digits of SHA-256 over the canonical JSON: the default study name is `tokcast-<digest>`. */
export function fingerprintDigest(f: StudyFingerprint): string {
  return createHash('sha256').update(canonical(f)).digest('hex').slice(0, 12);
}

/** What differs between a study's recorded fingerprint and this run's, one phrase per part (empty when equal). */
export function fingerprintDifferences(recorded: StudyFingerprint, run: StudyFingerprint): string[] {
  const out: string[] = [];
  if (recorded.data !== run.data) out.push(`data (study: ${recorded.data.slice(0, 12)}, this run: ${run.data.slice(0, 12)})`);
  for (const k of ['metric', 'epochs_per_trial'] as const) {
    if (recorded.objective?.[k] !== run.objective[k]) out.push(`objective ${k} (study: ${JSON.stringify(recorded.objective?.[k])}, this run: ${JSON.stringify(run.objective[k])})`);
  }
  const names = [...new Set([...Object.keys(recorded.search_space ?? {}), ...Object.keys(run.search_space)])].sort();
  const changed = names.filter((n) => canonical(recorded.search_space?.[n]) !== canonical(run.search_space[n]));
  if (changed.length) out.push(`search space (${changed.join(', ')})`);
  return out;
}

/**
 * Checks a study's system attributes against this run's fingerprint: records it on a study that has none and no trials;
 * throws UserError naming what differs otherwise. Returns the attribute to write, or null when it is already there.
 */
export function checkFingerprint(studyName: string, attrs: Record<string, JsonValue>, nTrials: number, run: StudyFingerprint): JsonValue | null {
  const recorded = attrs[FINGERPRINT_KEY] as unknown as StudyFingerprint | undefined;
  if (recorded === undefined) {
    if (nTrials === 0) return run as unknown as JsonValue;
    throw new UserError(`study "${studyName}" has ${nTrials} trials but no recorded data/objective fingerprint, so they may come from other data; ` +
      'pick another --study-name (or leave it out for one derived from the data), or delete that study');
  }
  const diff = fingerprintDifferences(recorded, run);
  if (diff.length) {
    throw new UserError(`study "${studyName}" was made for other ${diff.join('; ')}; its trials cannot be compared with this run's. ` +
      'Leave out --study-name (and tune.study_name) for a study of this run, or pick another name');
  }
  return null;
}
