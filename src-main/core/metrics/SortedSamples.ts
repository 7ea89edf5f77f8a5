import type Database from 'better-sqlite3';

/**
 * A day's first-token times or speeds, stored as a blob of float64 values in ascending order (the platform's
 * byte order: little-endian wherever the app runs). A range's p50/p95 merge its days' blobs, so they are as exact
 * as SQLite's percentile() over the requests, without reading the requests again.
 */
export const SORTED_SAMPLES = 'enclave_sorted_samples';

/** Registers SORTED_SAMPLES(x) on a connection: an aggregate of the group's non-null x as a sorted blob (null: none). */
export function registerSortedSamples(client: Database.Database): void {
  client.aggregate(SORTED_SAMPLES, {
    start: (): number[] => [],
    step: (values: number[], value: number | null) => {
      if (value !== null) values.push(value);
    },
    result: (values: number[]) => (values.length ? toBlob(Float64Array.from(values).sort()) : null),
    deterministic: true
  });
}

/** The values of one blob; a copy only when the blob's bytes are not 8-byte aligned. */
export function samplesOf(blob: Buffer): Float64Array {
  if (blob.byteOffset % 8 === 0) return new Float64Array(blob.buffer, blob.byteOffset, blob.byteLength / 8);
  return new Float64Array(new Uint8Array(blob).buffer);
}

/** The values of several days' blobs, in ascending order. */
export function mergeSamples(blobs: readonly Buffer[]): Float64Array {
  if (blobs.length === 1) return samplesOf(blobs[0]!);
  const merged = new Float64Array(blobs.reduce((sum, blob) => sum + blob.byteLength, 0) / 8);
  const bytes = new Uint8Array(merged.buffer);
  let offset = 0;
  for (const blob of blobs) {
    bytes.set(blob, offset);
    offset += blob.byteLength;
  }
  return merged.sort();
}

/**
 * The p-th percentile (0–100) of ascending values, as SQLite's percentile() computes it (its ext/misc
 * percentile.c): linear between the two ranks around (n − 1) × p / 100, in the same double arithmetic.
 */
export function percentileOf(sorted: Float64Array, p: number): number | null {
  const count = sorted.length;
  if (!count) return null;
  const rank = (p / 100) * (count - 1);
  const low = Math.floor(rank);
  const high = rank === low || low === count - 1 ? low : low + 1;
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

function toBlob(values: Float64Array): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}
