import busboy from 'busboy';
import { CollectionNotFoundError, DocumentNotFoundError, DocumentRefusedError } from '../../core/documents/errors';
import type { DocumentInfo, IngestFileResult } from '../../core/shared/types';
import { ApiError } from '../ApiError';
import { ClientGoneError } from '../http';
import { defineRoute, type RouteContext } from '../routes';

/** Room for the multipart boundaries and part headers around the file, above the file size limit. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/** A document as the API shows it. */
function documentJson(doc: DocumentInfo) {
  return {
    id: doc.id,
    object: 'document',
    name: doc.name,
    status: doc.status,
    ...(doc.status === 'failed' ? { error: doc.error } : {}),
    progress: doc.progress,
    format: doc.format,
    mime: doc.mime,
    pages: doc.pages,
    bytes: doc.bytes,
    sha256: doc.sha256,
    chunks: doc.chunkCount,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    collection: doc.collection
  };
}

function notFound(error: unknown): never {
  if (error instanceof DocumentNotFoundError) throw new ApiError(404, 'not_found_error', error.message, 'document_not_found', 'id');
  if (error instanceof CollectionNotFoundError)
    throw new ApiError(404, 'not_found_error', error.message, 'collection_not_found', 'collection');
  throw error;
}

/** GET /v1/documents[?collection=NAME]: every document, newest first. */
export const listDocumentsRoute = defineRoute({
  method: 'GET',
  path: '/v1/documents',
  async handle(ctx) {
    const collection = new URL(ctx.req.url ?? '/', 'http://localhost').searchParams.get('collection') ?? undefined;
    try {
      ctx.sendJson(200, { object: 'list', data: ctx.core.documents.listDocuments({ collection }).map(documentJson) });
    } catch (error) {
      notFound(error);
    }
  }
});

/** GET /v1/documents/{id}: one document, with its status (and `error` when it failed). */
export const getDocumentRoute = defineRoute({
  method: 'GET',
  path: '/v1/documents/:id',
  async handle(ctx) {
    try {
      ctx.sendJson(200, documentJson(ctx.core.documents.getDocument(ctx.params.id!)));
    } catch (error) {
      notFound(error);
    }
  }
});

/** DELETE /v1/documents/{id}: the document, its chunks, index rows and stored copy. */
export const deleteDocumentRoute = defineRoute({
  method: 'DELETE',
  path: '/v1/documents/:id',
  async handle(ctx) {
    try {
      await ctx.core.documents.deleteDocument(ctx.params.id!);
    } catch (error) {
      notFound(error);
    }
    ctx.sendJson(200, { id: ctx.params.id, object: 'document', deleted: true });
  }
});

/**
 * POST /v1/documents: one file as multipart/form-data, field `file` (an optional `collection` field
 * before it). The file is streamed to the library, which refuses it past its size limit (413); the
 * reply comes once it is stored and queued (202), or names the document it duplicates (200).
 */
export const uploadDocumentRoute = defineRoute({
  method: 'POST',
  path: '/v1/documents',
  async handle(ctx) {
    const result = await readUpload(ctx);
    if (!result.document) throw refusal(result);
    ctx.sendJson(result.duplicate ? 200 : 202, { ...documentJson(result.document), duplicate: result.duplicate });
  }
});

function refusal(result: IngestFileResult): ApiError {
  return ApiError.invalid(result.error ?? 'The file was refused.', 'file', 'invalid_file');
}

async function readUpload(ctx: RouteContext): Promise<IngestFileResult> {
  const { req, res } = ctx;
  const maxBytes = ctx.core.documents.limits.maxFileBytes;
  const tooLarge = () => {
    // The rest of the upload is not read into memory; the connection ends after the reply.
    res.setHeader('Connection', 'close');
    req.unpipe();
    req.resume();
    return new ApiError(
      413,
      'invalid_request_error',
      `The file is larger than the ${maxBytes} bytes allowed for a document.`,
      'file_too_large',
      'file'
    );
  };
  if (!/^multipart\/form-data\s*;/i.test(req.headers['content-type'] ?? ''))
    throw new ApiError(
      415,
      'invalid_request_error',
      'Send the document as multipart/form-data, in a field named "file".',
      'unsupported_media_type'
    );
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes + MULTIPART_OVERHEAD_BYTES) throw tooLarge();

  let parser: busboy.Busboy;
  try {
    // One file; past the limit busboy ends the file stream, and the library, counting, refuses it.
    parser = busboy({ headers: req.headers, limits: { files: 1, fileSize: maxBytes + 1, fields: 8, fieldSize: 1024, parts: 16 } });
  } catch (error) {
    throw ApiError.invalid(`The multipart body cannot be read: ${(error as Error).message}`, null, 'invalid_multipart');
  }
  const fields: Record<string, string> = {};
  let upload: Promise<IngestFileResult> | null = null;
  const finished = new Promise<void>((resolve, reject) => {
    parser.on('field', (name, value) => (fields[name] = value));
    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || upload) return void stream.resume();
      upload = ctx.core.documents.ingestStream(stream, uploadName(info.filename), fields.collection || undefined);
      // Too large: answered now, not after the rest of the body has been read and dropped.
      upload.catch((error: unknown) => {
        if (error instanceof DocumentRefusedError && error.reason === 'too-large') reject(error);
      });
    });
    parser.on('close', resolve);
    parser.on('error', (error: Error) =>
      reject(ApiError.invalid(`The multipart body cannot be read: ${error.message}`, null, 'invalid_multipart'))
    );
    req.on('close', () => {
      if (!req.complete) reject(new ClientGoneError());
    });
  });
  req.pipe(parser);
  let result: IngestFileResult;
  try {
    await finished;
    if (!upload) throw ApiError.invalid('The multipart body has no "file" field.', 'file', 'missing_file');
    result = await upload;
  } catch (error) {
    if (!(error instanceof DocumentRefusedError)) throw error;
    if (error.reason === 'too-large') throw tooLarge();
    throw ApiError.invalid(error.message, 'file', 'invalid_file');
  }
  return result;
}

/** The uploaded file's name, as a name: no folders, no control characters, not empty, at most 255 characters. */
function uploadName(filename: string | undefined): string {
  const name = (filename ?? '')
    .split(/[\\/]/)
    .pop()!
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
    .trim()
    .slice(0, 255);
  return name || 'upload';
}
