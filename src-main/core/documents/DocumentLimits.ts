import type { ParseLimits } from './parsers/ParsedDocument';

export interface DocumentLimits extends ParseLimits {
  /** Largest file accepted (from a path or an upload). */
  maxFileBytes: number;
  /** A parse running longer is stopped and the document fails. */
  parseTimeoutMs: number;
  /** The parse worker's JavaScript heap. */
  maxWorkerHeapMb: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_DOCUMENT_LIMITS: DocumentLimits = {
  maxFileBytes: 100 * MiB,
  parseTimeoutMs: 5 * 60_000,
  maxWorkerHeapMb: 1024,
  maxTextChars: 50_000_000,
  maxUnzippedBytes: 256 * MiB,
  maxCsvColumns: 10_000,
  maxCsvRowChars: 1 * MiB,
  maxHtmlDepth: 256
};
