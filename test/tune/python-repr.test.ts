// Python's repr()/str() of the values Optuna's `-f table` and `-f value` print (expected texts as CPython 3.11 prints them).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PyFloat } from '../../src/tune/python-json.ts';
import { pyLen, pyRepr, pyStr, PyTuple } from '../../src/tune/python-repr.ts';

describe('pyRepr', () => {
  it('prints containers, None/True, ints and floats as Python does', () => {
    assert.equal(pyRepr({ act: null, lr: new PyFloat(1.6940447095242732e-05), n: 5, ok: true, l: [new PyFloat(1), 'a'] }), "{'act': None, 'lr': 1.6940447095242732e-05, 'n': 5, 'ok': True, 'l': [1.0, 'a']}");
    assert.equal(pyRepr(new PyTuple(['MINIMIZE'])), "('MINIMIZE',)");
    assert.equal(pyRepr(new PyTuple(['MINIMIZE', 'MAXIMIZE'])), "('MINIMIZE', 'MAXIMIZE')");
    assert.equal(pyRepr([new PyFloat(Infinity), new PyFloat(-Infinity), new PyFloat(NaN)]), '[inf, -inf, nan]');
  });

  it('quotes strings as repr(str) does', () => {
    assert.equal(pyRepr("it's"), '"it\'s"');
    assert.equal(pyRepr('say "hi" it\'s'), "'say \"hi\" it\\'s'");
    assert.equal(pyRepr('a\tb\nc\\'), "'a\\tb\\nc\\\\'");
    assert.equal(pyRepr('héllo \u0001 \u00a0 \u2028'), "'héllo \\x01 \\xa0 \\u2028'");
    assert.equal(pyStr('plain'), 'plain');
    assert.equal(pyLen('héllo😀'), 6);
  });
});
