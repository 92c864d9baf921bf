// Loads test/fixtures/hpo/tpe-4.9.0.json and converts its conventions ("nan"/"inf" strings, external values) for the TPE tests.
import { readFixtureJson } from '../../../fixtures/data.ts';
import { distributionFromJson, type Distribution, type DistributionJson, type ParamValue } from '../../../../src/tune/distributions.ts';

export const tpe = readFixtureJson('hpo', 'tpe-4.9.0.json');

export function num(v: unknown): number {
  if (v === 'nan') return Number.NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return v as number;
}

export function space(json: Record<string, DistributionJson>): Record<string, Distribution> {
  return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, distributionFromJson(v)]));
}

/** Columns of internal values: out[name][i] for point i. */
export function columns(points: Record<string, ParamValue>[], sp: Record<string, Distribution>): Record<string, number[]> {
  return Object.fromEntries(Object.entries(sp).map(([k, d]) => [k, points.map((p) => d.toInternal(p[k]))]));
}

/** Asserts |a - b| <= atol + rtol |b| elementwise, printing the first mismatches side by side. */
export function close(actual: ArrayLike<number>, expected: ArrayLike<unknown>, atol: number, rtol: number, what: string): void {
  const bad: string[] = [];
  if (actual.length !== expected.length) throw new Error(`${what}: length ${actual.length} != ${expected.length}`);
  for (let i = 0; i < actual.length; i++) {
    const e = num(expected[i]), a = actual[i];
    const ok = (Number.isNaN(e) && Number.isNaN(a)) || a === e || Math.abs(a - e) <= atol + rtol * Math.abs(e);
    if (!ok) bad.push(`[${i}] got ${a} want ${e} diff ${a - e}`);
  }
  if (bad.length) throw new Error(`${what}: ${bad.length} mismatches\n  ${bad.slice(0, 5).join('\n  ')}`);
}

import { FrozenTrial, type TrialState } from '../../../../src/tune/frozen-trial.ts';

/** A FrozenTrial from a fixture trial record; distributions from `sp` for the params it has. */
export function frozen(rec: any, sp: Record<string, Distribution> = {}): FrozenTrial {
  const iv = new Map<number, number>(Object.entries(rec.intermediate_values ?? {}).map(([k, v]) => [Number(k), num(v)]));
  const dists: Record<string, Distribution> = {};
  for (const k of Object.keys(rec.params ?? {})) if (sp[k]) dists[k] = sp[k];
  return new FrozenTrial({
    trialId: rec.number + 1, number: rec.number, state: rec.state as TrialState,
    values: rec.value === null || rec.value === undefined ? null : [num(rec.value)],
    datetimeStart: null, datetimeComplete: null, params: { ...rec.params }, distributions: dists,
    userAttrs: {}, systemAttrs: {}, intermediateValues: iv,
  });
}
