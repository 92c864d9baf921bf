// Python's json.dumps / json.loads as tokcast reads and writes them (Optuna stores attributes with json.dumps, which
// writes bare NaN and Infinity).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PyFloat, pyJsonDumps, pyJsonLoads } from '../../src/tune/python-json.ts';

describe('python json', () => {
  it('loads the bare NaN, Infinity and -Infinity of json.dumps, leaving look-alikes inside strings alone', () => {
    assert.deepEqual(pyJsonLoads('{"a": NaN, "b": [Infinity, -Infinity], "c": "NaN and -Infinity", "d": 1}'),
      { a: NaN, b: [Infinity, -Infinity], c: 'NaN and -Infinity', d: 1 });
    assert.deepEqual(pyJsonLoads('[1.5, "x"]'), [1.5, 'x']);
  });

  it('dumps with Python separators and float reprs, round-tripping through loads', () => {
    const text = pyJsonDumps({ v: new PyFloat(1), w: [new PyFloat(-Infinity), null, true], s: 'é' });
    assert.equal(text, '{"v": 1.0, "w": [-Infinity, null, true], "s": "\\u00e9"}');
    assert.deepEqual(pyJsonLoads(text), { v: 1, w: [-Infinity, null, true], s: 'é' });
  });
});
