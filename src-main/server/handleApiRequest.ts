import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EnclaveError } from '../core/EnclaveError';
import { ErrorCode } from '../core/shared/errorCodes';
import { ApiError, toApiError } from './ApiError';
import { API_ROUTES } from './apiRoutes';
import { ClientGoneError, readJsonBody, sendError, sendJson, SseStream } from './http';
import { formatParam } from './openai/schemas';
import { sanitizeForLog, sanitizePath, type ApiLogger, type RequestLogEntry } from './requestLog';
import { matchRoute, type AnyRoute, type ApiCore, type RouteContext } from './routes';
import { bearerToken } from './security';

export interface TokenVerifier {
  verify(presented: string): boolean;
}

export interface RequestPipeline {
  core: ApiCore;
  tokens: TokenVerifier;
  allowedHosts: ReadonlySet<string>;
  allowedOrigins: ReadonlySet<string>;
  maxBodyBytes: number;
  logger: ApiLogger;
  /** Whether Node's request timeout ended this request while its body was still arriving (a 408). */
  timedOut(res: ServerResponse): boolean;
}

/**
 * One request, in order: Host allow-list, Origin/CORS, bearer token, route, JSON body, handler;
 * errors become OpenAI-shaped replies, and one log entry is written when the response closes.
 */
export async function handleApiRequest(req: IncomingMessage, res: ServerResponse, pipeline: RequestPipeline): Promise<void> {
  const startedAt = performance.now();
  const rawPath = (req.url ?? '').split('?')[0]!;
  const entry: RequestLogEntry = { method: sanitizeForLog(req.method ?? '?', 16), route: sanitizePath(rawPath), status: 0, durationMs: 0 };
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
    // Node answers a timed-out request on the socket itself (408); res never learns of it.
    const timedOut = pipeline.timedOut(res);
    entry.status = timedOut ? 408 : res.statusCode;
    entry.durationMs = Math.round((performance.now() - startedAt) * 10) / 10;
    if (!res.writableFinished && !timedOut) entry.aborted = true;
    try {
      pipeline.logger.request(entry);
    } catch {
      // logging must never break serving
    }
  });
  res.setHeader('X-Content-Type-Options', 'nosniff');

  let route: AnyRoute | undefined;
  let sse: SseStream | undefined;
  try {
    // 1. Host: exact allow-list, whatever the bind address (defeats DNS rebinding).
    const host = req.headers.host?.toLowerCase();
    if (!host || !pipeline.allowedHosts.has(host))
      throw new ApiError(
        403,
        'permission_error',
        'This server only answers requests addressed to it by a loopback name and its port (e.g. 127.0.0.1:PORT).',
        'host_not_allowed'
      );

    // 2. Origin: browsers' cross-site requests only from allow-listed origins; CORS headers only for those.
    const origin = req.headers.origin;
    if (origin !== undefined) {
      if (!pipeline.allowedOrigins.has(origin))
        throw new ApiError(
          403,
          'permission_error',
          'Requests from web pages are refused unless their origin is on the allow-list (--allow-origin).',
          'origin_not_allowed'
        );
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
    }
    if (req.method === 'OPTIONS') {
      if (origin === undefined || !req.headers['access-control-request-method'])
        throw new ApiError(403, 'permission_error', 'CORS preflight requests need an allow-listed Origin.', 'cors_not_allowed');
      res.writeHead(204, {
        'Access-Control-Allow-Methods': 'GET, POST, DELETE',
        'Access-Control-Allow-Headers': 'Authorization, Content-Type',
        'Access-Control-Max-Age': '600'
      });
      res.end();
      return;
    }

    // 3. A bearer token on every route.
    const token = bearerToken(req.headers.authorization);
    if (token === null)
      throw new ApiError(
        401,
        'authentication_error',
        'Missing API key: send "Authorization: Bearer <token>" (see the api-token file in the Enclave data folder).',
        'missing_api_key',
        null,
        {
          'WWW-Authenticate': 'Bearer realm="enclave"'
        }
      );
    if (!pipeline.tokens.verify(token))
      throw new ApiError(401, 'authentication_error', 'Incorrect API key provided.', 'invalid_api_key', null, {
        'WWW-Authenticate': 'Bearer realm="enclave", error="invalid_token"'
      });

    // 4. The route.
    if (!rawPath.startsWith('/')) throw new ApiError(404, 'not_found_error', 'Unknown route.', 'unknown_route');
    const match = matchRoute(API_ROUTES, req.method ?? '', rawPath);
    if (!match) throw new ApiError(404, 'not_found_error', `Unknown route: ${req.method} ${sanitizePath(rawPath)}.`, 'unknown_route');
    if ('allowedMethods' in match)
      throw new ApiError(
        405,
        'invalid_request_error',
        `${req.method} is not allowed here; use ${match.allowedMethods.join(' or ')}.`,
        'method_not_allowed',
        null,
        {
          Allow: match.allowedMethods.join(', ')
        }
      );
    route = match.route;
    entry.route = route.path;

    // 5. The body: JSON only, size-limited, validated.
    let body: unknown = undefined;
    if (route.body) {
      const raw = await readJsonBody(req, res, pipeline.maxBodyBytes);
      const parsed = route.body.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const param = formatParam(issue.path);
        const message = describeIssue(issue.message, valueAt(raw, issue.path));
        throw ApiError.invalid(param ? `Invalid value for '${param}': ${message}` : `Invalid request body: ${message}`, param);
      }
      body = parsed.data;
    }

    const ctx: RouteContext = {
      req,
      res,
      core: pipeline.core,
      params: match.params,
      signal: controller.signal,
      setModel: (id) => {
        entry.model = sanitizeForLog(id);
      },
      sendJson: (status, json, headers) => sendJson(res, status, json, headers),
      sse: () => (sse ??= new SseStream(res))
    };
    await route.handle(ctx, body);
  } catch (error) {
    if (error instanceof ClientGoneError || (controller.signal.aborted && !(error instanceof ApiError) && isAbortLike(error))) return;
    const apiError = toApiError(error, route?.promptParam);
    if (apiError.status === 500) {
      entry.status = apiError.status;
      pipeline.logger.error(error, entry);
    }
    if (!res.headersSent) sendError(res, apiError);
    else if (sse?.started) sse.fail(apiError);
    else res.destroy();
  }
}

/** Zod's message, plus what was actually sent when zod only says "Invalid input". */
function describeIssue(message: string, value: unknown): string {
  if (!/^Invalid input/.test(message) || /received/.test(message)) return message;
  const got =
    value === undefined
      ? 'nothing'
      : value === null
        ? 'null'
        : Array.isArray(value)
          ? 'an array'
          : typeof value === 'object'
            ? 'an object'
            : `a ${typeof value}`;
  return `${message} (got ${got})`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function isAbortLike(error: unknown): boolean {
  return (error as Error)?.name === 'AbortError' || (error as EnclaveError)?.code === ErrorCode.Aborted;
}
