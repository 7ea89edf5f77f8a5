import { privacyRedactRoute } from './enclave/privacyRedact';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { EnclaveError } from '../core/EnclaveError';
import { ApiError, toApiError } from './ApiError';
import { ClientGoneError, DEFAULT_MAX_BODY_BYTES, readJsonBody, sendError, sendJson, SseStream } from './http';
import { chatCompletionsRoute } from './openai/chatCompletions';
import { completionsRoute } from './openai/completions';
import { embeddingsRoute } from './openai/embeddings';
import { getModelRoute, listModelsRoute } from './openai/models';
import { formatParam } from './openai/schemas';
import { matchRoute, type AnyRoute, type ApiCore, type RouteContext } from './routes';
import {
  allowedHostHeaders,
  ApiServerConfigError,
  assertBindable,
  bearerToken,
  hostHeaderFor,
  isLoopbackHost,
  normalizeOrigin
} from './security';
import { ErrorCode } from '../core/shared/errorCodes';

/**
 * Every route the API serves. Cloud models and /v1/privacy/redact come from other issues: they
 * are added here as more entries, and inherit every check below.
 */
export const API_ROUTES: readonly AnyRoute[] = [
  listModelsRoute,
  getModelRoute,
  chatCompletionsRoute,
  completionsRoute,
  embeddingsRoute,
  privacyRedactRoute
];

export interface RequestLogEntry {
  method: string;
  /** The route pattern (e.g. /v1/models/:model), or the bare path, without query, for unmatched requests. */
  route: string;
  status: number;
  durationMs: number;
  /** The model the request used, once known. */
  model?: string;
  /** The client went away before the reply was complete. */
  aborted?: boolean;
}

/** Where the server reports. It never receives bodies, tokens or Authorization headers. */
export interface ApiLogger {
  request(entry: RequestLogEntry): void;
  /** Unexpected failures (the 500s): a bug to look at. */
  error(error: unknown, entry: RequestLogEntry): void;
}

export interface TokenVerifier {
  verify(presented: string): boolean;
}

export interface ApiServerOptions {
  /** Default 127.0.0.1. Anything but 127.0.0.1, ::1 or localhost needs allowRemote. */
  host?: string;
  /** Default 0: any free port (read it from the result). */
  port?: number;
  allowRemote?: boolean;
  /** Host header values (host:port) to answer besides the loopback names, e.g. for --allow-remote on a LAN name. */
  allowedHosts?: string[];
  /** Web origins allowed to call the API from a browser (CORS). Default none: no CORS headers at all. */
  allowedOrigins?: string[];
  /** Default 1 MiB. */
  maxBodyBytes?: number;
  /** Checks bearer tokens; default the core's ApiTokenStore (enclave.apiTokens). */
  tokens?: TokenVerifier;
  logger?: Partial<ApiLogger>;
  /** Time allowed to send the request headers (default 10 s) and the whole request (default 30 s). */
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Idle keep-alive connections close after this long (default 5 s). */
  keepAliveTimeoutMs?: number;
  /** Open connections at most (default 256). */
  maxConnections?: number;
}

export interface ApiServer {
  /** Base URL, e.g. http://127.0.0.1:8080 (clients use `${url}/v1`). */
  url: string;
  host: string;
  port: number;
  /** Things the person starting the server should be told (e.g. remote access is on). */
  warnings: string[];
  /** Stops accepting, ends open requests (aborting their generations) and resolves once all are done. */
  close(): Promise<void>;
}

/**
 * Starts the local HTTP API over the core: OpenAI-compatible routes, secure by default (loopback
 * only, bearer token on every route, Host allow-list, no CORS, JSON bodies with a size limit).
 * This is what `enclave serve` and the desktop app's settings call.
 */
export async function startApiServer(core: ApiCore & { apiTokens?: TokenVerifier }, options: ApiServerOptions = {}): Promise<ApiServer> {
  const host = options.host ?? '127.0.0.1';
  const warnings: string[] = [];
  assertBindable(host, options.allowRemote);
  if (!isLoopbackHost(host)) {
    warnings.push(
      `The API listens on ${host}: other machines on the network can reach it (with the token). ` +
        'Only requests whose Host header is on the allow-list are answered; add names with --allowed-host.'
    );
  }
  const tokens = options.tokens ?? core.apiTokens;
  if (!tokens) throw new ApiServerConfigError('No API token store given: pass options.tokens or an Enclave (enclave.apiTokens).');
  // Fail now, not on the first request, if the token cannot be had (ENCLAVE_API_TOKEN too short, unwritable file).
  tokens.verify('');
  const allowedOrigins = new Set((options.allowedOrigins ?? []).map(normalizeOrigin));
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const logger: ApiLogger = {
    request: options.logger?.request ?? (() => {}),
    error: options.logger?.error ?? ((error) => console.error('enclave api: unexpected error', error))
  };

  const server = createServer({
    // A missing Host header is answered by the Host check (403), not by Node's 400.
    requireHostHeader: false,
    headersTimeout: options.headersTimeoutMs ?? 10_000,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    connectionsCheckingInterval: Math.min(1000, options.headersTimeoutMs ?? 1000),
    noDelay: true
  });
  server.keepAliveTimeout = options.keepAliveTimeoutMs ?? 5_000;
  server.maxConnections = options.maxConnections ?? 256;

  let allowedHosts = new Set<string>();
  const inFlight = new Set<Promise<void>>();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const handling = handleRequest(req, res, { core, tokens, allowedHosts, allowedOrigins, maxBodyBytes, logger }).catch(
      (error: unknown) => {
        // handleRequest answers its own errors; this is a last line so nothing can crash the process.
        res.destroy();
        try {
          logger.error(error, { method: req.method ?? '?', route: '(internal)', status: 500, durationMs: 0 });
        } catch {
          // a broken logger must not take the server down either
        }
      }
    );
    inFlight.add(handling);
    void handling.finally(() => inFlight.delete(handling));
  });

  const port = await listen(server, host, options.port ?? 0);
  // Known only now (port 0 picks one); no request can be parsed before this line runs.
  allowedHosts = allowedHostHeaders(host, port, options.allowedHosts);
  // Later server errors (e.g. out of file descriptors while accepting) are reported, never thrown.
  server.on('error', (error) => logger.error(error, { method: '-', route: '(server)', status: 0, durationMs: 0 }));

  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${hostHeaderFor(urlHost, port)}`,
    host,
    port,
    warnings,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
        await Promise.allSettled([...inFlight]);
      })();
      return closing;
    }
  };
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE')
        reject(new ApiServerConfigError(`Port ${port} on ${host} is already in use; choose another port (0 picks any free one).`));
      else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND')
        reject(new ApiServerConfigError(`Cannot listen on ${host}: this machine has no such address.`));
      else if (error.code === 'EACCES') reject(new ApiServerConfigError(`Not allowed to listen on port ${port}; pick one above 1023.`));
      else reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host, port, exclusive: true });
  });
}

interface Pipeline {
  core: ApiCore;
  tokens: TokenVerifier;
  allowedHosts: ReadonlySet<string>;
  allowedOrigins: ReadonlySet<string>;
  maxBodyBytes: number;
  logger: ApiLogger;
}

const MAX_LOGGED_PATH = 100;

async function handleRequest(req: IncomingMessage, res: ServerResponse, pipeline: Pipeline): Promise<void> {
  const startedAt = performance.now();
  const rawPath = (req.url ?? '').split('?')[0]!;
  const entry: RequestLogEntry = { method: req.method ?? '?', route: sanitizePath(rawPath), status: 0, durationMs: 0 };
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
    entry.status = res.statusCode;
    entry.durationMs = Math.round((performance.now() - startedAt) * 10) / 10;
    if (!res.writableFinished) entry.aborted = true;
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
        'Access-Control-Allow-Methods': 'GET, POST',
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
        entry.model = id;
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

/** A path fit for a log line: no query, printable ASCII only, bounded. */
function sanitizePath(path: string): string {
  const printable = path.replace(/[^\x21-\x7e]/g, '?');
  return printable.length > MAX_LOGGED_PATH ? `${printable.slice(0, MAX_LOGGED_PATH)}…` : printable || '(none)';
}
