import { test } from 'node:test';
import assert from 'node:assert/strict';
import { broadcastShapes, canonDim, dimDiv, dimEq, dimProduct, normAxis, numel } from '../../src/graph/shape.ts';
import { ShapeError } from '../../src/graph/ir.ts';

test('symbolic dims: products are canonical, divide exactly, and compare by value', () => {
  assert.equal(canonDim('T*B*2'), 'B*T*2');
  assert.ok(dimEq('B*T', 'T*B'));
  assert.ok(!dimEq('B', 'T'));
  assert.equal(dimProduct(['B', 24, 10]), 'B*240');
  assert.equal(dimProduct([2, 3]), 6);
  assert.equal(dimDiv('B*240', 24), 'B*10');
  assert.equal(dimDiv('B*240', 'B*240'), 1);
  assert.equal(dimDiv('B*10', 'T'), undefined);
  assert.equal(dimDiv(10, 3), undefined);
  assert.equal(numel([2, 3, 4]), 24);
  assert.throws(() => numel(['B', 2]), ShapeError);
});

test('broadcasting follows numpy rules and names the op and shapes on failure', () => {
  assert.deepEqual(broadcastShapes('Add', [['B', 1, 3], [4, 1]]), ['B', 4, 3]);
  assert.deepEqual(broadcastShapes('Where', [[1], ['B', 2], [2]]), ['B', 2]);
  assert.throws(() => broadcastShapes('Add', [['B', 3], ['T', 3]]), /Add: shapes \(B, 3\) and \(T, 3\) do not broadcast \(dim 0: B vs T\)/);
  assert.throws(() => broadcastShapes('Mul', [[2, 3], [3, 3]]), /Mul: shapes \(2, 3\) and \(3, 3\)/);
  assert.equal(normAxis('Softmax', -1, 3), 2);
  assert.throws(() => normAxis('Softmax', 3, 3), /Softmax: axis 3 out of range for rank 3/);
});
