// Minimal protobuf wire-format writer (varint, fixed32, length-delimited) for emitting ONNX ModelProto bytes.
// Follows https://protobuf.dev/programming-guides/encoding/ ; graph/ stays free of npm imports.

const enc = new TextEncoder();

export class PbWriter {
  private chunks: Uint8Array[] = [];
  private cur: number[] = [];
  private size = 0;

  private flush(): void {
    if (this.cur.length > 0) {
      this.chunks.push(Uint8Array.from(this.cur));
      this.size += this.cur.length;
      this.cur = [];
    }
  }

  private varint(n: number | bigint): void {
    if (typeof n === 'number' && n >= 0 && n <= Number.MAX_SAFE_INTEGER) {
      while (n >= 0x80) {
        this.cur.push((n % 0x80) | 0x80);
        n = Math.floor(n / 0x80);
      }
      this.cur.push(n);
      return;
    }
    let b = BigInt.asUintN(64, BigInt(n)); // negative int64: ten-byte two's complement
    while (b >= 0x80n) {
      this.cur.push(Number(b & 0x7fn) | 0x80);
      b >>= 7n;
    }
    this.cur.push(Number(b));
  }

  private tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  /** int32/int64/enum field (varint). */
  int(field: number, n: number | bigint): this {
    this.tag(field, 0);
    this.varint(n);
    return this;
  }

  float(field: number, x: number): this {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, x, true);
    this.cur.push(...b);
    return this;
  }

  bytes(field: number, data: Uint8Array): this {
    this.tag(field, 2);
    this.varint(data.length);
    if (data.length > 256) {
      this.flush();
      this.chunks.push(data);
      this.size += data.length;
    } else {
      for (let i = 0; i < data.length; i++) this.cur.push(data[i]!);
    }
    return this;
  }

  string(field: number, s: string): this {
    return this.bytes(field, enc.encode(s));
  }

  /** Embedded message field. */
  message(field: number, m: PbWriter): this {
    return this.bytes(field, m.finish());
  }

  /** Packed repeated varints (proto2 parsers accept packed for repeated scalars). */
  packedInts(field: number, xs: readonly (number | bigint)[]): this {
    const w = new PbWriter();
    for (const x of xs) w.varint(x);
    return this.bytes(field, w.finish());
  }

  packedFloats(field: number, xs: readonly number[]): this {
    const b = new Uint8Array(4 * xs.length);
    const dv = new DataView(b.buffer);
    xs.forEach((x, i) => dv.setFloat32(4 * i, x, true));
    return this.bytes(field, b);
  }

  finish(): Uint8Array {
    this.flush();
    if (this.chunks.length === 1) return this.chunks[0]!;
    const out = new Uint8Array(this.size);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    this.chunks = [out];
    return out;
  }
}
