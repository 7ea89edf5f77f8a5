import type { EnclaveApi } from '../../src-preload/contract';
import type {
  DocumentComparison,
  DocumentExtraction,
  DocumentSummary,
  DocumentTaskProgress,
  DocumentTool
} from '../../src-main/core/shared/types';
import { ErrorCode } from '../../src-main/core/shared/errorCodes';
import { toUserFacingError } from '../lib/errors';
import { EXAMPLE_SCHEMA, parseSchema } from '../lib/extractionSchema';

export type ToolResult =
  | { tool: 'summarize'; value: DocumentSummary }
  | { tool: 'extract'; value: DocumentExtraction }
  | { tool: 'compare'; value: DocumentComparison };

/** One run of a document tool, from start to its result, error or cancellation. */
export interface ToolTask {
  taskId: string;
  tool: DocumentTool;
  status: 'running' | 'done' | 'cancelled' | 'failed';
  /** The latest documentTaskProgress; null until the first model call starts. */
  progress: DocumentTaskProgress | null;
  result: ToolResult | null;
  error: string | null;
}

/**
 * The Documents view's tools for the selected document: summarize, extract fields under a JSON schema, and
 * compare with a second document, one task at a time, with its progress (documentTaskProgress) and Cancel.
 */
export class DocumentToolsState {
  /** The document the tools act on. */
  documentId = $state<string | null>(null);
  tool = $state<DocumentTool>('summarize');
  /** '' : the router's default model. */
  model = $state('');
  schemaText = $state(EXAMPLE_SCHEMA);
  schemaError = $state<string | null>(null);
  compareWith = $state<string | null>(null);
  task = $state.raw<ToolTask | null>(null);

  isRunning = $derived(this.task?.status === 'running');

  readonly #api: EnclaveApi;
  #counter = 0;

  constructor(api: EnclaveApi) {
    this.#api = api;
  }

  connect(): () => void {
    return this.#api.onDocumentTaskProgress((progress) => {
      if (this.task?.taskId === progress.taskId && this.task.status === 'running') this.task = { ...this.task, progress };
    });
  }

  select(documentId: string | null): void {
    if (this.isRunning) return;
    this.documentId = documentId;
    this.task = null;
    if (this.compareWith === documentId) this.compareWith = null;
  }

  setTool(tool: DocumentTool): void {
    if (this.isRunning) return;
    this.tool = tool;
    this.task = null;
  }

  async run(): Promise<void> {
    const documentId = this.documentId;
    if (!documentId || this.isRunning) return;
    const tool = this.tool;
    const model = this.model || null;
    let start: (taskId: string) => Promise<ToolResult>;
    if (tool === 'extract') {
      const parsed = parseSchema(this.schemaText);
      if ('error' in parsed) {
        this.schemaError = parsed.error;
        return;
      }
      this.schemaError = null;
      start = async (taskId) => ({
        tool,
        value: await this.#api.extractDocumentFields({ taskId, documentId, schema: parsed.schema })
      });
    } else if (tool === 'compare') {
      const other = this.compareWith;
      if (!other) return;
      start = async (taskId) => ({ tool, value: await this.#api.compareDocuments({ taskId, documentIds: [documentId, other], model }) });
    } else {
      start = async (taskId) => ({ tool, value: await this.#api.summarizeDocument({ taskId, documentId, model }) });
    }
    const taskId = `${tool}-${Date.now().toString(36)}-${++this.#counter}`;
    this.task = { taskId, tool, status: 'running', progress: null, result: null, error: null };
    try {
      const result = await start(taskId);
      if (this.task?.taskId === taskId) this.task = { ...this.task, status: 'done', result };
    } catch (error) {
      if (this.task?.taskId !== taskId) return;
      const failure = toUserFacingError(error);
      this.task =
        failure.code === ErrorCode.DocumentTaskCancelled
          ? { ...this.task, status: 'cancelled', error: null }
          : { ...this.task, status: 'failed', error: failure.message };
    }
  }

  async cancel(): Promise<void> {
    const task = this.task;
    if (!task || task.status !== 'running') return;
    try {
      await this.#api.cancelDocumentTask({ taskId: task.taskId });
    } catch (error) {
      if (this.task?.taskId === task.taskId) this.task = { ...this.task, error: toUserFacingError(error).message };
    }
  }
}
