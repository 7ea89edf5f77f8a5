import type {
  DocumentComparison,
  DocumentExtraction,
  DocumentInfo,
  DocumentSummary,
  DocumentTaskProgress,
  DocumentTool
} from '../../shared/types';
import type { EnclaveEvents } from '../../EnclaveEvents';
import type { EngineService } from '../../engine/EngineService';
import type { ModelRouter, RoutedResult, RouteRequest } from '../../cloud/ModelRouter';
import type { ChatTurn } from '../../engine/LocalModel';
import { DocumentNotReadyError, DocumentTaskCancelledError, DocumentTaskExistsError, ExtractionFailedError } from './documentToolErrors';
import { packWindows } from './packWindows';
import { COMBINE_SUMMARIES, COMPARE_DOCUMENTS, compareInput, EXTRACT_FIELDS, SUMMARIZE_PART, SUMMARIZE_WHOLE } from './toolPrompts';

/** What the tools read of a document: its record and its chunks in reading order. */
export interface ToolDocumentSource {
  getDocument(documentId: string): DocumentInfo;
  chunkTexts(documentId: string): string[];
}

export interface DocumentToolOptions {
  /** Lets `cancel(taskId)` stop the task and names its progress events; optional for callers that hold the signal. */
  taskId?: string;
  /** 'local', a local model's id, 'auto' or `provider/model`; null: the default model (extraction: the local model). */
  model?: string | null;
  signal?: AbortSignal;
}

interface Dependencies {
  documents: ToolDocumentSource;
  router: ModelRouter;
  engine: EngineService;
  events: EnclaveEvents;
}

/** Tokens each kind of call may write. */
const PART_SUMMARY_TOKENS = 256;
const SUMMARY_TOKENS = 600;
const EXTRACTION_TOKENS = 1024;
const COMPARISON_TOKENS = 900;
/** A conservative characters-per-token ratio, so text sized by it fits the context in most languages. */
const CHARS_PER_TOKEN = 3;
/** Room for the chat template and the instructions. */
const PROMPT_OVERHEAD_TOKENS = 160;
/** The context assumed for a cloud model when no local model is loaded to size by. */
const CLOUD_CONTEXT_TOKENS = 32_768;
const MIN_BUDGET_CHARS = 600;

type Step = (instructions: string, text: string, maxTokens: number, local?: RouteRequest['local']) => Promise<RoutedResult>;

/**
 * Summarize (map-reduce over the chunks when the document does not fit one call), extract fields as JSON
 * under a schema (grammar-enforced by the local model), and compare two documents. Every model call goes
 * through the router, so a cloud model gets the text through the privacy gate like any chat message.
 */
export class DocumentTools {
  private readonly tasks = new Map<string, AbortController>();

  constructor(private readonly deps: Dependencies) {}

  /** Stops a running task; unknown ids (finished tasks) are ignored. */
  cancel(taskId: string): void {
    this.tasks.get(taskId)?.abort();
  }

  async summarize(documentId: string, options: DocumentToolOptions = {}): Promise<DocumentSummary> {
    const document = this.readyDocument(documentId);
    return this.run('summarize', options, async (step, progress) => {
      const { summary, calls, passes, model } = await this.mapReduce(this.deps.documents.chunkTexts(documentId), step, progress);
      return { documentId, documentName: document.name, summary, model, calls, passes };
    });
  }

  async extract(documentId: string, schema: unknown, options: DocumentToolOptions = {}): Promise<DocumentExtraction> {
    const document = this.readyDocument(documentId);
    return this.run('extract', { ...options, model: options.model ?? 'local' }, async (step, progress) => {
      const budget = this.budgetChars(EXTRACTION_TOKENS);
      const chunks = this.deps.documents.chunkTexts(documentId);
      const kept: string[] = [];
      let size = 0;
      for (const chunk of chunks) {
        if (size + chunk.length + 2 > budget) break;
        kept.push(chunk);
        size += chunk.length + 2;
      }
      const text = kept.length ? kept.join('\n\n') : (chunks[0] ?? '').slice(0, budget);
      progress('extract', 0, 1);
      const result = await step(EXTRACT_FIELDS, text, EXTRACTION_TOKENS, { responseFormat: { type: 'json_schema', schema } });
      progress('extract', 1, 1);
      if (result.stopReason === 'maxTokens')
        throw new ExtractionFailedError(`The fields did not fit in ${EXTRACTION_TOKENS} tokens; ask for fewer fields.`);
      let data: unknown;
      try {
        data = JSON.parse(result.text);
      } catch (error) {
        throw new ExtractionFailedError('The model did not write valid JSON for this schema.', { cause: error });
      }
      return { documentId, documentName: document.name, data, model: result.metrics.model, truncated: kept.length < chunks.length };
    });
  }

  async compare(firstId: string, secondId: string, options: DocumentToolOptions = {}): Promise<DocumentComparison> {
    const documents = [this.readyDocument(firstId), this.readyDocument(secondId)] as const;
    return this.run('compare', options, async (step, progress) => {
      // Each document gets half the input; one that does not fit is summarized first.
      const half = Math.floor(this.budgetChars(COMPARISON_TOKENS) / 2);
      const texts: string[] = [];
      for (const document of documents) {
        const text = this.deps.documents.chunkTexts(document.id).join('\n\n');
        texts.push(
          text.length <= half ? text : (await this.mapReduce(this.deps.documents.chunkTexts(document.id), step, progress)).summary
        );
      }
      const result = await step(
        COMPARE_DOCUMENTS,
        compareInput(
          { name: documents[0].name, text: texts[0]!.slice(0, half) },
          { name: documents[1].name, text: texts[1]!.slice(0, half) }
        ),
        COMPARISON_TOKENS
      );
      return {
        documentIds: [firstId, secondId],
        documentNames: [documents[0].name, documents[1].name],
        comparison: result.text,
        model: result.metrics.model
      };
    });
  }

  /**
   * Map: each window of chunks is summarized; reduce: the partial summaries are combined, window by window,
   * until one call can take them all. A document that fits one call is summarized in one.
   */
  private async mapReduce(
    chunks: string[],
    step: Step,
    progress: (stage: DocumentTaskProgress['stage'], done: number, total: number) => void
  ): Promise<{ summary: string; calls: number; passes: number; model: string }> {
    const budget = this.budgetChars(SUMMARY_TOKENS);
    let texts = packWindows(chunks, budget);
    let passes = 1;
    let done = 0;
    let total = estimateCalls(texts.length, budget);
    while (texts.length > 1) {
      const stage = passes === 1 ? 'map' : 'reduce';
      const parts: string[] = [];
      for (const window of texts) {
        progress(stage, done, total);
        parts.push((await step(passes === 1 ? SUMMARIZE_PART : COMBINE_SUMMARIES, window, PART_SUMMARY_TOKENS)).text.trim());
        done += 1;
      }
      texts = packWindows(parts, budget, { minPerWindow: 2 });
      total = Math.max(total, done + estimateCalls(texts.length, budget));
      passes += 1;
    }
    progress('final', done, total);
    const final = await step(passes === 1 ? SUMMARIZE_WHOLE : COMBINE_SUMMARIES, texts[0] ?? '', SUMMARY_TOKENS);
    done += 1;
    progress('final', done, done);
    return { summary: final.text.trim(), calls: done, passes, model: final.metrics.model };
  }

  /** Registers the task for cancel(), reports its progress, and turns an abort into DocumentTaskCancelledError. */
  private async run<T>(
    tool: DocumentTool,
    options: DocumentToolOptions,
    body: (step: Step, progress: (stage: DocumentTaskProgress['stage'], done: number, total: number) => void) => Promise<T>
  ): Promise<T> {
    const { taskId } = options;
    const controller = new AbortController();
    if (taskId !== undefined) {
      if (this.tasks.has(taskId)) throw new DocumentTaskExistsError(taskId);
      this.tasks.set(taskId, controller);
    }
    const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
    const progress = (stage: DocumentTaskProgress['stage'], done: number, total: number) => {
      if (taskId !== undefined) this.deps.events.emit('documentTaskProgress', { taskId, tool, stage, done, total });
    };
    const step: Step = async (instructions, text, maxTokens, local) => {
      if (signal.aborted) throw new DocumentTaskCancelledError(taskId ?? null);
      const result = await this.generate({ ...options, signal }, [system(instructions), user(text)], maxTokens, local);
      if (signal.aborted || result.stopReason === 'aborted') throw new DocumentTaskCancelledError(taskId ?? null);
      return result;
    };
    try {
      return await body(step, progress);
    } catch (error) {
      if (signal.aborted) throw new DocumentTaskCancelledError(taskId ?? null);
      throw error;
    } finally {
      if (taskId !== undefined) this.tasks.delete(taskId);
    }
  }

  private generate(
    options: DocumentToolOptions,
    turns: ChatTurn[],
    maxTokens: number,
    local?: RouteRequest['local']
  ): Promise<RoutedResult> {
    return this.deps.router.generate(
      {
        conversationId: null,
        requested: options.model ?? null,
        policy: null,
        privacyMode: null,
        turns,
        sampling: { temperature: 0.2, maxTokens },
        local,
        source: 'documents'
      },
      { signal: options.signal }
    );
  }

  /** Characters of document text one call may take, sized by the loaded local model's context. */
  private budgetChars(maxTokens: number): number {
    const contextTokens = this.deps.engine.loadedModel?.info.contextSize || CLOUD_CONTEXT_TOKENS;
    return Math.max(MIN_BUDGET_CHARS, (contextTokens - maxTokens - PROMPT_OVERHEAD_TOKENS) * CHARS_PER_TOKEN);
  }

  private readyDocument(documentId: string): DocumentInfo {
    const document = this.deps.documents.getDocument(documentId);
    if (document.status !== 'ready') throw new DocumentNotReadyError(document.id, document.name, document.status);
    return document;
  }
}

/** Calls a map-reduce over `windows` windows will take, if each partial summary comes out at its token limit. */
function estimateCalls(windows: number, budget: number): number {
  const perReduce = Math.max(2, Math.floor(budget / (PART_SUMMARY_TOKENS * CHARS_PER_TOKEN)));
  let calls = 0;
  let count = windows;
  while (count > 1) {
    calls += count;
    count = Math.ceil(count / perReduce);
  }
  return calls + 1;
}

const system = (content: string): ChatTurn => ({ role: 'system', content });
const user = (content: string): ChatTurn => ({ role: 'user', content });
