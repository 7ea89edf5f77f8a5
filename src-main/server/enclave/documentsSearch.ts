import { z } from 'zod';
import { CollectionNotFoundError } from '../../core/documents/errors';
import { MAX_K } from '../../core/documents/retrieval/DocumentSearch';
import { ApiError } from '../ApiError';
import { defineRoute } from '../routes';

const searchRequest = z
  .object({
    query: z.string().min(1).max(2000),
    k: z.number().int().min(1).max(MAX_K).optional(),
    /** A collection's name or id. */
    collection: z.string().min(1).optional()
  })
  .strict();

/** POST /v1/documents/search: the passages `enclave search --json` prints, best first. */
export const documentsSearchRoute = defineRoute({
  method: 'POST',
  path: '/v1/documents/search',
  body: searchRequest,
  async handle(ctx, body) {
    try {
      const { results, mode } = await ctx.core.documentSearch.search({
        query: body.query,
        k: body.k,
        collections: body.collection === undefined ? undefined : [body.collection],
        signal: ctx.signal
      });
      ctx.sendJson(200, {
        results: results.map(({ documentId, name, page, text, score, relevance, headingPath }) => ({
          documentId,
          name,
          page,
          text,
          score,
          relevance,
          headingPath
        })),
        mode
      });
    } catch (error) {
      if (error instanceof CollectionNotFoundError)
        throw new ApiError(404, 'not_found_error', error.message, 'collection_not_found', 'collection');
      throw error;
    }
  }
});
