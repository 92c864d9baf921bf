// yaml.safe_dump as PyYAML 6.0 writes it: the expected texts below were printed by PyYAML 6.0 (Debian python3-yaml)
// for the same values; the quoting cases are the ones Optuna's `-f yaml` meets (datetimes, durations, nulls, numbers in strings).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PyFloat } from '../../src/tune/python-json.ts';
import { PyTuple } from '../../src/tune/python-repr.ts';
import { pyYamlSafeDump } from '../../src/tune/python-yaml.ts';

describe('pyYamlSafeDump', () => {
  it('quotes a string exactly when PyYAML would read it back as something else or it has indicators', () => {
    const v = { a: 'yes', b: '1e3', c: '0:01:02.5', d: '', e: '- x', f: 'a: b', g: '#x', h: ' lead', i: 'héllo', j: 'tab\tx', k: 'null', l: '2026-12-03', m: '3.0', n: 'x#y', o: "it's", p: '1_000', q: '~', r: 'line\nbreak', s: ':x', t: '?', u: 'a,b[c]' };
    assert.equal(pyYamlSafeDump(v), "a: 'yes'\nb: 1e3\nc: '0:01:02.5'\nd: ''\ne: '- x'\nf: 'a: b'\ng: '#x'\nh: ' lead'\ni: \"h\\xE9llo\"\nj: \"tab\\tx\"\nk: 'null'\nl: '2026-12-03'\nm: '3.0'\nn: x#y\no: it's\np: '1_000'\nq: '~'\nr: 'line\n\n  break'\ns: :x\nt: '?'\nu: a,b[c]\n");
  });

  it('writes floats as PyYAML represents them and sorts keys by code point', () => {
    const v = { floats: [1e-5, 1, 0.1, Infinity, -Infinity, 1e16, 1.5e300].map((x) => new PyFloat(x)), ints: [0, -3, 10 ** 15], b: [true, false, null] };
    assert.equal(pyYamlSafeDump(v), 'b:\n- true\n- false\n- null\nfloats:\n- 1.0e-05\n- 1.0\n- 0.1\n- .inf\n- -.inf\n- 1.0e+16\n- 1.5e+300\nints:\n- 0\n- -3\n- 1000000000000000\n');
    assert.equal(pyYamlSafeDump({ Z: 1, a: 2, B: 3, _: 4, 10: 5, 9: 6 }), "'10': 5\n'9': 6\nB: 3\nZ: 1\n_: 4\na: 2\n");
  });

  it('nests sequences and mappings in block style (sequences in mappings not indented), tuples as sequences', () => {
    assert.equal(pyYamlSafeDump([[1, 2], [], {}, [{ x: [1, { y: 2 }] }]]), '- - 1\n  - 2\n- []\n- {}\n- - x:\n    - 1\n    - y: 2\n');
    assert.equal(pyYamlSafeDump({ direction: new PyTuple(['MINIMIZE']) }), 'direction:\n- MINIMIZE\n');
    assert.equal(pyYamlSafeDump(new PyFloat(NaN)), '.nan\n...\n');
  });

  it('splits long plain and single-quoted strings past column 80 at single spaces, as the emitter does', () => {
    assert.equal(pyYamlSafeDump({ note: 'word '.repeat(30).trim() }), 'note: word word word word word word word word word word word word word word word word\n  word word word word word word word word word word word word word word\n');
    assert.equal(pyYamlSafeDump([{ note: 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon' }]),
      '- note: alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron\n    pi rho sigma tau upsilon\n');
    assert.equal(pyYamlSafeDump({ sp: 'two  spaces  between  words  in  a  long  line  that  goes  past  eighty  columns  for  sure  yes' }),
      'sp: two  spaces  between  words  in  a  long  line  that  goes  past  eighty  columns  for  sure  yes\n');
    assert.equal(pyYamlSafeDump({ h: `#tag ${'lorem ipsum '.repeat(12)}end`, x: [` lead ${'dolor sit amet '.repeat(8)}`] }),
      "h: '#tag lorem ipsum lorem ipsum lorem ipsum lorem ipsum lorem ipsum lorem ipsum lorem\n  ipsum lorem ipsum lorem ipsum lorem ipsum lorem ipsum lorem ipsum end'\nx:\n- ' lead dolor sit amet dolor sit amet dolor sit amet dolor sit amet dolor sit amet\n  dolor sit amet dolor sit amet dolor sit amet '\n");
    assert.equal(pyYamlSafeDump({ m: 'a\n\nb' }), "m: 'a\n\n\n  b'\n");
  });
});
