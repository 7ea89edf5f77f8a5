import { randomUUID } from 'node:crypto';
import type { Enclave } from '../core/Enclave';
import type { DocumentTaskProgress } from '../core/shared/types';
import type { DocumentToolOptions } from '../core/documents/tools/DocumentTools';

const STAGES: Record<DocumentTaskProgress['stage'], string> = {
  map: 'reading the parts',
  reduce: 'combining the summaries',
  final: 'writing',
  extract: 'extracting'
};

/**
 * Runs a document tool with its progress as lines on stderr; Ctrl+C cancels it through the AbortSignal
 * (the tool then throws DocumentTaskCancelledError, which the command turns into exit 130).
 */
export async function runDocumentTask<T>(
  enclave: Enclave,
  stderr: NodeJS.WritableStream,
  run: (options: Required<Pick<DocumentToolOptions, 'taskId' | 'signal'>>) => Promise<T>
): Promise<T> {
  const taskId = randomUUID();
  const controller = new AbortController();
  const interrupt = () => controller.abort();
  process.once('SIGINT', interrupt);
  const unsubscribe = enclave.events.on('documentTaskProgress', (progress) => {
    if (progress.taskId === taskId) stderr.write(`${STAGES[progress.stage]}: ${progress.done}/${progress.total}\n`);
  });
  try {
    return await run({ taskId, signal: controller.signal });
  } finally {
    unsubscribe();
    process.off('SIGINT', interrupt);
  }
}
