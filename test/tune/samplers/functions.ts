// Standard optimisation test functions for sampler comparisons (shared by tests and bench/tpe-suggest.ts).
// Branin and Hartmann-6 as in Surjanovic & Bingham's Virtual Library of Simulation Experiments; a mixed training-run surrogate.
import type { Trial } from '../../../src/tune/trial.ts';

export function branin(x1: number, x2: number): number {
  const b = 5.1 / (4 * Math.PI ** 2), c = 5 / Math.PI, t = 1 / (8 * Math.PI);
  return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
}
export const BRANIN_MIN = 0.397887;

const H_ALPHA = [1.0, 1.2, 3.0, 3.2];
const H_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]];
const H_P = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991], [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]];

export function hartmann6(x: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < 4; i++) {
    let e = 0;
    for (let j = 0; j < 6; j++) e += H_A[i][j] * (x[j] - H_P[i][j] * 1e-4) ** 2;
    s += H_ALPHA[i] * Math.exp(-e);
  }
  return -s;
}
export const HARTMANN6_MIN = -3.32237;
export const HARTMANN6_ARGMIN = [0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573];

/** A deterministic stand-in for "validation loss after training" over a mixed float/log/int/step/categorical space (min ~0.30). */
export function trainingSurrogate(p: { lr: number; dropout: number; layers: number; batch: number; warmup: number; opt: string; ls: number }): number {
  const bestLr = p.opt === 'adam' ? -3.0 : p.opt === 'rmsprop' ? -3.5 : -1.5; // log10 of the best learning rate per optimizer
  const optPenalty = p.opt === 'adam' ? 0 : p.opt === 'rmsprop' ? 0.05 : 0.12;
  const lrTerm = 0.12 * (Math.log10(p.lr) - bestLr - 0.15 * Math.log2(p.batch / 64)) ** 2;
  const depth = 0.04 * (p.layers - 4) ** 2 / (1 + p.dropout * 4);
  const drop = 1.2 * (p.dropout - 0.15) ** 2;
  const warm = 0.05 * ((p.warmup - 600) / 1000) ** 2 + (p.warmup === 0 ? 0.05 : 0);
  const smooth = 0.8 * (p.ls - 0.1) ** 2;
  return 0.3 + optPenalty + lrTerm + depth + drop + warm + smooth;
}

/** The surrogate as an objective. */
export function trainingObjective(t: Trial): number {
  return trainingSurrogate({
    lr: t.suggestFloat('lr', 1e-5, 1e-1, { log: true }), dropout: t.suggestFloat('dropout', 0, 0.5),
    layers: t.suggestInt('layers', 1, 8), batch: t.suggestInt('batch', 16, 512, { log: true }),
    warmup: t.suggestInt('warmup', 0, 2000, { step: 100 }), opt: t.suggestCategorical('opt', ['sgd', 'adam', 'rmsprop']),
    ls: t.suggestFloat('ls', 0, 0.2, { step: 0.05 }),
  });
}

export const objectives = {
  branin: (t: Trial) => branin(t.suggestFloat('x1', -5, 10), t.suggestFloat('x2', 0, 15)),
  hartmann6: (t: Trial) => hartmann6([0, 1, 2, 3, 4, 5].map((i) => t.suggestFloat(`x${i}`, 0, 1))),
  training: trainingObjective,
};
