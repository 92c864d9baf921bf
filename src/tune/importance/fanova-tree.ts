// Functional ANOVA decomposition of one regression tree (first-order terms only).
// Follows Hutter, Hoos & Leyton-Brown 2014 as implemented by Optuna's _FanovaTree (docs/tuning.md#fanova).

/** A fitted binary regression tree in scikit-learn's array layout: leaves have feature < 0; go left when x <= threshold. */
export interface TreeArrays {
  childrenLeft: ArrayLike<number>;
  childrenRight: ArrayLike<number>;
  feature: ArrayLike<number>;
  threshold: ArrayLike<number>;
  /** mean target of the node's training samples (the prediction at a leaf) */
  value: ArrayLike<number>;
}

/** A tree prepared for marginal-variance queries over boxes `bounds[col] = [low, high]`. */
export class FanovaTree {
  private readonly tree: TreeArrays;
  private readonly bounds: Float64Array; // (nCols, 2) row-major
  private readonly nCols: number;
  private readonly nNodes: number;
  private readonly statValue: Float64Array; // box-volume weighted mean of leaf values below the node
  private readonly statWeight: Float64Array; // volume of the node's box
  private readonly midpoints: Float64Array[]; // per column: centres of the cells between split thresholds
  private readonly sizes: Float64Array[]; // per column: widths of those cells
  private readonly subtreeCols: Uint8Array[]; // per node: columns split on anywhere in its subtree
  private totalVariance: number | null = null;

  constructor(tree: TreeArrays, bounds: ReadonlyArray<readonly [number, number]>) {
    this.tree = tree;
    this.nCols = bounds.length;
    this.nNodes = tree.feature.length;
    this.bounds = new Float64Array(this.nCols * 2);
    bounds.forEach(([lo, hi], c) => { this.bounds[2 * c] = lo; this.bounds[2 * c + 1] = hi; });
    const order = this.topologicalOrder();
    [this.statValue, this.statWeight] = this.precomputeStatistics(order);
    [this.midpoints, this.sizes] = this.precomputeCells();
    this.subtreeCols = this.precomputeSubtreeColumns(order);
  }

  private isLeaf(node: number): boolean {
    return this.tree.feature[node] < 0;
  }

  /** nodes in an order where every parent comes before its children (root first) */
  private topologicalOrder(): number[] {
    const order: number[] = [];
    const stack = [0];
    while (stack.length > 0) {
      const node = stack.pop()!;
      order.push(node);
      if (!this.isLeaf(node)) stack.push(this.tree.childrenRight[node], this.tree.childrenLeft[node]);
    }
    return order;
  }

  private precomputeStatistics(order: number[]): [Float64Array, Float64Array] {
    const value = new Float64Array(this.nNodes);
    const weight = new Float64Array(this.nNodes);
    const boxes: (Float64Array | undefined)[] = new Array(this.nNodes);
    boxes[0] = this.bounds;
    for (const node of order) {
      const box = boxes[node]!;
      if (this.isLeaf(node)) {
        value[node] = this.tree.value[node];
        weight[node] = volume(box);
      } else {
        const f = this.tree.feature[node], t = this.tree.threshold[node];
        const left = box.slice(); left[2 * f + 1] = t;
        const right = box.slice(); right[2 * f] = t;
        boxes[this.tree.childrenLeft[node]] = left;
        boxes[this.tree.childrenRight[node]] = right;
      }
    }
    for (let k = order.length - 1; k >= 0; k--) {
      const node = order[k];
      if (this.isLeaf(node)) continue;
      const l = this.tree.childrenLeft[node], r = this.tree.childrenRight[node];
      const w = weight[l] + weight[r];
      value[node] = w > 0 ? (value[l] * weight[l] + value[r] * weight[r]) / w : (value[l] + value[r]) / 2;
      weight[node] = w;
    }
    return [value, weight];
  }

  private precomputeCells(): [Float64Array[], Float64Array[]] {
    const splits: Set<number>[] = Array.from({ length: this.nCols }, () => new Set<number>());
    for (let node = 0; node < this.nNodes; node++) {
      if (!this.isLeaf(node)) splits[this.tree.feature[node]].add(this.tree.threshold[node]);
    }
    const mids: Float64Array[] = [], sizes: Float64Array[] = [];
    for (let c = 0; c < this.nCols; c++) {
      const edges = [this.bounds[2 * c], ...[...splits[c]].sort((a, b) => a - b), this.bounds[2 * c + 1]];
      const m = new Float64Array(edges.length - 1), s = new Float64Array(edges.length - 1);
      for (let i = 0; i + 1 < edges.length; i++) {
        m[i] = 0.5 * (edges[i + 1] + edges[i]);
        s[i] = edges[i + 1] - edges[i];
      }
      mids.push(m);
      sizes.push(s);
    }
    return [mids, sizes];
  }

  private precomputeSubtreeColumns(order: number[]): Uint8Array[] {
    const cols: Uint8Array[] = Array.from({ length: this.nNodes }, () => new Uint8Array(this.nCols));
    for (let k = order.length - 1; k >= 0; k--) {
      const node = order[k];
      if (this.isLeaf(node)) continue;
      const own = cols[node];
      own[this.tree.feature[node]] = 1;
      const l = cols[this.tree.childrenLeft[node]], r = cols[this.tree.childrenRight[node]];
      for (let c = 0; c < this.nCols; c++) own[c] |= l[c] | r[c];
    }
    return cols;
  }

  /** Variance of the tree's prediction over the uniform measure on the box (leaf values weighted by leaf volume). */
  get variance(): number {
    if (this.totalVariance === null) {
      const vs: number[] = [], ws: number[] = [];
      for (let node = 0; node < this.nNodes; node++) {
        if (this.isLeaf(node)) { vs.push(this.statValue[node]); ws.push(this.statWeight[node]); }
      }
      this.totalVariance = weightedVariance(vs, ws);
    }
    return this.totalVariance;
  }

  /** Variance of the marginal prediction as a function of the given columns jointly (one parameter's encoded columns). */
  getMarginalVariance(columns: readonly number[]): number {
    if (columns.length === 0) throw new RangeError('getMarginalVariance: at least one column expected');
    const k = columns.length;
    const q = new MarginalQuery(this, columns);
    const mids = columns.map((c) => this.midpoints[c]);
    const sizes = columns.map((c) => this.sizes[c]);
    const values: number[] = [], weights: number[] = [];
    const idx = new Array<number>(k).fill(0);
    for (;;) {
      let cellVolume = 1;
      for (let j = 0; j < k; j++) {
        q.x[j] = mids[j][idx[j]];
        cellVolume *= sizes[j][idx[j]];
      }
      const [value, weight] = q.run();
      values.push(value);
      weights.push(weight * cellVolume);
      // odometer over the cartesian product, last column fastest (itertools.product order)
      let j = k - 1;
      while (j >= 0 && ++idx[j] === mids[j].length) { idx[j] = 0; j--; }
      if (j < 0) break;
    }
    return Math.max(0, weightedVariance(values, weights));
  }

  /** internal accessors for MarginalQuery */
  nodeArrays(): { tree: TreeArrays; statValue: Float64Array; statWeight: Float64Array; subtreeCols: Uint8Array[]; bounds: Float64Array; nCols: number } {
    return { tree: this.tree, statValue: this.statValue, statWeight: this.statWeight, subtreeCols: this.subtreeCols, bounds: this.bounds, nCols: this.nCols };
  }
}

/**
 * Mean prediction with the given columns fixed at `x` and every other column marginalised (Optuna's
 * _get_marginalized_statistics): descend along splits on fixed columns, into both children where the subtree still splits on
 * a fixed column, and stop elsewhere; each stopping node weighs its box volume divided by its box width along the fixed columns.
 */
class MarginalQuery {
  readonly x: Float64Array;
  private readonly slot: Int32Array; // column -> index among the fixed columns, or -1
  private readonly lo: Float64Array;
  private readonly hi: Float64Array;
  private readonly boundsLo: Float64Array;
  private readonly boundsHi: Float64Array;
  private readonly splitsBelow: Uint8Array; // node -> its subtree splits on a fixed column
  private readonly a: ReturnType<FanovaTree['nodeArrays']>;
  private sumW = 0;
  private sumWV = 0;
  private sumV = 0;
  private count = 0;

  constructor(tree: FanovaTree, columns: readonly number[]) {
    this.a = tree.nodeArrays();
    const k = columns.length;
    this.x = new Float64Array(k);
    this.lo = new Float64Array(k);
    this.hi = new Float64Array(k);
    this.boundsLo = Float64Array.from(columns, (c) => this.a.bounds[2 * c]);
    this.boundsHi = Float64Array.from(columns, (c) => this.a.bounds[2 * c + 1]);
    this.slot = new Int32Array(this.a.nCols).fill(-1);
    columns.forEach((c, j) => { this.slot[c] = j; });
    this.splitsBelow = Uint8Array.from(this.a.subtreeCols, (sub) => (columns.some((c) => sub[c] === 1) ? 1 : 0));
  }

  run(): [number, number] {
    this.lo.set(this.boundsLo);
    this.hi.set(this.boundsHi);
    this.sumW = this.sumWV = this.sumV = this.count = 0;
    this.visit(0);
    const value = this.sumW > 0 ? this.sumWV / this.sumW : this.sumV / this.count;
    return [value, this.sumW];
  }

  private visit(node: number): void {
    const { tree } = this.a;
    const f = tree.feature[node];
    if (f >= 0) {
      const j = this.slot[f];
      if (j >= 0) {
        const t = tree.threshold[node];
        if (this.x[j] <= t) {
          const old = this.hi[j]; this.hi[j] = t; this.visit(tree.childrenLeft[node]); this.hi[j] = old;
        } else {
          const old = this.lo[j]; this.lo[j] = t; this.visit(tree.childrenRight[node]); this.lo[j] = old;
        }
        return;
      }
      if (this.splitsBelow[node] === 1) {
        this.visit(tree.childrenRight[node]); // Optuna's stack pops the right child first
        this.visit(tree.childrenLeft[node]);
        return;
      }
    }
    let vol = 1;
    for (let j = 0; j < this.lo.length; j++) vol *= this.hi[j] - this.lo[j];
    const w = this.a.statWeight[node] / vol;
    const v = this.a.statValue[node];
    this.sumV += v;
    this.count++;
    this.sumW += w;
    this.sumWV += w * v;
  }
}

function volume(box: Float64Array): number {
  let v = 1;
  for (let i = 0; i < box.length; i += 2) v *= box[i + 1] - box[i];
  return v;
}

/** numpy.average((v - average(v, w))**2, w) */
export function weightedVariance(values: ArrayLike<number>, weights: ArrayLike<number>): number {
  let sw = 0, swv = 0;
  for (let i = 0; i < values.length; i++) { sw += weights[i]; swv += weights[i] * values[i]; }
  if (!(sw > 0)) return 0;
  const mean = swv / sw;
  let acc = 0;
  for (let i = 0; i < values.length; i++) { const d = values[i] - mean; acc += weights[i] * d * d; }
  return acc / sw;
}
