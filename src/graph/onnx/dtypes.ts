// ONNX TensorProto.DataType codes and byte layouts for our DType names (onnx.proto, enum DataType).
import type { DType, TensorData, TypedArray } from '../ir.ts';

export const ONNX_DTYPE: Record<DType, number> = {
  float32: 1, uint8: 2, int8: 3, int32: 6, int64: 7, bool: 9, float16: 10, float64: 11,
};

/** Allocates a zero-filled typed array of the right kind for `dtype`. */
export function allocTyped(dtype: DType, n: number): TypedArray {
  switch (dtype) {
    case 'float32': return new Float32Array(n);
    case 'float64': return new Float64Array(n);
    case 'float16': return new Uint16Array(n);
    case 'int64': return new BigInt64Array(n);
    case 'int32': return new Int32Array(n);
    case 'int8': return new Int8Array(n);
    case 'uint8': case 'bool': return new Uint8Array(n);
  }
}

/** Builds tensor data of `dtype` from plain numbers (int64 converted to BigInt, bool to 0/1). */
export function tensorFrom(dtype: DType, values: ArrayLike<number | bigint>, dims: number[]): TensorData {
  const data = allocTyped(dtype, values.length);
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (data instanceof BigInt64Array) data[i] = BigInt(x);
    else (data as Float32Array)[i] = Number(x);
  }
  return { dtype, dims, data };
}

/** Little-endian bytes of a tensor, as TensorProto.raw_data expects. */
export function rawBytes(t: TensorData): Uint8Array {
  const d = t.data;
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength); // hosts are little-endian (x86, arm64)
}
