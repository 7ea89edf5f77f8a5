import { defineRoute } from '../routes';
import { finishReason, newId, samplingOptions, unixSeconds, usage } from './common';
import { completionRequest } from './schemas';

/** OpenAI's default for the legacy completions endpoint. */
const DEFAULT_MAX_TOKENS = 16;

/** POST /v1/completions: raw text continuation (no chat template), streamed or not. */
export const completionsRoute = defineRoute({
  method: 'POST',
  path: '/v1/completions',
  body: completionRequest,
  promptParam: 'prompt',
  async handle(ctx, body) {
    const model = ctx.core.engine.requireModelById(body.model);
    ctx.setModel(model.id);
    const prompt = typeof body.prompt === 'string' ? body.prompt : body.prompt[0]!;
    const options = { ...samplingOptions(body), maxTokens: body.max_tokens ?? DEFAULT_MAX_TOKENS, signal: ctx.signal };
    const id = newId('cmpl');
    const created = unixSeconds();
    const choice = (text: string, finish: string | null) => ({ text, index: 0, logprobs: null, finish_reason: finish });

    if (!body.stream) {
      const result = await ctx.core.router.complete(model, prompt, options, 'api');
      if (result.stopReason === 'aborted') return;
      ctx.sendJson(200, {
        id,
        object: 'text_completion',
        created,
        model: model.id,
        system_fingerprint: null,
        choices: [choice(result.text, finishReason(result.stopReason))],
        usage: usage(result)
      });
      return;
    }

    const sse = ctx.sse();
    const includeUsage = body.stream_options?.include_usage === true;
    const chunk = (text: string, finish: string | null = null) => ({
      id,
      object: 'text_completion',
      created,
      model: model.id,
      system_fingerprint: null,
      choices: [choice(text, finish)],
      ...(includeUsage && { usage: null })
    });
    const result = await ctx.core.router.complete(
      model,
      prompt,
      {
        ...options,
        onTextChunk: (text) => {
          if (text) sse.send(chunk(text));
        }
      },
      'api'
    );
    if (result.stopReason === 'aborted') return;
    sse.send(chunk('', finishReason(result.stopReason)));
    if (includeUsage)
      sse.send({ id, object: 'text_completion', created, model: model.id, system_fingerprint: null, choices: [], usage: usage(result) });
    sse.done();
  }
});
