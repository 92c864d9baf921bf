// Random-forest regressor (bootstrap + CART with squared-error splits), the model under fANOVA and MDI importance.
// Follows scikit-learn's RandomForestRegressor / BestSplitter semantics (midpoint thresholds, random feature order for ties).
import { Rng } from '../../util/rng.ts';
import type { TreeArrays } from './fanova-tree.ts';

/** A fitted tree in scikit-learn's layout plus the per-node statistics MDI needs. */
export interface RegressionTree extends TreeArrays {
  childrenLeft: Int32Array;
  childrenRight: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  value: Float64Array;
  /** weighted mean squared deviation of the node's targets (bootstrap counts are the weights) */
  impurity: Float64Array;
  weightedNNodeSamples: Float64Array;
  /** distinct training samples in the node */
  nNodeSamples: Int32Array;
}

/** Forest settings; defaults are Optuna's fANOVA settings. */
export interface ForestOptions {
  /** @default 64 */
  nEstimators?: number;
  /** @default 64 */
  maxDepth?: number;
  /** @default 2 */
  minSamplesSplit?: number;
  /** @default 1 */
  minSamplesLeaf?: number;
  /** fraction of features tried at each split; @default 1.0 (all, as RandomForestRegressor) */
  maxFeatures?: number;
  /** @default true */
  bootstrap?: boolean;
  /** @default 0 */
  seed?: number;
}

const EPSILON = 2.220446049250313e-16; // np.finfo(float).eps: nodes this pure are leaves
const FEATURE_THRESHOLD = 1e-7; // values closer than this are not split between (sklearn)

interface TreeParams { maxDepth: number; minSamplesSplit: number; minSamplesLeaf: number; maxFeatures: number }

/** Fits one regression tree on columns `cols[f][i]`, targets `y` and sample weights `w` (rows with weight 0 are unused). */
export function fitRegressionTree(cols: readonly Float64Array[], y: Float64Array, w: Float64Array, params: TreeParams, rng: Rng): RegressionTree {
  const nFeatures = cols.length;
  const nodes: { left: number; right: number; feature: number; threshold: number; value: number; impurity: number; wn: number; n: number }[] = [];
  const root: number[] = [];
  for (let i = 0; i < y.length; i++) if (w[i] > 0) root.push(i);
  // depth-first as sklearn: pop a node, record it, push right then left so left children get the next ids
  const stack: { samples: number[]; depth: number; parent: number; isLeft: boolean }[] = [{ samples: root, depth: 0, parent: -1, isLeft: false }];
  const featureOrder = Array.from({ length: nFeatures }, (_, f) => f);
  const nTry = Math.max(1, Math.floor(params.maxFeatures * nFeatures));
  while (stack.length > 0) {
    const { samples, depth, parent, isLeft } = stack.pop()!;
    let sw = 0, swy = 0;
    for (const i of samples) { sw += w[i]; swy += w[i] * y[i]; }
    const mean = swy / sw;
    let sse = 0;
    for (const i of samples) { const d = y[i] - mean; sse += w[i] * d * d; }
    const impurity = sse / sw;
    const id = nodes.length;
    nodes.push({ left: -1, right: -1, feature: -2, threshold: -2, value: mean, impurity, wn: sw, n: samples.length });
    if (parent >= 0) { if (isLeft) nodes[parent].left = id; else nodes[parent].right = id; }
    const n = samples.length;
    if (depth >= params.maxDepth || n < params.minSamplesSplit || n < 2 * params.minSamplesLeaf || impurity <= EPSILON) continue;
    rng.shuffle(featureOrder);
    const best = findBestSplit(cols, y, w, samples, featureOrder, nTry, sw, swy, params.minSamplesLeaf);
    if (best === null) continue;
    nodes[id].feature = best.feature;
    nodes[id].threshold = best.threshold;
    const col = cols[best.feature];
    const left = samples.filter((i) => col[i] <= best.threshold);
    const right = samples.filter((i) => col[i] > best.threshold);
    stack.push({ samples: right, depth: depth + 1, parent: id, isLeft: false });
    stack.push({ samples: left, depth: depth + 1, parent: id, isLeft: true });
  }
  const m = nodes.length;
  const tree: RegressionTree = {
    childrenLeft: new Int32Array(m), childrenRight: new Int32Array(m), feature: new Int32Array(m), threshold: new Float64Array(m),
    value: new Float64Array(m), impurity: new Float64Array(m), weightedNNodeSamples: new Float64Array(m), nNodeSamples: new Int32Array(m),
  };
  nodes.forEach((nd, k) => {
    tree.childrenLeft[k] = nd.left; tree.childrenRight[k] = nd.right; tree.feature[k] = nd.feature; tree.threshold[k] = nd.threshold;
    tree.value[k] = nd.value; tree.impurity[k] = nd.impurity; tree.weightedNNodeSamples[k] = nd.wn; tree.nNodeSamples[k] = nd.n;
  });
  return tree;
}

/**
 * Best squared-error split: maximises sumL²/wL + sumR²/wR (first found wins ties) over features in the given random order,
 * stopping after `nTry` features once at least one of them was not constant in the node (sklearn's max_features rule).
 */
function findBestSplit(cols: readonly Float64Array[], y: Float64Array, w: Float64Array, samples: number[], features: number[], nTry: number, sw: number, swy: number, minLeaf: number):
  { feature: number; threshold: number } | null {
  let bestProxy = -Infinity;
  let best: { feature: number; threshold: number } | null = null;
  const n = samples.length;
  const sorted = samples.slice();
  let visited = 0, constant = 0;
  for (const f of features) {
    if (visited >= nTry && visited > constant) break;
    visited++;
    const col = cols[f];
    sorted.sort((a, b) => col[a] - col[b]);
    if (col[sorted[n - 1]] <= col[sorted[0]] + FEATURE_THRESHOLD) { constant++; continue; } // constant in this node
    let wl = 0, sl = 0;
    for (let p = 1; p < n; p++) {
      const prev = sorted[p - 1];
      wl += w[prev];
      sl += w[prev] * y[prev];
      const xPrev = col[prev], xNext = col[sorted[p]];
      if (xNext <= xPrev + FEATURE_THRESHOLD) continue;
      if (p < minLeaf || n - p < minLeaf) continue;
      const wr = sw - wl, sr = swy - sl;
      const proxy = (sl * sl) / wl + (sr * sr) / wr;
      if (proxy > bestProxy) {
        bestProxy = proxy;
        let threshold = xPrev / 2 + xNext / 2;
        if (threshold === xNext || !Number.isFinite(threshold)) threshold = xPrev;
        best = { feature: f, threshold };
      }
    }
  }
  return best;
}

/** A bagged forest of regression trees; deterministic for a given seed. */
export class RandomForestRegressor {
  readonly options: Required<ForestOptions>;
  trees: RegressionTree[] = [];
  private nFeatures = 0;

  constructor(options: ForestOptions = {}) {
    this.options = {
      nEstimators: options.nEstimators ?? 64, maxDepth: options.maxDepth ?? 64, minSamplesSplit: options.minSamplesSplit ?? 2,
      minSamplesLeaf: options.minSamplesLeaf ?? 1, maxFeatures: options.maxFeatures ?? 1.0, bootstrap: options.bootstrap ?? true, seed: options.seed ?? 0,
    };
  }

  /** Fits on rows `X` (n, nFeatures) and targets `y` (n). */
  fit(X: readonly Float64Array[], y: ArrayLike<number>): this {
    const n = X.length;
    if (n === 0 || y.length !== n) throw new RangeError(`RandomForestRegressor.fit: ${n} rows and ${y.length} targets`);
    this.nFeatures = X[0].length;
    const cols = Array.from({ length: this.nFeatures }, (_, f) => Float64Array.from(X, (row) => row[f]));
    const yy = Float64Array.from(y);
    const rng = new Rng(this.options.seed);
    const o = this.options;
    this.trees = [];
    for (let t = 0; t < o.nEstimators; t++) {
      const treeRng = rng.fork();
      const w = new Float64Array(n);
      if (o.bootstrap) for (let k = 0; k < n; k++) w[treeRng.int(n)] += 1;
      else w.fill(1);
      this.trees.push(fitRegressionTree(cols, yy, w, o, treeRng));
    }
    return this;
  }

  /** Mean prediction of the trees at one row. */
  predict(x: ArrayLike<number>): number {
    let s = 0;
    for (const tree of this.trees) {
      let node = 0;
      while (tree.feature[node] >= 0) node = x[tree.feature[node]] <= tree.threshold[node] ? tree.childrenLeft[node] : tree.childrenRight[node];
      s += tree.value[node];
    }
    return s / this.trees.length;
  }

  /** Impurity-based importances (sklearn's feature_importances_): mean over non-stump trees of each tree's normalised decrease, renormalised. */
  featureImportances(): Float64Array {
    const total = new Float64Array(this.nFeatures);
    let used = 0;
    for (const tree of this.trees) {
      if (tree.feature.length <= 1) continue;
      const imp = new Float64Array(this.nFeatures);
      for (let k = 0; k < tree.feature.length; k++) {
        const f = tree.feature[k];
        if (f < 0) continue;
        const l = tree.childrenLeft[k], r = tree.childrenRight[k];
        imp[f] += tree.weightedNNodeSamples[k] * tree.impurity[k] - tree.weightedNNodeSamples[l] * tree.impurity[l] - tree.weightedNNodeSamples[r] * tree.impurity[r];
      }
      let s = 0;
      for (let f = 0; f < this.nFeatures; f++) { imp[f] /= tree.weightedNNodeSamples[0]; s += imp[f]; }
      if (s > 0) for (let f = 0; f < this.nFeatures; f++) total[f] += imp[f] / s;
      used++;
    }
    if (used === 0) return total;
    let s = 0;
    for (let f = 0; f < this.nFeatures; f++) { total[f] /= used; s += total[f]; }
    if (s > 0) for (let f = 0; f < this.nFeatures; f++) total[f] /= s;
    return total;
  }
}
