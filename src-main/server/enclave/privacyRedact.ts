import { z } from 'zod';
import { defineRoute } from '../routes';

const redactRequest = z.object({ text: z.string() }).strict();

/** POST /v1/privacy/redact: the same redaction `enclave redact --json` prints, over HTTP. */
export const privacyRedactRoute = defineRoute({
  method: 'POST',
  path: '/v1/privacy/redact',
  body: redactRequest,
  async handle(ctx, body) {
    ctx.sendJson(200, await ctx.core.privacy.redact(body.text, { signal: ctx.signal }));
  }
});
