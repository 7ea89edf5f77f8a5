import { ApiError } from '../ApiError';
import { defineRoute } from '../routes';
import { embeddingRequest } from './schemas';

/** POST /v1/embeddings: vectors from the loaded model's embedding context, float or base64 (little-endian float32). */
export const embeddingsRoute = defineRoute({
  method: 'POST',
  path: '/v1/embeddings',
  body: embeddingRequest,
  promptParam: 'input',
  async handle(ctx, body) {
    const model = ctx.core.engine.requireModelById(body.model);
    ctx.setModel(model.id);
    const inputs = typeof body.input === 'string' ? [body.input] : body.input;
    const dimensions = model.embeddingDimensions;
    if (body.dimensions !== undefined && body.dimensions !== dimensions)
      throw ApiError.invalid(`This model's embeddings have ${dimensions} dimensions; it cannot produce ${body.dimensions}.`, 'dimensions');
    const result = await model.embed(inputs, { signal: ctx.signal });
    const base64 = body.encoding_format === 'base64';
    ctx.sendJson(200, {
      object: 'list',
      data: result.embeddings.map((vector, index) => ({
        object: 'embedding',
        index,
        embedding: base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector
      })),
      model: model.id,
      usage: { prompt_tokens: result.promptTokens, total_tokens: result.promptTokens }
    });
  }
});
