import type Database from 'better-sqlite3';

/**
 * A day's first-token times or speeds, stored as a blob of float64 values in ascending order (the platform's
 * byte order: little-endian wherever the app runs). A range's p50/p95 come from its days' blobs put together,
 * as exact as SQLite's percentile() over the requests, without reading the requests again.
 */
export const SORTED_SAMPLES = 'enclave_sorted_samples';
/** SAMPLES_PERCENTILE(blob, p): the p-th percentile (0–100) of one blob; null for a null blob. */
export const SAMPLES_PERCENTILE = 'enclave_samples_percentile';

/** Connections that have the functions (the usage log and the metrics each hold rollups over the same one). */
const registered = new WeakSet<Database.Database>();

/** Registers SORTED_SAMPLES(x) (an aggregate: the group's non-null x as a blob, null if none) and SAMPLES_PERCENTILE. */
export function registerSortedSamples(client: Database.Database): void {
  if (registered.has(client)) return;
  registered.add(client);
  client.aggregate(SORTED_SAMPLES, {
    start: (): number[] => [],
    step: (values: number[], value: number | null) => {
      if (value !== null) values.push(value);
    },
    result: (values: number[]) => (values.length ? toBlob(Float64Array.from(values).sort()) : null),
    deterministic: true
  });
  client.function(SAMPLES_PERCENTILE, { deterministic: true }, (blob: Buffer | null, p: number) => {
    if (!blob) return null;
    const values = samplesOf(blob);
    return interpolate(p, values.length, (rank) => values[rank]!);
  });
}

/**
 * The p50 and p95 of the samples of several blobs, unsorted as a whole (each day's blob is sorted, their
 * concatenation is not): the two ranks around each are selected in place, in linear time, instead of sorting.
 */
export function percentilesOf(concatenated: Buffer | null): { p50: number | null; p95: number | null } {
  if (!concatenated) return { p50: null, p95: null };
  const values = samplesOf(concatenated);
  const last = values.length - 1;
  const p50 = rankOf(50, values.length);
  const p95 = rankOf(95, values.length);
  select(values, p50, 0, last);
  // Everything after the p50 rank is at least its value, so p95's rank is searched among those only.
  const afterP50 = minimum(values, p50 + 1);
  if (p95 > p50) select(values, p95, p50 + 1, last);
  const afterP95 = minimum(values, p95 + 1);
  return {
    p50: interpolate(50, values.length, (rank) => (rank === p50 ? values[p50]! : afterP50)),
    p95: interpolate(95, values.length, (rank) => (rank === p95 ? values[p95]! : afterP95))
  };
}

/**
 * The p-th percentile (0–100) of `count` ascending values, as SQLite's percentile() computes it (its
 * ext/misc/percentile.c): linear between the two ranks around (count − 1) × p / 100, in the same double arithmetic.
 */
function interpolate(p: number, count: number, valueAt: (rank: number) => number): number | null {
  if (!count) return null;
  const rank = (p / 100) * (count - 1);
  const low = Math.floor(rank);
  const high = rank === low || low === count - 1 ? low : low + 1;
  const lowValue = valueAt(low);
  return lowValue + (valueAt(high) - lowValue) * (rank - low);
}

function rankOf(p: number, count: number): number {
  return Math.floor((p / 100) * (count - 1));
}

/** Rearranges values[left..right] so that values[k] holds the value of rank k, smaller ones before it, larger after. */
function select(values: Float64Array, k: number, left: number, right: number): void {
  while (right > left) {
    const a = values[left]!;
    const b = values[(left + right) >>> 1]!;
    const c = values[right]!;
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = left;
    let j = right;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const swap = values[i]!;
        values[i++] = values[j]!;
        values[j--] = swap;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
}

/** The smallest value from `from` on; Infinity past the end (then never read: the high rank is the low one). */
function minimum(values: Float64Array, from: number): number {
  let smallest = Infinity;
  for (let index = from; index < values.length; index++) if (values[index]! < smallest) smallest = values[index]!;
  return smallest;
}

/** The blob's values as a Float64Array over its own bytes (a copy only when they are not 8-byte aligned). */
function samplesOf(blob: Buffer): Float64Array {
  if (blob.byteOffset % 8 === 0) return new Float64Array(blob.buffer, blob.byteOffset, blob.byteLength / 8);
  return new Float64Array(new Uint8Array(blob).buffer);
}

function toBlob(values: Float64Array): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}
