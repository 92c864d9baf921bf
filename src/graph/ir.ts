// Graph IR: typed Values, Nodes, and the OpDef contract (shape rule + ONNX emit + vjp) every op in ops/ implements.
// Dims are numbers or symbolic strings ('B', or products such as 'B*24'); shapes are checked when a node is added.

export type DType = 'float32' | 'float64' | 'float16' | 'int64' | 'int32' | 'int8' | 'uint8' | 'bool';
export type Dim = number | string;
export type Shape = readonly Dim[];
export type TypedArray = Float32Array | Float64Array | Uint16Array | BigInt64Array | Int32Array | Int8Array | Uint8Array;

/** A dense tensor held by the graph (initializers, tensor attributes). */
export interface TensorData { dtype: DType; dims: number[]; data: TypedArray }

export type Attr =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'ints'; value: number[] }
  | { kind: 'floats'; value: number[] }
  | { kind: 'string'; value: string }
  | { kind: 'tensor'; value: TensorData };
export type Attrs = Record<string, Attr>;

export const attr = {
  int: (value: number): Attr => ({ kind: 'int', value }),
  float: (value: number): Attr => ({ kind: 'float', value }),
  ints: (value: number[]): Attr => ({ kind: 'ints', value }),
  floats: (value: number[]): Attr => ({ kind: 'floats', value }),
  string: (value: string): Attr => ({ kind: 'string', value }),
  tensor: (value: TensorData): Attr => ({ kind: 'tensor', value }),
};

export interface OutSpec { dtype: DType; shape: Shape; known?: Dim[] }

/**
 * Arguments of a backward rule: the node, the incoming gradient of each output (null: no gradient flows),
 * and which inputs need a gradient (rules may return null for the others and skip their work).
 */
export interface VjpArgs { node: Node; inputs: (Value | null)[]; outputs: Value[]; grads: (Value | null)[]; needs: boolean[] }

/**
 * One ONNX operator: `infer` is the shape/dtype rule (throws ShapeError naming the op and the shapes),
 * `vjp` returns one gradient per input (null where none flows); ops without `vjp` stop gradients.
 */
export interface OpDef {
  type: string;
  domain?: string;
  infer(inputs: (Value | null)[], attrs: Attrs): OutSpec[];
  vjp?(args: VjpArgs): (Value | null)[];
}

/** A build-time shape or dtype error; the message names the op and the shapes involved. */
export class ShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShapeError';
  }
}

export function fmtShape(s: Shape): string {
  return `(${s.join(', ')})`;
}

export class Node {
  constructor(
    readonly def: OpDef,
    readonly inputs: (Value | null)[],
    readonly attrs: Attrs,
    readonly name: string,
    public outputs: Value[] = [],
  ) {}
  get op(): string { return this.def.type; }
}

/** A typed tensor in the graph: a graph input, a constant (initializer) or a node output. */
export class Value {
  /** Element values of small int64 tensors known at build time (constants, Shape outputs), used by shape rules. */
  known?: Dim[];
  constructor(
    readonly graph: GraphCore,
    public name: string,
    readonly dtype: DType,
    readonly shape: Shape,
    readonly kind: 'input' | 'const' | 'node',
    readonly node: Node | null = null,
    readonly data: TensorData | null = null,
  ) {}
  get rank(): number { return this.shape.length; }
  toString(): string { return `${this.name}:${this.dtype}${fmtShape(this.shape)}`; }
}

export function isFloat(dt: DType): boolean {
  return dt === 'float32' || dt === 'float64' || dt === 'float16';
}

/** The graph container: values, nodes in creation (hence topological) order, inputs, outputs. */
export class GraphCore {
  readonly nodes: Node[] = [];
  readonly inputs: Value[] = [];
  readonly consts: Value[] = [];
  readonly outputs: Value[] = [];
  private names = new Set<string>();
  private counter = 0;

  constructor(readonly name: string) {}

  /** A fresh value name with the given prefix (names are unique within the graph). */
  fresh(prefix: string): string {
    let n = `${prefix}_${this.counter++}`;
    while (this.names.has(n)) n = `${prefix}_${this.counter++}`;
    return n;
  }

  claim(name: string): string {
    if (this.names.has(name)) throw new ShapeError(`graph ${this.name}: duplicate value name '${name}'`);
    this.names.add(name);
    return name;
  }

  rename(v: Value, name: string): void {
    this.claim(name);
    this.names.delete(v.name);
    v.name = name;
  }

  /** Records a node for `def`, running its shape rule first; returns its outputs. */
  apply(def: OpDef, inputs: (Value | null)[], attrs: Attrs = {}, outNames?: string[]): Value[] {
    for (const v of inputs) {
      if (v && v.graph !== this) throw new ShapeError(`${def.type}: input ${v.name} belongs to graph ${v.graph.name}, not ${this.name}`);
    }
    const specs = def.infer(inputs, attrs);
    const node = new Node(def, inputs, attrs, this.fresh(def.type));
    node.outputs = specs.map((s, i) => {
      const name = this.claim(outNames?.[i] ?? this.fresh(def.type.toLowerCase()));
      const v = new Value(this, name, s.dtype, s.shape, 'node', node);
      if (s.known) v.known = s.known;
      return v;
    });
    this.nodes.push(node);
    return node.outputs;
  }

  addInput(name: string, dtype: DType, shape: Shape): Value {
    const v = new Value(this, this.claim(name), dtype, shape, 'input');
    this.inputs.push(v);
    return v;
  }

  addConst(t: TensorData, name?: string): Value {
    const v = new Value(this, this.claim(name ?? this.fresh('const')), t.dtype, t.dims, 'const', null, t);
    if ((t.dtype === 'int64' || t.dtype === 'int32') && t.data.length <= 64) {
      v.known = Array.from(t.data as ArrayLike<number | bigint>, (x) => Number(x));
    }
    this.consts.push(v);
    return v;
  }
}
