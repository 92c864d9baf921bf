import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cholesky, repairCorrelation, leastSquares, solveSpd, correlationOfColumns } from '../../src/market/linalg.ts';
import { Rng } from '../../src/util/rng.ts';

test('cholesky reproduces the matrix and rejects indefinite ones', () => {
  const a = [[4, 2, 0.4], [2, 3, 0.5], [0.4, 0.5, 1]];
  const l = cholesky(a)!;
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
    let s = 0;
    for (let k = 0; k < 3; k++) s += l[i][k] * l[j][k];
    assert.ok(Math.abs(s - a[i][j]) < 1e-12);
  }
  assert.equal(cholesky([[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]]), null);
});

test('repairCorrelation makes an indefinite "correlation" positive definite and keeps unit diagonal', () => {
  const r = repairCorrelation([[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]]);
  assert.ok(cholesky(r));
  assert.deepEqual(r.map((row, i) => row[i]), [1, 1, 1]);
  assert.ok(r[0][1] > 0 && r[0][2] < 0);
});

test('least squares recovers regression coefficients; solveSpd solves', () => {
  const rng = new Rng(5), rows: number[][] = [], y: number[] = [];
  for (let t = 0; t < 5000; t++) {
    const x1 = rng.normal(), x2 = rng.random();
    rows.push([1, x1, x2]);
    y.push(0.5 - 2 * x1 + 3 * x2 + 0.1 * rng.normal());
  }
  const { coef, residStd } = leastSquares(rows, y);
  assert.ok(Math.abs(coef[0] - 0.5) < 0.02 && Math.abs(coef[1] + 2) < 0.01 && Math.abs(coef[2] - 3) < 0.02, `${coef}`);
  assert.ok(Math.abs(residStd - 0.1) < 0.005);
  const x = solveSpd([[2, 1], [1, 3]], [3, 5]);
  assert.ok(Math.abs(x[0] - 0.8) < 1e-12 && Math.abs(x[1] - 1.4) < 1e-12);
});

test('correlationOfColumns of perfectly (anti)related columns', () => {
  const a = Float64Array.from([1, 2, 3, 4]), b = a.map((v) => 3 - 2 * v);
  const c = correlationOfColumns([a, b]);
  assert.ok(Math.abs(c[0][1] + 1) < 1e-12);
});
