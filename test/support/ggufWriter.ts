/**
 * Minimal GGUF v3 writer (test support only).
 *
 * Layout (little-endian throughout), per ggml/docs/gguf.md:
 *   magic "GGUF" | u32 version=3 | u64 tensor_count | u64 kv_count
 *   kv_count × (string key | u32 value_type | value)
 *   tensor_count × (string name | u32 n_dims | u64 ne[n_dims] | u32 ggml_type | u64 offset)
 *   padding to `general.alignment` (32 unless set)
 *   tensor data, each tensor starting at a multiple of the alignment (offsets are relative to here)
 * A GGUF string is a u64 byte length followed by UTF-8 bytes (no terminator).
 */
import { open } from 'node:fs/promises';

/** GGUF metadata value types (gguf_type). */
export const GgufType = {
  UINT8: 0,
  INT8: 1,
  UINT16: 2,
  INT16: 3,
  UINT32: 4,
  INT32: 5,
  FLOAT32: 6,
  BOOL: 7,
  STRING: 8,
  ARRAY: 9,
  UINT64: 10,
  INT64: 11,
  FLOAT64: 12
} as const;
export type GgufScalarType = Exclude<(typeof GgufType)[keyof typeof GgufType], 9>;

export type GgufScalar = number | bigint | boolean | string;
export type GgufValue = { type: GgufScalarType; value: GgufScalar } | { type: 9; itemType: GgufScalarType; values: readonly GgufScalar[] };

export const u8 = (value: number): GgufValue => ({ type: GgufType.UINT8, value });
export const i32 = (value: number): GgufValue => ({ type: GgufType.INT32, value });
export const u32 = (value: number): GgufValue => ({ type: GgufType.UINT32, value });
export const u64 = (value: number | bigint): GgufValue => ({ type: GgufType.UINT64, value });
export const f32 = (value: number): GgufValue => ({ type: GgufType.FLOAT32, value });
export const f64 = (value: number): GgufValue => ({ type: GgufType.FLOAT64, value });
export const bool = (value: boolean): GgufValue => ({ type: GgufType.BOOL, value });
export const str = (value: string): GgufValue => ({ type: GgufType.STRING, value });
export const arr = (itemType: GgufScalarType, values: readonly GgufScalar[]): GgufValue => ({
  type: GgufType.ARRAY,
  itemType,
  values
});

/** ggml tensor types this writer supports. */
export const GgmlType = { F32: 0 } as const;

export interface GgufTensor {
  name: string;
  /** ggml `ne` order: dims[0] is the fastest-varying (row length). */
  dims: readonly number[];
  /** Produces the tensor's values (row-major, dims[0] fastest). Called once, in file order. */
  data: () => Float32Array;
}

class ByteWriter {
  private buf = new Uint8Array(1 << 16);
  private view = new DataView(this.buf.buffer);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  scalar(type: GgufScalarType, v: GgufScalar): void {
    if (type === GgufType.STRING) {
      const b = Buffer.from(String(v), 'utf8');
      this.scalar(GgufType.UINT64, b.length);
      this.bytes(b);
      return;
    }
    const size = [1, 1, 2, 2, 4, 4, 4, 1, 0, 0, 8, 8, 8][type]!;
    this.reserve(size);
    const o = this.length;
    const d = this.view;
    switch (type) {
      case GgufType.UINT8:
        d.setUint8(o, Number(v));
        break;
      case GgufType.INT8:
        d.setInt8(o, Number(v));
        break;
      case GgufType.UINT16:
        d.setUint16(o, Number(v), true);
        break;
      case GgufType.INT16:
        d.setInt16(o, Number(v), true);
        break;
      case GgufType.UINT32:
        d.setUint32(o, Number(v), true);
        break;
      case GgufType.INT32:
        d.setInt32(o, Number(v), true);
        break;
      case GgufType.FLOAT32:
        d.setFloat32(o, Number(v), true);
        break;
      case GgufType.BOOL:
        d.setUint8(o, v ? 1 : 0);
        break;
      case GgufType.UINT64:
        d.setBigUint64(o, BigInt(v), true);
        break;
      case GgufType.INT64:
        d.setBigInt64(o, BigInt(v), true);
        break;
      case GgufType.FLOAT64:
        d.setFloat64(o, Number(v), true);
        break;
    }
    this.length += size;
  }

  value(v: GgufValue): void {
    this.scalar(GgufType.UINT32, v.type);
    if (v.type === GgufType.ARRAY) {
      this.scalar(GgufType.UINT32, v.itemType);
      this.scalar(GgufType.UINT64, v.values.length);
      for (const item of v.values) this.scalar(v.itemType, item);
    } else {
      this.scalar(v.type, v.value);
    }
  }

  pad(alignment: number): void {
    const rem = this.length % alignment;
    if (rem !== 0) this.bytes(new Uint8Array(alignment - rem));
  }

  result(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

const alignUp = (n: number, a: number): number => Math.ceil(n / a) * a;

/**
 * Writes a GGUF v3 file. Tensor data is generated and written one tensor at a time, so
 * peak memory stays near the size of the largest tensor.
 */
export async function writeGguf(
  filePath: string,
  metadata: ReadonlyArray<readonly [string, GgufValue]>,
  tensors: readonly GgufTensor[],
  /** Write only the header and extend the file sparsely: a huge model that takes no disk or time. */
  { sparse = false }: { sparse?: boolean } = {}
): Promise<void> {
  const alignKv = metadata.find(([k]) => k === 'general.alignment');
  const alignment = alignKv && alignKv[1].type !== GgufType.ARRAY ? Number(alignKv[1].value) : 32;

  const header = new ByteWriter();
  header.bytes(Buffer.from('GGUF', 'ascii'));
  header.scalar(GgufType.UINT32, 3);
  header.scalar(GgufType.UINT64, tensors.length);
  header.scalar(GgufType.UINT64, metadata.length);
  for (const [key, value] of metadata) {
    header.scalar(GgufType.STRING, key);
    header.value(value);
  }
  let offset = 0;
  const sizes: number[] = [];
  for (const t of tensors) {
    const size = t.dims.reduce((a, b) => a * b, 1) * 4;
    header.scalar(GgufType.STRING, t.name);
    header.scalar(GgufType.UINT32, t.dims.length);
    for (const d of t.dims) header.scalar(GgufType.UINT64, d);
    header.scalar(GgufType.UINT32, GgmlType.F32);
    header.scalar(GgufType.UINT64, offset);
    sizes.push(size);
    offset = alignUp(offset + size, alignment);
  }
  header.pad(alignment);

  const fh = await open(filePath, 'w');
  try {
    const headerBytes = header.result();
    await fh.write(headerBytes);
    if (sparse) {
      await fh.truncate(headerBytes.length + offset);
      return;
    }
    for (let i = 0; i < tensors.length; i++) {
      const data = tensors[i]!.data();
      if (data.byteLength !== sizes[i]) {
        throw new Error(`tensor ${tensors[i]!.name}: expected ${sizes[i]} bytes, got ${data.byteLength}`);
      }
      // Float32Array is host-endian; GGUF is little-endian (all supported Node platforms are LE).
      await fh.write(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      const padding = alignUp(data.byteLength, alignment) - data.byteLength;
      if (padding > 0) await fh.write(new Uint8Array(padding));
    }
  } finally {
    await fh.close();
  }
}
