import { z } from 'zod';
import { CollectionNotFoundError, DocumentNameAmbiguousError, DocumentNotFoundError } from '../../core/documents/errors';
import { findDocument } from '../../core/documents/findDocument';
import { DocumentNotReadyError, ExtractionFailedError } from '../../core/documents/tools/documentToolErrors';
import { UnsupportedSchemaError } from '../../core/engine/errors';
import type { MessageSource } from '../../core/shared/types';
import { ApiError } from '../ApiError';
import { defineRoute, type RouteContext } from '../routes';

/** 'local', 'auto' or `provider/model`; absent: the default model (extraction: the local model). */
const model = z.string().min(1).max(200).optional();

/**
 * Runs a document route: the core's document errors become 404/409/422; a client that hung up
 * aborted the work (ctx.signal), and nobody is left to answer.
 */
async function documentsCall(ctx: RouteContext, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (ctx.signal.aborted) return;
    if (error instanceof CollectionNotFoundError)
      throw new ApiError(404, 'not_found_error', error.message, 'collection_not_found', 'collection');
    if (error instanceof DocumentNotReadyError) throw new ApiError(409, 'invalid_request_error', error.message, 'document_not_ready');
    if (error instanceof ExtractionFailedError) throw new ApiError(422, 'invalid_request_error', error.message, 'extraction_failed');
    if (error instanceof UnsupportedSchemaError)
      throw ApiError.invalid(error.message, error.schemaPath ? `schema.${error.schemaPath}` : 'schema', 'unsupported_schema');
    throw error;
  }
}

/** The id of the document `idOrName` names; not found or ambiguous is an error about `param`. */
function documentParam(ctx: RouteContext, param: string, idOrName: string): string {
  try {
    return findDocument(ctx.core.documents, idOrName).id;
  } catch (error) {
    if (error instanceof DocumentNotFoundError) throw new ApiError(404, 'not_found_error', error.message, 'document_not_found', param);
    if (error instanceof DocumentNameAmbiguousError) throw ApiError.invalid(error.message, param, 'document_name_ambiguous');
    throw error;
  }
}

/** POST /v1/documents/{id}/summarize {"model"?}: map-reduce over the document's chunks when it does not fit one call. */
export const summarizeDocumentRoute = defineRoute({
  method: 'POST',
  path: '/v1/documents/:id/summarize',
  body: z.object({ model }).strict(),
  handle: (ctx, body) =>
    documentsCall(ctx, async () => {
      const id = documentParam(ctx, 'id', ctx.params.id!);
      const summary = await ctx.core.documentTools.summarize(id, { model: body.model, signal: ctx.signal });
      ctx.setModel(summary.model);
      ctx.sendJson(200, { object: 'document.summary', ...summary });
    })
});

/** POST /v1/documents/{id}/extract {"schema", "model"?}: the fields as JSON under the schema (the local model's grammar). */
export const extractDocumentRoute = defineRoute({
  method: 'POST',
  path: '/v1/documents/:id/extract',
  body: z.object({ schema: z.record(z.string(), z.unknown()), model }).strict(),
  handle: (ctx, body) =>
    documentsCall(ctx, async () => {
      const id = documentParam(ctx, 'id', ctx.params.id!);
      const extraction = await ctx.core.documentTools.extract(id, body.schema, { model: body.model, signal: ctx.signal });
      ctx.setModel(extraction.model);
      ctx.sendJson(200, { object: 'document.extraction', ...extraction });
    })
});

/** POST /v1/documents/compare {"a", "b", "model"?}: two documents (ids or names) compared, in Markdown. */
export const compareDocumentsRoute = defineRoute({
  method: 'POST',
  path: '/v1/documents/compare',
  body: z.object({ a: z.string().min(1), b: z.string().min(1), model }).strict(),
  handle: (ctx, body) =>
    documentsCall(ctx, async () => {
      const a = documentParam(ctx, 'a', body.a);
      const b = documentParam(ctx, 'b', body.b);
      const comparison = await ctx.core.documentTools.compare(a, b, { model: body.model, signal: ctx.signal });
      ctx.setModel(comparison.model);
      ctx.sendJson(200, { object: 'document.comparison', ...comparison });
    })
});

/**
 * POST /v1/documents/ask {"question", "collection"?, "model"?}: answered from the documents (the collection, or
 * all) in a new conversation, through the chat flow; `sources` are the excerpts the answer cites.
 */
export const askDocumentsRoute = defineRoute({
  method: 'POST',
  path: '/v1/documents/ask',
  body: z.object({ question: z.string().trim().min(1).max(8000), collection: z.string().min(1).optional(), model }).strict(),
  promptParam: 'question',
  handle: (ctx, body) =>
    documentsCall(ctx, async () => {
      const answer = await ctx.core.documentAsk.ask({ ...body, source: 'api', signal: ctx.signal });
      if (answer.model) ctx.setModel(answer.model);
      if (answer.status === 'error')
        throw new ApiError(502, 'upstream_error', answer.error ?? 'The model failed to answer.', 'answer_failed');
      if (answer.status === 'stopped') return;
      ctx.sendJson(200, {
        object: 'document.answer',
        answer: answer.answer,
        sources: answer.sources.map(sourceJson),
        nothingRelevant: answer.nothingRelevant,
        model: answer.model,
        conversationId: answer.conversationId
      });
    })
});

function sourceJson(source: MessageSource) {
  return {
    n: source.n,
    documentId: source.documentId,
    name: source.documentName,
    page: source.page,
    headingPath: source.headingPath,
    text: source.excerpt
  };
}
