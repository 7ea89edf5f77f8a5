import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { findAppRoot } from '../paths';
import type { DocumentFormat } from '../shared/types';
import type { ChunkOptions, DocumentChunk } from './chunking/chunkDocument';
import { DocumentParseError, type ParseFailureReason } from './errors';
import type { ParseLimits } from './parsers/ParsedDocument';

export interface ParseJob {
  /** The stored copy. */
  path: string;
  format: DocumentFormat;
  limits: ParseLimits;
  chunking: ChunkOptions;
}

export type WorkerMessage =
  | { type: 'progress'; fraction: number }
  | { type: 'done'; pages: number | null; chunks: DocumentChunk[] }
  | { type: 'failed'; reason: ParseFailureReason; message: string };

export interface ParseRunOptions {
  signal?: AbortSignal;
  /** The worker is terminated past this. */
  timeoutMs: number;
  /** The worker's JavaScript heap; past it the worker dies, the host does not. */
  maxHeapMb: number;
  onProgress?: (fraction: number) => void;
}

/**
 * The worker's entry: the bundled documentParser.js next to the built main process, or, when the core
 * runs from its TypeScript sources (tests, tsx), parseWorker.ts loaded through tsx's loader (Node 20's
 * workers take no --import, so a small bootstrap registers it first).
 */
function workerEntry(): { source: URL | string; eval: boolean } {
  if (import.meta.url.endsWith('.ts')) {
    const require = createRequire(import.meta.url);
    const manifest = require.resolve('tsx/package.json');
    const api = (require(manifest) as { exports: Record<string, { import: { default: string } }> }).exports['./esm/api']!.import.default;
    const tsxApi = pathToFileURL(join(dirname(manifest), api)).href;
    const entry = new URL('./parseWorker.ts', import.meta.url).href;
    return {
      source: `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`,
      eval: true
    };
  }
  const built = join(findAppRoot(), 'out', 'main', 'documentParser.js');
  if (!existsSync(built)) throw new Error(`The document parser ${built} is missing: run "npm run build".`);
  return { source: pathToFileURL(built), eval: false };
}

/** Parses and chunks one file in a worker thread, with a time limit and a heap limit. */
export function runParseWorker(job: ParseJob, options: ParseRunOptions): Promise<{ pages: number | null; chunks: DocumentChunk[] }> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(options.signal.reason);
    const entry = workerEntry();
    const worker = new Worker(entry.source, {
      eval: entry.eval,
      workerData: job,
      resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb },
      stdout: true,
      stderr: true
    });
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      outcome();
      void worker.terminate();
    };
    const fail = (reason: ParseFailureReason, message: string, cause?: unknown) =>
      finish(() => reject(new DocumentParseError(reason, message, { cause })));
    const timer = setTimeout(
      () => fail('timeout', `Reading the document took longer than ${formatDuration(options.timeoutMs)}; it was stopped.`),
      options.timeoutMs
    );
    const onAbort = () => finish(() => reject(options.signal!.reason));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    // pdf.js warns on stdout/stderr about damaged files; the reason a parse failed is reported instead.
    worker.stdout.resume();
    worker.stderr.resume();
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') options.onProgress?.(message.fraction);
      else if (message.type === 'done') finish(() => resolve({ pages: message.pages, chunks: message.chunks }));
      else fail(message.reason, message.message);
    });
    worker.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY')
        fail('out-of-memory', `Reading the document needed more than ${options.maxHeapMb} MiB of memory; it was stopped.`, error);
      else fail('crashed', `The document parser failed: ${error.message}`, error);
    });
    worker.on('exit', (code) => fail('crashed', `The document parser stopped unexpectedly (exit code ${code}).`));
  });
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}
