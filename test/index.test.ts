import { test } from 'node:test';
import assert from 'node:assert/strict';

test('the library surface loads and exposes the main entry points', async () => {
  const lib = await import('../src/index.ts');
  for (const name of ['loadConfig', 'runTrain', 'runEvaluate', 'runTuning', 'createStudy', 'TPESampler', 'MedianPruner', 'Trainer', 'writeSafetensors', 'getParamImportances'])
    assert.equal(typeof (lib as Record<string, unknown>)[name], 'function', name);
  assert.equal(typeof lib.market, 'object');
});
