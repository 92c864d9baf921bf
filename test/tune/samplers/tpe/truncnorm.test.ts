// erf/erfc, log Φ, truncated-normal log density and quantiles against SciPy 1.17 reference values (scipy.special / scipy.stats).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { erf, erfc, logNdtr, ndtriExp, truncnormLogPdf, truncnormPpf } from '../../../../src/tune/samplers/tpe/truncnorm.ts';

const rel = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(b), 1e-300));

const ERF: [number, number, number][] = [[-40, -1.0, 2.0], [-25, -1.0, 2.0], [-10, -1.0, 2.0], [-6, -1.0, 2.0], [-3, -0.9999779095030014, 1.9999779095030015], [-1.3, -0.9340079449406524, 1.9340079449406524], [-1, -0.8427007929497148, 1.8427007929497148], [-0.5, -0.5204998778130465, 1.5204998778130465], [-0.001, -0.0011283787909692363, 1.0011283787909693], [0, 0.0, 1.0], [1e-09, 1.1283791670955127e-09, 0.9999999988716208], [0.3, 0.3286267594591274, 0.6713732405408726], [0.84, 0.7651427114549945, 0.23485728854500554], [0.9, 0.7969082124228322, 0.20309178757716784], [1.2, 0.9103139782296353, 0.08968602177036462], [1.3, 0.9340079449406524, 0.06599205505934758], [2.5, 0.999593047982555, 0.00040695201744495886], [2.9, 0.9999589021219005, 4.109787809945884e-05], [5, 0.9999999999984626, 1.5374597944280347e-12], [7, 1.0, 4.183825607779414e-23], [12, 1.0, 1.3562611692059047e-64], [27, 1.0, 0.0]];
const LOG_NDTR: [number, number][] = [[-1000.0, -500007.8266948122], [-200, -20006.21728089819], [-38, -726.5572160188201], [-37.5, -707.6689893175072], [-20.5, -214.06672896326387], [-19.5, -194.01696577749752], [-10, -53.23128515051248], [-5, -15.064998393988727], [-1, -1.8410216450092634], [0, -0.6931471805599453], [1, -0.1727537790234499], [5, -2.8665161296376294e-07], [6.5, -4.016000583939729e-11], [8, -6.220960574271742e-16], [30, -4.906713927147908e-198]];
// scipy.stats.truncnorm.logpdf((a + b) / 2, a, b)
const LOGPDF: [number, number, number][] = [[-1, 1, -0.5372233869025465], [-50, -49, -20.732763641539123], [30, 31, -11.722694576861329], [-3, 0.5, -1.3292879736426402], [0.1, 0.2, 2.3029923183639704], [-0.2, -0.1, 2.3029923183639704], [5, 40, -238.97894013921595], [-40, -5, -238.97894013921595], [-1e-08, 1e-08, 17.72753356637472]];
const PPF: [number, number, number, number][] = [[0.01, -1, 1, -0.9721733872570295], [0.01, 2, 3, 2.003979474075331], [0.01, -5, -4, -4.855473369069108], [0.01, 0.5, 8, 0.5087830142494418], [0.01, -30, -29, -29.158180440507618], [0.5, -1, 1, 0.0], [0.5, 2, 3, 2.255530820420438], [0.5, -5, -4, -4.159046434569283], [0.5, 0.5, 8, 1.018295515960278], [0.5, -30, -29, -29.0238635120206], [0.97, -1, 1, 0.9186629829457279], [0.97, 2, 3, 2.879440858319051], [0.97, -5, -4, -4.007136263911638], [0.97, 0.5, 8, 2.3552097624200576], [0.97, -30, -29, -29.001049054107494]];

test('erf and erfc match SciPy to a few ulps, erfc also deep in the upper tail', () => {
  for (const [x, e, c] of ERF) {
    assert.ok(Math.abs(erf(x) - e) <= 2e-16, `erf(${x}) = ${erf(x)} want ${e}`);
    assert.ok(rel(erfc(x), c) <= 1e-14, `erfc(${x}) = ${erfc(x)} want ${c}`);
  }
});

test('log Φ matches SciPy log_ndtr in both tails; ndtriExp inverts it', () => {
  for (const [z, v] of LOG_NDTR) assert.ok(rel(logNdtr(z), v) <= 1e-13, `logNdtr(${z}) = ${logNdtr(z)} want ${v}`);
  for (const y of [-5e5, -700, -50, -3, -0.69, -1e-3, -1e-12]) {
    const z = ndtriExp(y);
    assert.ok(rel(logNdtr(z), y) <= 1e-12, `ndtriExp(${y}) = ${z}`);
  }
});

test('truncated-normal log density (far-tail intervals included) and quantiles match scipy.stats.truncnorm', () => {
  for (const [a, b, v] of LOGPDF) assert.ok(Math.abs(truncnormLogPdf((a + b) / 2, 0, 1, a, b) - v) <= 1e-10, `logpdf on [${a}, ${b}]`);
  assert.equal(truncnormLogPdf(2, 0, 1, -1, 1), -Infinity);
  for (const [q, a, b, v] of PPF) assert.ok(Math.abs(truncnormPpf(q, a, b) - v) <= 1e-9, `ppf(${q}; ${a}, ${b}) = ${truncnormPpf(q, a, b)} want ${v}`);
  assert.equal(truncnormPpf(0, -1, 1), -1);
});
