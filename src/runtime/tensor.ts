// Host tensors (typed array + dims + dtype) and their conversion to/from onnxruntime-node tensors, int64 included.
// The only files that import onnxruntime-node live in src/runtime/.
import * as ort from 'onnxruntime-node';

export type HostDType = 'float32' | 'float64' | 'int64' | 'int32' | 'int8' | 'uint8' | 'bool' | 'float16';
export type HostData = Float32Array | Float64Array | BigInt64Array | Int32Array | Int8Array | Uint8Array | Uint16Array;

/** A tensor in host memory: row-major `data` with `dims`. */
export interface HostTensor { dtype: HostDType; dims: number[]; data: HostData }

const ORT_TYPE: Record<HostDType, ort.Tensor.Type> = {
  float32: 'float32', float64: 'float64', int64: 'int64', int32: 'int32', int8: 'int8', uint8: 'uint8', bool: 'bool', float16: 'float16',
};

function product(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** Wraps a host tensor as an ort.Tensor without copying. */
export function toOrt(t: HostTensor): ort.Tensor {
  if (t.data.length !== product(t.dims)) throw new Error(`tensor: ${t.data.length} values for dims [${t.dims}]`);
  return new ort.Tensor(ORT_TYPE[t.dtype], t.data as never, t.dims);
}

/** Views an ort.Tensor as a host tensor (no copy for CPU tensors). */
export function fromOrt(t: ort.Tensor): HostTensor {
  const dtype = (t.type === 'float64' ? 'float64' : t.type) as HostDType;
  return { dtype, dims: [...t.dims], data: t.data as HostData };
}

export function float32(data: ArrayLike<number>, dims: number[]): HostTensor {
  return { dtype: 'float32', dims, data: data instanceof Float32Array ? data : Float32Array.from(data) };
}

export function float64(data: ArrayLike<number>, dims: number[]): HostTensor {
  return { dtype: 'float64', dims, data: data instanceof Float64Array ? data : Float64Array.from(data) };
}

/** int64 tensor from plain numbers or bigints (ONNX indices are int64). */
export function int64(data: ArrayLike<number | bigint>, dims: number[]): HostTensor {
  if (data instanceof BigInt64Array) return { dtype: 'int64', dims, data };
  const out = new BigInt64Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = BigInt(data[i]!);
  return { dtype: 'int64', dims, data: out };
}

export function bool(data: ArrayLike<boolean | number>, dims: number[]): HostTensor {
  return { dtype: 'bool', dims, data: Uint8Array.from(data as ArrayLike<number>, (x) => (x ? 1 : 0)) };
}

/** Tensor values as plain numbers (int64 converted; loses precision above 2^53). */
export function toNumbers(t: HostTensor): number[] {
  return Array.from(t.data as ArrayLike<number | bigint>, (x) => Number(x));
}

/** The single value of a rank-0 or one-element tensor. */
export function scalarOf(t: HostTensor): number {
  if (t.data.length !== 1) throw new Error(`scalarOf: tensor has ${t.data.length} elements, dims [${t.dims}]`);
  return Number(t.data[0]!);
}
